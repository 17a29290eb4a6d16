#!/usr/bin/env node
// Browser budget benchmark (not a test): bundle sizes per file, raw and brotli (quality 11, what a
// static host would serve precompressed), and time to first frame in headless Chromium.
// usage: node bench/browser/web_budget.mjs [--runs N]   (after `make web`); prints Markdown.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { startStaticServer } from '../../scripts/static-server.mjs';
import { launch, openPage } from '../../tests/e2e/lib/browser.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SITE = join(ROOT, 'build/web/site');
const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 5;

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
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)];
console.log(`\nTime to first frame (navigation start → first ImGui frame drawn, headless Chromium, SwiftShader WebGL2, localhost, cold cache), ${runs} runs: median ${median.toFixed(0)} ms, min ${times[0].toFixed(0)} ms, max ${times[times.length - 1].toFixed(0)} ms`);
