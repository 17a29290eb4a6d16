// Native and wasm compute the same features: feeds raw float32 mono samples to dsp.wasm (the worklet
// module) in 128-sample quanta, like the AudioWorklet, and compares every frame with the native
// `etude analyze features` CSV of the same audio. Tolerance: 1e-4, relative above 1.
// Usage: node native_wasm_parity.mjs dsp.wasm samples.f32 rate hop native.csv
import { readFileSync } from 'node:fs';

const [wasmPath, rawPath, rateText, hopText, csvPath] = process.argv.slice(2);
const rate = Number(rateText), hop = Number(hopText);
const module = new WebAssembly.Module(readFileSync(wasmPath));
const imports = {};
for (const { module: ns, name } of WebAssembly.Module.imports(module)) {
  (imports[ns] ||= {})[name] = () => { throw new Error(`dsp.wasm called ${ns}.${name}`); };
}
const ex = new WebAssembly.Instance(module, imports).exports;
if (ex._initialize) ex._initialize();
const floats = ex.etude_dsp_frame_floats();
const dsp = ex.etude_dsp_create(rate, hop, 128);
if (!dsp) throw new Error('etude_dsp_create failed');

const bytes = readFileSync(rawPath);
const x = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
const wasmFrames = [];
for (let i = 0; i < x.length; i += 128) {
  const n = Math.min(128, x.length - i);
  new Float32Array(ex.memory.buffer, ex.etude_dsp_input(dsp), 128).set(x.subarray(i, i + n));
  const count = ex.etude_dsp_process(dsp, n);
  const frames = new Float32Array(ex.memory.buffer, ex.etude_dsp_frames(dsp), count * floats);
  for (let f = 0; f < count; f++) wasmFrames.push(Array.from(frames.subarray(f * floats, (f + 1) * floats)));
}

const lines = readFileSync(csvPath, 'utf8').trim().split('\n');
const names = lines[0].split(',');
if (names.length !== floats) throw new Error(`native has ${names.length} columns, wasm frames have ${floats} floats`);
const native = lines.slice(1).map((l) => l.split(',').map(Number));
const byTime = new Map(wasmFrames.map((f) => [Math.fround(f[0]), f]));
let compared = 0, worst = 0, worstField = '';
for (const row of native) {
  const w = byTime.get(Math.fround(row[0]));
  if (!w) continue;  // the native run also decides the file's last hops (flushed with silence)
  compared++;
  for (let k = 0; k < floats; k++) {
    const err = Math.abs(row[k] - w[k]) / Math.max(1, Math.abs(row[k]));
    if (err > worst) { worst = err; worstField = `${names[k]} at ${row[0]} s (native ${row[k]}, wasm ${w[k]})`; }
  }
}
console.log(`compared ${compared} frames x ${floats} fields; worst difference ${worst.toExponential(2)} ${worstField}`);
if (compared < native.length * 0.9) { console.error('too few frames matched'); process.exit(1); }
process.exit(worst <= 1e-4 ? 0 : 1);
