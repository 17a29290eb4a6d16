// Runs a real AudioWorklet processor (web/worklet/etude-processor.js, the analyser, or
// web/worklet/metronome-processor.js, the metronome, with the built dsp.wasm) in
// Node's V8 with a minimal AudioWorkletGlobalScope, and measures what process() allocates on the
// JS heap in steady state. Used by tests/e2e/audio_thread.test.mjs in a child process started with
// --expose-gc and a young generation large enough that nothing is collected while measuring.
//
//   node --expose-gc --no-concurrent-recompilation --min-semi-space-size=64 --max-semi-space-size=64 worklet-harness.mjs DSP_WASM PROCESSOR MODE
//   PROCESSOR: analyser | metronome
//   MODE: rings (shared memory, as on a cross-origin isolated page) | messages (the fallback)
// Prints one JSON line: {quanta, frames (analysis frames or beats delivered), newSpaceBytes, gcs, transport}.
import { readFileSync } from 'node:fs';
import { PerformanceObserver, constants, performance } from 'node:perf_hooks';
import v8 from 'node:v8';

const [wasmPath, which, mode] = process.argv.slice(2);
const RATE = 48000, QUANTUM = 128;

let Processor = null;
let posted = 0, lastMessage = null;
globalThis.sampleRate = RATE;
globalThis.currentFrame = 0;
globalThis.AudioWorkletProcessor = class {
  constructor() { this.port = { postMessage(m) { posted++; lastMessage = m; } }; }
};
globalThis.registerProcessor = (name, cls) => { Processor = cls; };
await import(which === 'metronome' ? '../../../web/worklet/metronome-processor.js' : '../../../web/worklet/etude-processor.js');

const wasmBytes = readFileSync(wasmPath);
const node = new Processor({ processorOptions: { wasmBytes: wasmBytes.buffer.slice(wasmBytes.byteOffset), hop: 256, useRings: mode === 'rings' } });
if (!node.ok) throw new Error(`the processor did not start: ${JSON.stringify(lastMessage)}`);
// The metronome at its fastest, 240 BPM in 4/4 with accents: a beat every 94 quanta.
if (which === 'metronome') node.port.onmessage({ data: { type: 'start', settings: { bpm: 240, beatsPerBar: 4, accents: 1, countInBars: 0 }, delayFrames: 0 } });
const output = [[new Float32Array(QUANTUM)]];
const ring = () => node.frameRing || node.ring;

// A sung-like tone with vibrato and a breath of noise, so pitch, onsets and spectrum all run.
const channel = new Float32Array(QUANTUM);
const inputs = [[channel]];
// The generator's state lives in typed arrays: a double kept in a module variable would itself be
// boxed on the heap at every store and hide what the processor does.
const state = new Float64Array(3);  // phase, time, noise seed
state[2] = 1;
function quantum() {
  let phase = state[0], t = state[1], seed = state[2];
  for (let i = 0; i < QUANTUM; i++) {
    const f = 220 * (1 + 0.01 * Math.sin(2 * Math.PI * 5.5 * t));
    phase += 2 * Math.PI * f / RATE;
    if (phase > 2 * Math.PI) phase -= 2 * Math.PI;
    seed = (seed * 1103515245 + 12345) % 2147483648;
    channel[i] = 0.3 * Math.sin(phase) + 0.1 * Math.sin(2 * phase) + 0.002 * (seed / 2147483648 - 0.5);
    t += 1 / RATE;
  }
  state[0] = phase; state[1] = t; state[2] = seed;
  node.process(inputs, output);
  globalThis.currentFrame += QUANTUM;
}

// Warm up (the JIT compiles the hot code; the first quanta set up the rings and post 'ready').
for (let q = 0; q < Number(process.env.WARMUP || 4000); q++) quantum();
// The consumer side: drain the rings like the page does, outside the measured window.
const drain = () => {
  if (!ring()) return 0;
  let frames = 0;
  ring().drain((view, n) => { frames += n; });
  node.spectrumRing?.drain(() => {});
  return frames;
};
drain();

const gcs = [];
const obs = new PerformanceObserver((list) => { for (const e of list.getEntries()) gcs.push([e.startTime, e.detail?.kind]); });
obs.observe({ entryTypes: ['gc'] });
globalThis.gc();
await new Promise((r) => setTimeout(r, 50));
const newSpace = () => v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_used_size;

// What one pair of readings costs by itself (the statistics are objects too), to subtract.
let overhead = Infinity;
for (let k = 0; k < 20; k++) { const b = newSpace(); overhead = Math.min(overhead, newSpace() - b); }

// 400 quanta at a time (about 1 s of audio, well inside a ring), then the consumer drains.
const QUANTA = 20000;
let frames = 0;
posted = 0;
const start = performance.now();
const before = newSpace();
let grown = 0;
for (let q = 0; q < QUANTA; q += 400) {
  const b = newSpace();
  for (let k = 0; k < 400; k++) quantum();
  grown += newSpace() - b - overhead;  // only the processor ran between the two readings
  frames += drain();
}
const end = performance.now();
const after = newSpace();
await new Promise((r) => setTimeout(r, 100));
obs.disconnect();
// Only a scavenge (minor GC) says the young generation filled up; V8 may run a major GC at any time
// (its memory reducer), which says nothing about what process() allocates.
const during = gcs.filter(([s]) => s >= start && s <= end);
const gcsDuring = during.filter(([, kind]) => kind === constants.NODE_PERFORMANCE_GC_MINOR).length;
const majorGcs = during.length - gcsDuring;
console.log(JSON.stringify({
  quanta: QUANTA, frames: frames || posted, newSpaceBytes: grown, newSpaceTotal: after - before, gcs: gcsDuring, majorGcs,
  transport: ring() ? 'shared-memory' : 'messages',
}));
