#!/usr/bin/env node
// Cost of the live analyser per 128-sample quantum inside Chromium's AudioWorklet: the shipped
// web/worklet/etude-processor.js running the shipped dsp.wasm, on the app's own (cross-origin
// isolated) page, with the frames handed over in shared memory as the app does. Not a test.
//
// Chromium's AudioWorkletGlobalScope has no `performance` clock, so the cost is taken from outside:
// an OfflineAudioContext renders a sung-like signal (bench/sung_signal.mjs, as wasm_quantum_cost.mjs) as fast
// as it can through source -> analyser -> destination, and through source -> destination alone, each
// for S and for 2S seconds. A new processor compiles dsp.wasm afresh (baseline code first, optimised
// code once hot), so the steady cost per quantum is the marginal one: ((analyser 2S - analyser S) -
// (bare 2S - bare S)) / (quanta in S), the median over the runs (the one-time start-up cancels out).
// It includes the AudioWorklet's own call and copy overhead, which the real thing pays.
// The same dsp.wasm under Node (bench/wasm_quantum_cost.mjs, V8 alone) is run in the same process
// afterwards for the side-by-side ratio. Each render is checked: every hop produced a frame, and the
// frames kept read the signal's notes.
//
// usage: node bench/browser/worklet_cost.mjs [--seconds S] [--runs N] [--configs 48000/256,44100/240,48000/512]
//        (the app's live hop is 256 at 48 kHz, 240 at 44.1 kHz: web/audio.js liveHop)
//        (after `make web`; prints a Markdown table)
import { execFileSync } from 'node:child_process';
import { sungLikeSignal } from '../sung_signal.mjs';
import { startStaticServer } from '../../scripts/static-server.mjs';
import { launch, openPage } from '../../tests/e2e/lib/browser.mjs';
import { ROOT, SITE } from '../../tests/e2e/lib/site.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
};
const seconds = Number(arg('--seconds', '30'));
const runs = Number(arg('--runs', '5'));
const configs = arg('--configs', '48000/256,44100/240,48000/512').split(',').map((c) => c.split('/').map(Number));
if (!(seconds >= 1 && runs >= 1 && configs.every(([r, h]) => r >= 16000 && h >= 32))) {
  console.error('usage: node bench/browser/worklet_cost.mjs [--seconds S >= 1] [--runs N >= 1] [--configs RATE/HOP,...]');
  process.exit(2);
}

// Runs in the page: one configuration, `runs` alternating pairs of renders.
async function measureInPage({ rate, hop, seconds, runs }, sungLikeSignal) {
  const wasmBytes = await (await fetch('dsp.wasm')).arrayBuffer();
  const n = Math.floor(rate * seconds / 128) * 128 * 2;
  const signal = sungLikeSignal(rate, n);  // bench/sung_signal.mjs, handed over as source
  async function render(withAnalyser, length) {
    const ctx = new OfflineAudioContext(1, length, rate);
    const buffer = ctx.createBuffer(1, length, rate);
    buffer.copyToChannel(signal.subarray(0, length), 0);
    const source = ctx.createBufferSource();
    source.buffer = buffer;
    let check = null;
    if (withAnalyser) {
      await ctx.audioWorklet.addModule('worklet/etude-processor.js');
      const node = new AudioWorkletNode(ctx, 'etude-analyzer', {
        numberOfInputs: 1, numberOfOutputs: 1, outputChannelCount: [1],
        channelCount: 1, channelCountMode: 'explicit', channelInterpretation: 'speakers',
        processorOptions: { wasmBytes, hop, useRings: crossOriginIsolated },
      });
      const ready = new Promise((resolve, reject) => {
        node.port.onmessage = (e) => (e.data.type === 'ready' ? resolve(e.data) : e.data.type === 'error' && reject(new Error(e.data.message)));
      });
      source.connect(node).connect(ctx.destination);
      check = async () => {
        const info = await ready;
        if (!info.rings) return { transport: 'messages' };
        const header = new Int32Array(info.rings.frames.buffer, 0, 4);
        const frames = new Float32Array(info.rings.frames.buffer, 16, info.rings.frames.recordFloats * info.rings.frames.capacity);
        const f0 = [];
        for (let r = 0; r < Math.min(header[0], info.rings.frames.capacity); r++) {
          const v = frames[r * info.rings.frames.recordFloats + 1];  // f0_hz
          if (v > 0) f0.push(v);
        }
        f0.sort((a, b) => a - b);
        return { transport: 'shared-memory', frames: header[0] + header[2], medianF0: f0[f0.length >> 1] || 0 };
      };
    } else {
      source.connect(ctx.destination);
    }
    source.start();
    const t0 = performance.now();
    await ctx.startRendering();
    const ms = performance.now() - t0;
    return { ms, check: check ? await check() : null };
  }
  const half = n / 2;
  await render(true, half);  // warm-up: the page's own code paths
  const perQuantum = [];
  let check = null;
  for (let r = 0; r < runs; r++) {
    const bare1 = (await render(false, half)).ms, bare2 = (await render(false, n)).ms;
    const one = await render(true, half), two = await render(true, n);
    const steady = ((two.ms - one.ms) - (bare2 - bare1)) / (half / 128);
    perQuantum.push(steady * 1000);
    check = two.check;
  }
  return { quanta: n / 128, perQuantum, check, isolated: crossOriginIsolated, userAgent: navigator.userAgent };
}

const median = (v) => [...v].sort((a, b) => a - b)[v.length >> 1];
const server = await startStaticServer(SITE);
const browser = await launch();
const rows = [];
try {
  const { page } = await openPage(browser);
  await page.goto(server.url);
  await page.waitForFunction(() => window.etude && window.etude.stats().framesDrawn > 0, null, { timeout: 30000 });
  for (const [rate, hop] of configs) {
    const r = await page.evaluate(`(${measureInPage})(${JSON.stringify({ rate, hop, seconds, runs })}, ${sungLikeSignal})`);
    const perQuantum = r.perQuantum;
    const expectedFrames = Math.floor(r.quanta * 128 / hop);
    if (r.check.transport === 'shared-memory' && Math.abs(r.check.frames - expectedFrames) > 2) {
      throw new Error(`${rate}/${hop}: ${r.check.frames} frames, expected ${expectedFrames}`);
    }
    if (r.check.transport === 'shared-memory' && !(r.check.medianF0 > 200 && r.check.medianF0 < 460)) {
      throw new Error(`${rate}/${hop}: the frames read ${r.check.medianF0} Hz, not the signal's notes`);
    }
    // The same dsp.wasm under Node, straight after, for the ratio.
    const node = execFileSync(process.execPath, [`${ROOT}bench/wasm_quantum_cost.mjs`, `${SITE}/dsp.wasm`, String(rate), String(hop)], { encoding: 'utf8' });
    const nodeCpu = Number(/\(([\d.]+) us CPU\)/.exec(node)[1]);
    rows.push({ rate, hop, r, perQuantum, nodeCpu });
    console.error(`${rate}/${hop}: per quantum ${perQuantum.map((v) => v.toFixed(1)).join(' ')} us; node: ${node.trim()}`);
  }
  console.log(`Chromium: ${rows[0].r.userAgent.match(/Chrome\/[\d.]+/)?.[0]}; page cross-origin isolated: ${rows[0].r.isolated}; renders of ${seconds} and ${2 * seconds} s, ${runs} runs`);
  console.log('');
  console.log('| rate / hop | analyser per quantum in Chromium, median (range) | real-time factor in Chromium | same dsp.wasm under Node (CPU per quantum) | Chromium ÷ Node | frames checked |');
  console.log('|---|---:|---:|---:|---:|---|');
  for (const { rate, hop, r, perQuantum, nodeCpu } of rows) {
    const m = median(perQuantum);
    const lo = Math.min(...perQuantum), hi = Math.max(...perQuantum);
    const rtf = (128 / rate) / (m / 1e6);
    const checked = r.check.transport === 'shared-memory' ? `${r.check.frames} frames, median f0 ${r.check.medianF0.toFixed(0)} Hz` : 'messages (not isolated)';
    console.log(`| ${rate} / ${hop} | ${m.toFixed(1)} µs (${lo.toFixed(1)}–${hi.toFixed(1)}) | ${rtf.toFixed(0)}× | ${nodeCpu.toFixed(1)} µs | ${(m / nodeCpu).toFixed(2)} | ${checked} |`);
  }
} finally {
  await browser.close();
  await server.close();
}
