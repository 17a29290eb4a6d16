// Browser test of the ML worker alone (web/ml/), in headless Debian Chromium via playwright-core.
//
//   node tests/e2e/ml_worker.test.mjs            (from the repo root; exits non-zero on failure)
//
// Assembles a temporary site (web/ml/*, onnxruntime-web's wasm files in vendor/ort/, the chord model
// files in models/, a tiny page), serves it on 127.0.0.1, and checks in two set-ups — a host without
// the isolation headers, and crossOriginIsolated via COOP/COEP as deploy/headers.json has it — that: the golden self-test passes; a
// C major chroma comes back as C:maj; a batch of all 24 triads comes back right; a missing model, a
// bad input, a worker that cannot start and a timeout all reject with clear messages; and, on a site
// without models/chord_templates.onnx, that load/run/selftest say so in the app's words; every request
// is same-origin; no unexpected console errors. Prints load and per-call timings and writes them to
// tests/e2e/out/ml_worker.json.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startStaticServer } from '../../scripts/static-server.mjs';

// A host that cannot send the isolation headers (null leaves a header out).
const NOT_ISOLATED = { 'Cross-Origin-Opener-Policy': null, 'Cross-Origin-Embedder-Policy': null };
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const ORT_DIST = path.join(ROOT, 'node_modules', 'onnxruntime-web', 'dist');
const ORT_FILES = ['ort.wasm.min.mjs', 'ort-wasm-simd-threaded.mjs', 'ort-wasm-simd-threaded.wasm'];
const MODEL = 'chord_templates';
const RUNS = 300;

const failures = [];
const check = (cond, what) => { if (!cond) failures.push(what); return cond; };

function buildSite({ withoutOnnx = false } = {}) {
  const site = fs.mkdtempSync(path.join(os.tmpdir(), 'etude-ml-site-'));
  fs.mkdirSync(path.join(site, 'ml'));
  for (const f of fs.readdirSync(path.join(ROOT, 'web', 'ml'))) {
    fs.copyFileSync(path.join(ROOT, 'web', 'ml', f), path.join(site, 'ml', f));
  }
  fs.mkdirSync(path.join(site, 'vendor', 'ort'), { recursive: true });
  for (const f of ORT_FILES) fs.copyFileSync(path.join(ORT_DIST, f), path.join(site, 'vendor', 'ort', f));
  fs.mkdirSync(path.join(site, 'models'));
  for (const ext of ['onnx', 'labels.json', 'golden.json']) {
    fs.copyFileSync(path.join(ROOT, 'models', `${MODEL}.${ext}`), path.join(site, 'models', `${MODEL}.${ext}`));
  }
  if (withoutOnnx) fs.rmSync(path.join(site, 'models', `${MODEL}.onnx`));
  // The page's script is a file, not inline: the site is served under the app's real CSP.
  fs.writeFileSync(path.join(site, 'index.html'), `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>ML worker test</title>
<link rel="icon" href="data:,"></head>
<body><p id="status">loading</p>
<script type="module" src="test-page.js"></script></body></html>
`);
  fs.writeFileSync(path.join(site, 'test-page.js'), `import { MlClient } from './ml/ml-client.js';
window.__test = { MlClient, workerUrl: new URL('./ml/ml-worker.js', location.href).href };
document.getElementById('status').textContent = 'ready';
`);
  return site;
}

// Runs inside the page.
async function scenario({ model, runs }) {
  const { MlClient, workerUrl } = window.__test;
  const out = { crossOriginIsolated: self.crossOriginIsolated, hardwareConcurrency: navigator.hardwareConcurrency };
  const ml = new MlClient(workerUrl);
  const expectReject = async (p) => {
    try { await p; return null; } catch (e) { return e instanceof Error ? e.message : `non-Error: ${e}`; }
  };

  let t = performance.now();
  out.loaded = await ml.load(model);
  out.loadRoundTripMs = performance.now() - t;

  out.selftest = await ml.selfTest(model);

  const cmaj = new Float32Array(12); cmaj[0] = 1; cmaj[4] = 0.8; cmaj[7] = 0.9;
  const r = await ml.run(model, cmaj);
  let best = 0;
  for (let k = 1; k < r.scores.length; k++) if (r.scores[k] > r.scores[best]) best = k;
  out.cmaj = {
    top: r.labels[best], topProbability: r.probabilities[best], nScores: r.scores.length,
    isFloat32: r.scores instanceof Float32Array && r.probabilities instanceof Float32Array,
    probSum: r.probabilities.reduce((a, b) => a + b, 0),
  };

  // all 24 clean triads in one batch: row k must come back as labels[k]
  const names = ['C', 'C#', 'D', 'D#', 'E', 'F', 'F#', 'G', 'G#', 'A', 'A#', 'B'];
  const batch = new Float32Array(24 * 12);
  for (let k = 0; k < 24; k++) {
    const root = k % 12, third = k < 12 ? 4 : 3;
    for (const i of [0, third, 7]) batch[k * 12 + (root + i) % 12] = 1;
  }
  const rb = await ml.run(model, batch);
  out.batch = { n: rb.batch, wrong: [] };
  for (let k = 0; k < 24; k++) {
    let b = 0;
    for (let j = 1; j < 24; j++) if (rb.scores[k * 24 + j] > rb.scores[k * 24 + b]) b = j;
    const want = `${names[k % 12]}:${k < 12 ? 'maj' : 'min'}`;
    if (rb.labels[b] !== want) out.batch.wrong.push(`${want}->${rb.labels[b]}`);
  }

  // timings: worker-side run ms and main-thread round trip, batch 1 and batch 100
  const timing = async (n, frames) => {
    const x = new Float32Array(frames * 12).map((_, i) => (i * 7919 % 13) / 13);
    const worker = [], trip = [];
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      const res = await ml.run(model, x);
      trip.push(performance.now() - t0);
      worker.push(res.ms);
    }
    const q = (a, p) => { const s = [...a].sort((u, v) => u - v); return s[Math.min(s.length - 1, Math.floor(p * s.length))]; };
    return { n, frames, workerMedianMs: q(worker, 0.5), workerP95Ms: q(worker, 0.95),
      roundTripMedianMs: q(trip, 0.5), roundTripP95Ms: q(trip, 0.95) };
  };
  out.timing = [await timing(runs, 1), await timing(Math.round(runs / 3), 100)];

  out.missingModel = await expectReject(ml.load('no_such_model'));
  out.badInput = await expectReject(ml.run(model, new Float32Array(13)));
  out.badName = await expectReject(ml.load('../secret'));
  out.afterErrorsStillWorks = (await ml.run(model, cmaj)).labels.length === 24;
  ml.terminate();

  const broken = new MlClient(new URL('./ml/no-such-worker.js', location.href).href);
  out.brokenWorker = await expectReject(broken.load(model));
  broken.terminate();

  const slow = new MlClient(workerUrl, { timeoutMs: 1 });
  out.timeout = await expectReject(slow.selfTest(model));
  slow.terminate();
  return out;
}

// Runs inside the page of a site whose models/chord_templates.onnx is missing.
async function scenarioMissingFile({ model }) {
  const { MlClient, workerUrl } = window.__test;
  const ml = new MlClient(workerUrl);
  const msg = (p) => p.then(() => null, (e) => e.message);
  const out = { load: await msg(ml.load(model)), run: await msg(ml.run(model, new Float32Array(12))),
    selftest: await msg(ml.selfTest(model)) };
  ml.terminate();
  return out;
}

async function runSetup(browser, name, headers, { withoutOnnx = false } = {}) {
  const site = buildSite({ withoutOnnx });
  const server = await startStaticServer(site, { headers });
  const origin = new URL(server.url).origin;
  const context = await browser.newContext();
  const page = await context.newPage();
  const requests = [], consoleErrors = [], consoleOther = [];
  context.on('request', (req) => requests.push(req.url()));
  page.on('console', (m) => {
    const text = `${m.type()}: ${m.text()} ${m.location()?.url || ''}`;
    if (m.type() === 'error') consoleErrors.push(text); else consoleOther.push(text);
  });
  page.on('pageerror', (e) => consoleErrors.push(`pageerror: ${e.message}`));
  let res;
  try {
    await page.goto(server.url + 'index.html');
    await page.waitForFunction(() => document.getElementById('status')?.textContent === 'ready', null, { timeout: 15000 });
    res = await page.evaluate(withoutOnnx ? scenarioMissingFile : scenario, { model: MODEL, runs: RUNS });
  } finally {
    await context.close();
    await server.close();
    fs.rmSync(site, { recursive: true, force: true });
  }

  const p = `[${name}]`;
  const foreign = requests.filter((u) => !u.startsWith(origin + '/') && !u.startsWith('data:') && !u.startsWith('blob:'));
  check(foreign.length === 0, `${p} requests to another origin: ${foreign.join(', ')}`);
  check(requests.length > 0, `${p} no requests recorded`);
  // The only console errors allowed are Chromium's "Failed to load resource: ... 404" lines for the
  // files this test deliberately asks for and that do not exist.
  const expected404 = withoutOnnx ? [`/models/${MODEL}.onnx`]
    : ['/models/no_such_model.onnx', '/models/no_such_model.labels.json', '/ml/no-such-worker.js'];
  const served404 = server.requests.filter((r) => r.status === 404).map((r) => r.path);
  check(served404.every((u) => expected404.includes(u)), `${p} unexpected 404s: ${served404.join(', ')}`);
  const unexpectedErrors = consoleErrors.filter((e) =>
    !(/Failed to load resource: the server responded with a status of 404/.test(e) && expected404.some((u) => e.includes(u))));
  check(unexpectedErrors.length === 0, `${p} console errors: ${unexpectedErrors.join(' | ')}`);

  if (withoutOnnx) {
    const want = 'The chord model could not be loaded (404 models/chord_templates.onnx). Chords will use the built-in template matcher.';
    for (const k of ['load', 'run', 'selftest']) check(res[k] === want, `${p} ${k} with the model file missing: ${res[k]}`);
    return { name, res, requests: requests.length, served404, consoleErrors, consoleOther };
  }
  check(res.crossOriginIsolated === (headers !== NOT_ISOLATED), `${p} crossOriginIsolated is ${res.crossOriginIsolated}`);
  check(JSON.stringify(res.loaded.inputNames) === '["chroma"]', `${p} inputNames ${JSON.stringify(res.loaded.inputNames)}`);
  check(JSON.stringify(res.loaded.outputNames) === '["scores","probabilities"]', `${p} outputNames ${JSON.stringify(res.loaded.outputNames)}`);
  const st = res.selftest;
  check(st.ok === true && st.maxAbsError <= st.tolerance && st.cases.length >= 8 && st.cases.every((c) => c.ok),
    `${p} selftest failed: ${JSON.stringify(st.cases.filter((c) => !c.ok))} maxAbsError ${st.maxAbsError}`);
  check(res.cmaj.top === 'C:maj', `${p} C major chroma gave ${res.cmaj.top}`);
  check(res.cmaj.nScores === 24 && res.cmaj.isFloat32, `${p} run result shape/type wrong`);
  check(Math.abs(res.cmaj.probSum - 1) < 1e-4, `${p} probabilities sum to ${res.cmaj.probSum}`);
  check(res.batch.n === 24 && res.batch.wrong.length === 0, `${p} batch of 24 triads: ${res.batch.wrong.join(', ')}`);
  check(/^The model "no_such_model" could not be loaded \(404 models\/no_such_model\.(onnx|labels\.json)\)/.test(res.missingModel || ''),
    `${p} missing model message: ${res.missingModel}`);
  check(/needs 12 values per frame; got 13/.test(res.badInput || ''), `${p} bad input message: ${res.badInput}`);
  check(/Unknown model name/.test(res.badName || ''), `${p} bad name message: ${res.badName}`);
  check(res.afterErrorsStillWorks, `${p} worker unusable after error replies`);
  check(/ML worker stopped working/.test(res.brokenWorker || ''), `${p} broken worker message: ${res.brokenWorker}`);
  check(/did not answer .* within/.test(res.timeout || ''), `${p} timeout message: ${res.timeout}`);

  return { name, res, requests: requests.length, served404, consoleErrors, consoleOther };
}

const t0 = Date.now();
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
const results = [];
try {
  results.push(await runSetup(browser, 'not-isolated', NOT_ISOLATED));
  results.push(await runSetup(browser, 'crossOriginIsolated', {}));
  results.push(await runSetup(browser, 'model-file-missing', NOT_ISOLATED, { withoutOnnx: true }));
} catch (e) {
  failures.push(`exception: ${e.stack || e}`);
} finally {
  await browser.close();
}

const f = (x) => x.toFixed(3);
console.log(`ML worker browser test (Chromium ${browser.version()}, ${RUNS} runs per timing)`);
for (const { name, res, requests, consoleOther } of results) {
  if (!res.loaded) {
    console.log(`  ${name}: load/run/selftest -> "${res.load}"`);
    continue;
  }
  const l = res.loaded;
  console.log(`  ${name}: crossOriginIsolated=${res.crossOriginIsolated} hardwareConcurrency=${res.hardwareConcurrency}`);
  console.log(`    load: ${f(l.ms)} ms in worker (fetch ${f(l.fetchMs)} ms, InferenceSession.create ${f(l.createMs)} ms), ` +
    `${f(res.loadRoundTripMs)} ms round trip incl. worker start`);
  console.log(`    selftest: ok=${res.selftest.ok} cases=${res.selftest.cases.length} maxAbsError=${res.selftest.maxAbsError.toExponential(2)} ` +
    `(tol ${res.selftest.tolerance}) ${f(res.selftest.ms)} ms`);
  console.log(`    C major chroma -> ${res.cmaj.top} (p=${res.cmaj.topProbability.toFixed(4)}); batch of 24 triads: ${24 - res.batch.wrong.length}/24 right`);
  for (const t of res.timing) {
    console.log(`    run batch ${t.frames}: session.run median ${f(t.workerMedianMs)} ms (p95 ${f(t.workerP95Ms)}), ` +
      `round trip median ${f(t.roundTripMedianMs)} ms (p95 ${f(t.roundTripP95Ms)}) over ${t.n} calls`);
  }
  console.log(`    missing model -> "${res.missingModel}"`);
  console.log(`    requests: ${requests}, all same-origin: ${!failures.some((x) => x.includes(name) && x.includes('origin'))}` +
    (consoleOther.length ? `; other console lines: ${consoleOther.length}` : ''));
}
const outDir = path.join(ROOT, 'tests', 'e2e', 'out');
fs.mkdirSync(outDir, { recursive: true });
fs.writeFileSync(path.join(outDir, 'ml_worker.json'), JSON.stringify({ failures, results }, null, 1));
console.log(`${failures.length ? 'FAIL' : 'PASS'} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
for (const x of failures) console.log(`  - ${x}`);
process.exit(failures.length ? 1 : 0);
