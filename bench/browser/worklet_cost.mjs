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
//
// Second, the distribution per quantum (mean, median, p99, max), which those renders cannot give: the same
// processor subclassed to time each process() call (bench/browser/timed-processor.js) against a counter
// that a Worker spins in shared memory (bench/browser/spin-clock.js), in a running AudioContext fed a
// looping buffer of the signal for --live-seconds, as a student's microphone would feed it: quanta 2.7 ms
// apart, with whatever the caches lost in between. An empty processor timed the same way gives the
// clock's floor. The first 2 s (wasm compiled by the baseline tier, then optimised) are left out, and so
// are the callbacks during which the clock's Worker was not running (below): on a loaded machine few
// are kept. Run it on a quiet machine.
//
// usage: node bench/browser/worklet_cost.mjs [--seconds S] [--runs N] [--configs 48000/256,44100/240,48000/512]
//        [--live-seconds L (0: skip the distribution)]
//        (the app's live hop is 256 at 48 kHz, 240 at 44.1 kHz: web/audio.js liveHop)
//        (after `make web`; prints a Markdown table)
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sungLikeSignal } from '../sung_signal.mjs';
import { startStaticServer } from '../../scripts/static-server.mjs';
import { launch, openPage } from '../../tests/e2e/lib/browser.mjs';
import { ROOT, SITE } from '../../tests/e2e/lib/site.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
};
const seconds = Number(arg('--seconds', '30'));
const liveSeconds = Number(arg('--live-seconds', '12'));
const runs = Number(arg('--runs', '5'));
const configs = arg('--configs', '48000/256,44100/240,48000/512').split(',').map((c) => c.split('/').map(Number));
if (!(seconds >= 1 && runs >= 1 && (liveSeconds === 0 || (liveSeconds >= 4 && liveSeconds <= 20)) && configs.every(([r, h]) => r >= 16000 && h >= 32))) {
  console.error('usage: node bench/browser/worklet_cost.mjs [--seconds S >= 1] [--runs N >= 1] [--configs RATE/HOP,...] [--live-seconds 0 | 4..20]');
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

// Runs in the page: the per-quantum distribution in a running AudioContext, for the empty processor
// and for the analyser. Returns microseconds per quantum after the first 2 s.
async function measureLiveInPage({ rate, hop, seconds }, sungLikeSignal) {
  const wasmBytes = await (await fetch('dsp.wasm')).arrayBuffer();
  const loop = sungLikeSignal(rate, rate * 4);
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  const out = {};
  for (const kind of ['etude-timed-empty', 'etude-analyzer-timed']) {
    const ctx = new AudioContext({ sampleRate: rate, latencyHint: 'interactive' });
    await ctx.audioWorklet.addModule('worklet/timed-processor.js');
    const clock = new SharedArrayBuffer(8), clockView = new Int32Array(clock);
    const log = new SharedArrayBuffer(4 * (2 * Math.ceil((seconds + 2) * rate / 128) + 1)), logView = new Int32Array(log);
    const worker = new Worker('worklet/spin-clock.js');
    const stopped = new Promise((resolve) => (worker.onmessage = (e) => resolve(e.data)));
    worker.postMessage({ clock });
    while (Atomics.load(clockView, 0) === 0) await sleep(5);
    const node = new AudioWorkletNode(ctx, kind, {
      numberOfInputs: 1, numberOfOutputs: 1, outputChannelCount: [1],
      channelCount: 1, channelCountMode: 'explicit', channelInterpretation: 'speakers',
      processorOptions: { wasmBytes, hop, useRings: true, timing: { clock, log } },
    });
    let frames = null;
    node.port.onmessage = (e) => { if (e.data.type === 'ready' && e.data.rings) frames = new Int32Array(e.data.rings.frames.buffer, 0, 4); };
    const buffer = ctx.createBuffer(1, loop.length, rate);
    buffer.copyToChannel(loop, 0);
    const source = ctx.createBufferSource();
    source.buffer = buffer;
    source.loop = true;
    source.connect(node).connect(ctx.destination);
    source.start();
    await ctx.resume();
    await sleep(seconds * 1000);
    await ctx.close();
    Atomics.store(clockView, 1, 1);
    const { ticks, ms } = await stopped;
    worker.terminate();
    const ticksPerUs = ticks / (ms * 1000);
    // Chromium renders a callback's worth of quanta back to back (4 with the headless fake output at
    // 48 kHz), then waits. Between two quanta of one callback the renderer spends at least a
    // microsecond of its own, so a running clock moves there; a burst in which any such gap reads 0
    // ticks had its clock's Worker descheduled, and all its quanta are left out. Single-quantum bursts
    // cannot be judged and are left out too.
    const n = logView[0];
    const inside = (k) => logView[2 * k + 1] / ticksPerUs, gap = (k) => logView[2 * k + 2] / ticksPerUs;
    const us = [];
    let considered = 0;
    for (let start = Math.round(2 * rate / 128); start < n;) {
      let end = start + 1;
      while (end < n && gap(end) < 1000) end++;
      let running = end - start > 1;
      for (let k = start + 1; k < end; k++) running &&= logView[2 * k + 2] > 0;
      for (let k = start; k < end; k++) if (running) us.push(inside(k));
      considered += end - start;
      start = end;
    }
    out[kind] = { us, considered, ticksPerUs, quanta: n, frames: frames ? frames[0] + frames[2] : null };
  }
  return out;
}

const median = (v) => [...v].sort((a, b) => a - b)[v.length >> 1];
// The site as built, plus the two bench-only modules next to the worklet modules they extend.
const served = mkdtempSync(join(tmpdir(), 'etude-worklet-cost-'));
cpSync(SITE, served, { recursive: true });
for (const f of ['timed-processor.js', 'spin-clock.js']) copyFileSync(`${ROOT}bench/browser/${f}`, join(served, 'worklet', f));
const server = await startStaticServer(served);
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
  if (liveSeconds > 0) {
    const pct = (v, q) => { const s = [...v].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(q * s.length))]; };
    const mean = (v) => v.reduce((a, b) => a + b, 0) / v.length;
    console.log('');
    console.log(`Per quantum in a running AudioContext (${liveSeconds} s of a looping buffer, the first 2 s left out), timed against a shared-memory clock:`);
    console.log('');
    console.log('| rate / hop | processor | quanta kept (clock running) | mean | median | p99 | p99.9 | max | over 100 µs | clock (ticks/µs) |');
    console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const [rate, hop] of configs) {
      const r = await page.evaluate(`(${measureLiveInPage})(${JSON.stringify({ rate, hop, seconds: liveSeconds })}, ${sungLikeSignal})`);
      const analysed = r['etude-analyzer-timed'];
      const expected = Math.floor(analysed.quanta * 128 / hop);
      if (analysed.frames === null || Math.abs(analysed.frames - expected) > 2) {
        throw new Error(`${rate}/${hop} live: ${analysed.frames} frames for ${analysed.quanta} quanta, expected ${expected}`);
      }
      for (const [kind, label] of [['etude-timed-empty', 'empty (the clock\'s floor)'], ['etude-analyzer-timed', 'analyser']]) {
        const { us, considered, ticksPerUs } = r[kind];
        if (us.length < 100) {
          console.log(`| ${rate} / ${hop} | ${label} | ${us.length} of ${considered} | (the clock's Worker hardly ran: a loaded machine) | | | | | | ${ticksPerUs.toFixed(0)} |`);
          continue;
        }
        const over = us.filter((v) => v > 100).length / us.length;
        console.log(`| ${rate} / ${hop} | ${label} | ${us.length} of ${considered} | ${mean(us).toFixed(1)} µs | ${pct(us, 0.5).toFixed(1)} µs | ${pct(us, 0.99).toFixed(1)} µs | ${pct(us, 0.999).toFixed(1)} µs | ${Math.max(...us).toFixed(1)} µs | ${(100 * over).toFixed(2)} % | ${ticksPerUs.toFixed(0)} |`);
      }
    }
  }
} finally {
  await browser.close();
  await server.close();
  rmSync(served, { recursive: true, force: true });
}
