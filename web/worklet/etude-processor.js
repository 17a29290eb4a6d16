// AudioWorkletProcessor 'etude-analyzer': runs the standalone DSP wasm (src/dsp + src/worklet) on
// every 128-frame quantum and posts FeatureFrames to the main thread. Audio never leaves this thread.
//
// processorOptions: { wasmBytes: ArrayBuffer (dsp.wasm), hop: samples between frames,
//                     minHz, maxHz: the pitch search range of the student's instrument (0: the default),
//                     useRings: true to hand frames over in shared memory (see float-ring.js) }.
// With rings (a cross-origin isolated page), frames and spectrum columns go into shared memory and
// process() allocates nothing (tests/e2e/audio_thread.test.mjs checks it); without them they are
// posted as messages, which allocates a little per frame.
// Messages out: {type:'ready', latencySamples, frameFloats, startFrame, rings: {frames, spectrum} | null}
//                 (on the first quantum; rings are the FloatRing memories when shared memory is in use)
//               | {type:'frames', frames: Float32Array, count}                       (no rings)
//               | {type:'spectrum', column: Float32Array (note rows, mel bands, linear rows; dB), notesBins, melBins, linearBins}
//               | {type:'error', message}.

import { instantiateDsp } from './dsp-instance.js';
import { FloatRing } from './float-ring.js';

const MAX_BLOCK = 1024;

// Exported for the browser benchmark's timing subclass (bench/browser/timed-processor.js); the app
// only registers it.
export class EtudeAnalyzer extends AudioWorkletProcessor {
  constructor(options) {
    super();
    this.ok = false;
    try {
      const { wasmBytes, hop, useRings, minHz = 0, maxHz = 0 } = options.processorOptions;
      // Synchronous compile is allowed in the audio worklet scope and keeps start-up ordered.
      const ex = instantiateDsp(wasmBytes, 'audio analyser');
      this.ex = ex;
      this.dsp = minHz > 0 ? ex.etude_dsp_create_range(sampleRate, hop, MAX_BLOCK, minHz, maxHz)
        : ex.etude_dsp_create(sampleRate, hop, MAX_BLOCK);
      if (!this.dsp) {
        throw new Error(`the audio analyser rejected its settings: ${this.#cString(ex.etude_dsp_last_error())}`);
      }
      this.frameFloats = ex.etude_dsp_frame_floats();
      this.inputIndex = ex.etude_dsp_input(this.dsp) >> 2;
      this.framesIndex = ex.etude_dsp_frames(this.dsp) >> 2;
      // Views made once: dsp.wasm's memory never grows.
      this.heap = new Float32Array(ex.memory.buffer);
      this.heapWords = new Uint16Array(ex.memory.buffer);
      // The spectrum column: note rows, mel bands and linear rows, one after another in memory.
      this.columnIndex = ex.etude_dsp_spectrum(this.dsp, 0) >> 2;
      this.notesBins = ex.etude_dsp_spectrum_bins(this.dsp, 0);
      this.melBins = ex.etude_dsp_spectrum_bins(this.dsp, 1);
      this.linearBins = ex.etude_dsp_spectrum_bins(this.dsp, 2);
      this.columnFloats = this.notesBins + this.melBins + this.linearBins;
      // Shared memory exists only on a cross-origin isolated page. 512 frames is 2.7 s at 48 kHz,
      // 128 spectrum columns 1.4 s: room for a main thread that is busy for a while.
      this.rings = useRings && typeof SharedArrayBuffer === 'function'
        ? { frames: FloatRing.allocate(this.frameFloats, 512), spectrum: FloatRing.allocate(this.columnFloats, 128) }
        : null;
      this.frameRing = this.rings ? new FloatRing(this.rings.frames) : null;
      this.spectrumRing = this.rings ? new FloatRing(this.rings.spectrum) : null;
      this.ok = true;
      this.startFrame = -1;  // context frame of the first analysed sample (frame time 0)
    } catch (err) {
      this.port.postMessage({ type: 'error', message: String(err && err.message || err) });
    }
  }

  #cString(ptr) {
    const bytes = new Uint8Array(this.ex.memory.buffer, ptr);
    let end = 0;
    while (bytes[end] !== 0 && end < 1024) end++;
    return String.fromCharCode(...bytes.subarray(0, end));
  }

  process(inputs) {
    if (!this.ok) return false;
    const channel = inputs[0] && inputs[0][0];
    if (!channel && this.startFrame < 0) return true;  // nothing connected yet
    if (this.startFrame < 0) {
      this.startFrame = currentFrame;
      this.port.postMessage({
        type: 'ready', latencySamples: this.ex.etude_dsp_latency_samples(this.dsp), frameFloats: this.frameFloats,
        startFrame: currentFrame, rings: this.rings, notesBins: this.notesBins, melBins: this.melBins, linearBins: this.linearBins,
      });
    }
    // Once started, a quantum without input channels (a silent, inactive source) is analysed as
    // silence, so frame times keep counting with the context's frames.
    const n = channel ? Math.min(channel.length, MAX_BLOCK) : 128;
    if (channel) {
      this.heap.set(n === channel.length ? channel : channel.subarray(0, n), this.inputIndex);
    } else {
      this.heap.fill(0, this.inputIndex, this.inputIndex + n);
    }
    const count = this.ex.etude_dsp_process(this.dsp, n);
    const spectrum = this.ex.etude_dsp_spectrum_ready(this.dsp);
    if (this.frameRing) {
      if (spectrum) {
        this.spectrumRing.push(this.heapWords, this.columnIndex * 4, 1);
      }
      if (count > 0) {
        this.frameRing.push(this.heapWords, this.framesIndex * 4, count);
        this.frameRing.wake();
      }
      return true;
    }
    if (count > 0) {
      const start = this.framesIndex;
      const frames = this.heap.slice(start, start + count * this.frameFloats);
      this.port.postMessage({ type: 'frames', frames, count }, [frames.buffer]);
    }
    if (spectrum) {
      const column = this.heap.slice(this.columnIndex, this.columnIndex + this.columnFloats);
      this.port.postMessage({
        type: 'spectrum', column, notesBins: this.notesBins, melBins: this.melBins, linearBins: this.linearBins,
      }, [column.buffer]);
    }
    return true;
  }
}

registerProcessor('etude-analyzer', EtudeAnalyzer);
