// Cost of dsp.wasm per 128-sample quantum under Node (V8, the engine Chromium's AudioWorklet uses):
// mean (wall clock, and CPU time of the whole loop), median, 99th percentile and worst quantum over
// 60 s of a sung-like test signal. Wall-clock figures include whatever else the machine is doing.
// Usage: node bench/wasm_quantum_cost.mjs dsp.wasm [rate] [hop]
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { sungLikeSignal } from './sung_signal.mjs';

const [wasmPath, rateText = '48000', hopText = '512'] = process.argv.slice(2);
const rate = Number(rateText), hop = Number(hopText);
const module = new WebAssembly.Module(readFileSync(wasmPath));
const imports = {};
for (const { module: ns, name } of WebAssembly.Module.imports(module)) (imports[ns] ||= {})[name] = () => { throw new Error(name); };
const ex = new WebAssembly.Instance(module, imports).exports;
if (ex._initialize) ex._initialize();
const dsp = ex.etude_dsp_create(rate, hop, 128);

const seconds = 60, n = rate * seconds;
const x = sungLikeSignal(rate, n);
const input = () => new Float32Array(ex.memory.buffer, ex.etude_dsp_input(dsp), 128);
// Warm up (JIT tiers), then measure every quantum.
for (let i = 0; i + 128 <= rate * 5; i += 128) { input().set(x.subarray(i, i + 128)); ex.etude_dsp_process(dsp, 128); }
const times = [];
const cpu0 = process.cpuUsage();
for (let i = 0; i + 128 <= n; i += 128) {
  input().set(x.subarray(i, i + 128));
  const t0 = performance.now();
  ex.etude_dsp_process(dsp, 128);
  times.push(performance.now() - t0);
}
const cpu = process.cpuUsage(cpu0);
const cpuMeanMs = (cpu.user + cpu.system) / 1000 / times.length;
times.sort((a, b) => a - b);
const mean = times.reduce((a, b) => a + b, 0) / times.length;
const us = (ms) => (ms * 1000).toFixed(1);
console.log(`rate ${rate} hop ${hop}: ${times.length} quanta, mean ${us(mean)} us wall (${us(cpuMeanMs)} us CPU), p50 ${us(times[times.length >> 1])} us, ` +
            `p99 ${us(times[Math.floor(times.length * 0.99)])} us, worst ${us(times[times.length - 1])} us; ` +
            `real-time factor ${(128 / rate / (cpuMeanMs / 1000)).toFixed(0)}x (CPU)`);
