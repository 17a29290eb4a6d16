#!/usr/bin/env node
// Browser budget benchmark (not a test): bundle sizes per file, raw and brotli (quality 11, what a
// static host would serve precompressed), time to first frame, frames drawn while idle, and
// main-thread CPU with the microphone on (a 440 Hz fake microphone), in headless Chromium.
// usage: node bench/browser/web_budget.mjs [--runs N] [--idle-seconds S]   (after `make web`); prints Markdown.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { startStaticServer } from '../../scripts/static-server.mjs';
import { launch, openPage } from '../../tests/e2e/lib/browser.mjs';
import { writeSineWav } from '../../tests/e2e/lib/wav.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SITE = join(ROOT, 'build/web/site');
const arg = (name, fallback) => Number(process.argv[process.argv.indexOf(name) + 1]) || fallback;
const runs = arg('--runs', 5);
const idleSeconds = arg('--idle-seconds', 60);

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : name.startsWith('.') ? [] : [p];
  });
}

const kb = (n) => (n / 1024).toFixed(1);
const rows = walk(SITE).map((p) => {
  const raw = readFileSync(p);
  const br = brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  return { file: relative(SITE, p), raw: raw.length, br };
}).sort((a, b) => b.raw - a.raw);

// What a first visit downloads before the tuner works (the ML files load only on demand).
const lazy = (f) => f.startsWith('vendor/') || f.startsWith('models/') || f === 'ml/ml-worker.js';
const sum = (list, key) => list.reduce((s, r) => s + r[key], 0);
const first = rows.filter((r) => !lazy(r.file));

console.log('| file | raw KiB | brotli KiB | loaded |');
console.log('|---|---:|---:|---|');
for (const r of rows) console.log(`| ${r.file} | ${kb(r.raw)} | ${kb(r.br)} | ${lazy(r.file) ? 'on demand' : 'first visit'} |`);
console.log(`| **first visit total** | **${kb(sum(first, 'raw'))}** | **${kb(sum(first, 'br'))}** | |`);
console.log(`| **everything** | **${kb(sum(rows, 'raw'))}** | **${kb(sum(rows, 'br'))}** | |`);

const server = await startStaticServer(SITE);
const times = [];
try {
  for (let i = 0; i < runs; i++) {
    const browser = await launch();
    try {
      const { page } = await openPage(browser);
      await page.goto(server.url);
      await page.waitForFunction(() => window.etude && window.etude.stats().framesDrawn > 0, null, { timeout: 30000 });
      times.push(await page.evaluate(() => window.etude.stats().firstFrameMs));
    } finally {
      await browser.close();
    }
  }
} finally {
  await server.close();
}
// Idle and listening costs: frames drawn and main-thread busy time (CDP TaskDuration).
async function measure(page, seconds) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const metric = async () => Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
  const s0 = await page.evaluate(() => window.etude.stats());
  const m0 = await metric();
  await page.waitForTimeout(seconds * 1000);
  const m1 = await metric();
  const s1 = await page.evaluate(() => window.etude.stats());
  const frames = s1.framesDrawn - s0.framesDrawn;
  return { frames, cpu: (m1.TaskDuration - m0.TaskDuration) / (m1.Timestamp - m0.Timestamp),
    drawMs: frames ? (s1.drawMsTotal - s0.drawMsTotal) / frames : 0 };
}
const wav = writeSineWav('/tmp/etude-budget-a4.wav', { hz: 440, sampleRate: 48000, seconds: 5 });
const server2 = await startStaticServer(SITE);
let idle, listening, trace;
try {
  const browser = await launch({ wav });
  try {
    const { page } = await openPage(browser);
    await page.goto(`${server2.url}?samplerate=48000`);
    await page.waitForFunction(() => window.etude && window.etude.stats().framesDrawn > 0, null, { timeout: 30000 });
    await page.waitForTimeout(1000);
    idle = await measure(page, idleSeconds);
    await page.focus('#a11y-mic');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.getElementById('tuner-live').dataset.note === 'A4', null, { timeout: 15000 });
    listening = await measure(page, 10);
    await page.focus('#a11y-screens button[data-screen="1"]');
    await page.keyboard.press('Enter');
    trace = await measure(page, 10);
  } finally {
    await browser.close();
  }
} finally {
  await server2.close();
}
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)];
console.log(`\nIdle for ${idleSeconds} s: ${idle.frames} frames drawn, main thread busy ${(idle.cpu * 100).toFixed(2)}% of the time.`);
for (const [what, m] of [['steady A4 on the tuner', listening], ['pitch trace scrolling', trace]]) {
  console.log(`Microphone on, ${what}, 10 s: ${m.frames} frames drawn (${(m.frames / 10).toFixed(1)} fps), ` +
    `${m.drawMs.toFixed(1)} ms per frame in draw_frame, main thread busy ${(m.cpu * 100).toFixed(1)}%.`);
}
console.log(`\nTime to first frame (navigation start → first ImGui frame drawn, headless Chromium, SwiftShader WebGL2, localhost, cold cache), ${runs} runs: median ${median.toFixed(0)} ms, min ${times[0].toFixed(0)} ms, max ${times[times.length - 1].toFixed(0)} ms`);
