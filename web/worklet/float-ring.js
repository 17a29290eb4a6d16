// A single-producer, single-consumer ring of fixed-size float records (float32, or float64 for the
// metronome's beat frames) in a SharedArrayBuffer: the audio thread writes feature frames, spectrum
// columns and beats into it without allocating anything, and the main thread drains it. Used when the
// page is cross-origin isolated (deploy/headers.json sends COOP and COEP); otherwise the worklet falls
// back to posting messages.
//
// Layout: Int32 header [written, read, dropped, wake] then capacity * recordFloats floats.
// `written` and `read` count records since creation (int32 arithmetic wraps safely: only their
// difference is used). The producer never waits: a record that finds the ring full is dropped and
// counted. `wake` is bumped after each batch so the consumer can Atomics.waitAsync on it.
//
// The producer copies 16-bit words, not floats: a value read from a Float32Array or Float64Array is
// boxed on the heap by V8 until the code is optimised, and a code path that runs once per beat may
// never be. Every 16-bit word is a small integer, which V8 never boxes.

const WRITTEN = 0, READ = 1, DROPPED = 2, WAKE = 3;
const HEADER_BYTES = 16;

export class FloatRing {
  // Whether this page can use rings (needs COOP + COEP, see deploy/): the page asks before it tells
  // a worklet to make them.
  static usable() {
    return globalThis.crossOriginIsolated === true && typeof SharedArrayBuffer === 'function'
      && typeof Atomics.waitAsync === 'function';
  }

  // Makes the shared memory for a ring; pass the result to `new FloatRing(...)` on both sides.
  // capacity must be a power of two (record indices wrap with the int32 counters).
  static allocate(recordFloats, capacity, doubles = false) {
    if (capacity & (capacity - 1)) throw new Error('FloatRing capacity must be a power of two');
    const bytes = HEADER_BYTES + recordFloats * capacity * (doubles ? 8 : 4);
    return { buffer: new SharedArrayBuffer(bytes), recordFloats, capacity, doubles };
  }

  constructor({ buffer, recordFloats, capacity, doubles = false }) {
    this.header = new Int32Array(buffer, 0, 4);
    this.data = new (doubles ? Float64Array : Float32Array)(buffer, HEADER_BYTES, recordFloats * capacity);
    this.words = new Uint16Array(buffer, HEADER_BYTES, this.data.byteLength / 2);
    this.recordWords = recordFloats * (doubles ? 4 : 2);
    this.recordFloats = recordFloats;
    this.capacity = capacity;
  }

  // Producer: copies `count` records from `source`, a Uint16Array over the producer's memory,
  // starting at byte `byteOffset`. Word by word on purpose: subarray() would allocate a view.
  push(source, byteOffset, count) {
    const h = this.header, words = this.words, rw = this.recordWords, cap = this.capacity;
    const written = Atomics.load(h, WRITTEN);
    const free = cap - ((written - Atomics.load(h, READ)) | 0);
    const n = count < free ? count : free;
    if (n < count) Atomics.add(h, DROPPED, count - n);
    for (let r = 0; r < n; r++) {
      let dst = ((written + r) & (cap - 1)) * rw;
      let src = (byteOffset >> 1) + r * rw;
      for (let i = 0; i < rw; i++) words[dst++] = source[src++];
    }
    Atomics.store(h, WRITTEN, (written + n) | 0);
    return n;
  }

  // Producer: tells a waiting consumer that new records are there.
  wake() {
    Atomics.add(this.header, WAKE, 1);
    Atomics.notify(this.header, WAKE);
  }

  // Consumer: hands the waiting records to fn(view, count) in at most two contiguous pieces.
  // Returns how many records were read.
  drain(fn) {
    const h = this.header, cap = this.capacity, rf = this.recordFloats;
    const read = Atomics.load(h, READ);
    const total = (Atomics.load(h, WRITTEN) - read) | 0;
    let done = 0;
    while (done < total) {
      const start = (read + done) & (cap - 1);
      const n = Math.min(total - done, cap - start);
      fn(this.data.subarray(start * rf, (start + n) * rf), n);
      done += n;
    }
    Atomics.store(h, READ, (read + done) | 0);
    return done;
  }

  dropped() { return Atomics.load(this.header, DROPPED); }

  // Consumer: calls onWake() now and after every wake() of the producer, for as long as isLive()
  // holds (a wake() from the consumer's side lets it see that it no longer does).
  async follow(isLive, onWake) {
    let seen = Atomics.load(this.header, WAKE);
    while (isLive()) {
      onWake();
      const r = Atomics.waitAsync(this.header, WAKE, seen);
      if (r.async) await r.value;
      seen = Atomics.load(this.header, WAKE);
    }
  }
}
