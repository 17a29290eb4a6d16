// Bench only (bench/browser/worklet_cost.mjs copies it next to the site's worklet modules): the shipped
// 'etude-analyzer' processor, unchanged, with each process() call timed against a shared-memory clock.
//
// The AudioWorkletGlobalScope has no `performance` (Chromium 156 included; WebAudio issue 2413), so the
// clock is a counter that a dedicated Worker (spin-clock.js) increments as fast as it can in a
// SharedArrayBuffer; the benchmark converts ticks to microseconds with the rate the worker measured over
// the same seconds. Reading it costs two atomic loads per quantum, the floor that the empty processor
// ('etude-timed-empty') measures.
//
// A clock that only runs while its Worker holds a core stands still whenever the Worker is descheduled
// (a loaded machine), so each quantum also logs the ticks since the previous one ended: see
// worklet_cost.mjs for how those gaps tell a running clock from a stopped one.
//
// processorOptions.timing: { clock: SharedArrayBuffer (Int32 [ticks, stop]), log: SharedArrayBuffer
// (Int32 [count, then per quantum: ticks inside process(), ticks since the previous process() ended]) };
// the rest as for 'etude-analyzer'.
import { EtudeAnalyzer } from './etude-processor.js';

function timing(options) {
  const { clock, log } = options.processorOptions.timing;
  return { clock: new Int32Array(clock), log: new Int32Array(log), last: 0 };
}

function record(p, t0, t1) {
  const n = p.log[0];
  if (2 * n + 2 < p.log.length) {
    p.log[2 * n + 1] = (t1 - t0) | 0;
    p.log[2 * n + 2] = n > 0 ? (t0 - p.last) | 0 : 0;
    p.log[0] = n + 1;
  }
  p.last = t1;
}

class TimedAnalyzer extends EtudeAnalyzer {
  constructor(options) {
    super(options);
    Object.assign(this, timing(options));
  }

  process(inputs) {
    const t0 = Atomics.load(this.clock, 0);
    const keep = super.process(inputs);
    record(this, t0, Atomics.load(this.clock, 0));
    return keep;
  }
}

class TimedEmpty extends AudioWorkletProcessor {
  constructor(options) {
    super();
    Object.assign(this, timing(options));
  }

  process() {
    const t0 = Atomics.load(this.clock, 0);
    record(this, t0, Atomics.load(this.clock, 0));
    return true;
  }
}

registerProcessor('etude-analyzer-timed', TimedAnalyzer);
registerProcessor('etude-timed-empty', TimedEmpty);
