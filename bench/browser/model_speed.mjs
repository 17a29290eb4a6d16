#!/usr/bin/env node
// Per-call cost of each shipped model in headless Chromium, through the app's ML worker
// (onnxruntime-web, wasm backend, one thread): the time of session.run inside the worker and the
// main-thread round trip. Inputs are random values of the right shapes. Not a test.
// usage: node bench/browser/model_speed.mjs [--calls N]   (after `make web`)
import { startStaticServer } from '../../scripts/static-server.mjs';
import { launch, openPage } from '../../tests/e2e/lib/browser.mjs';
import { SITE } from '../../tests/e2e/lib/site.mjs';

const calls = Number(process.argv[process.argv.indexOf('--calls') + 1]) || 200;
const cases = {
  chord_templates: { chroma: { dims: [1, 12] } },
  chord_classifier: { frames: { dims: [1, 16 * 68] } },
  // What the Chords screen sends a few times a second: the window and its 16 occluded copies.
  'chord_classifier (17-row occlusion batch)': { frames: { dims: [17, 16 * 68] } },
  melody_gan: { noise: { dims: [1, 32] }, condition: { dims: [1, 28] } },
};

const server = await startStaticServer(SITE);
const browser = await launch();
try {
  const { page } = await openPage(browser);
  await page.goto(server.url);
  await page.waitForFunction(() => window.etude && window.etude.stats().framesDrawn > 0, null, { timeout: 30000 });
  console.log('| model | load (ms) | session.run median / p95 (ms) | round trip median / p95 (ms) |');
  console.log('|---|---:|---:|---:|');
  for (const [name, inputs] of Object.entries(cases)) {
    const model = name.split(' ')[0];  // a row name can say what the input is
    const r = await page.evaluate(async ({ model, inputs, calls }) => {
      const t0 = performance.now();
      await window.etude.ml.load(model);
      const load = performance.now() - t0;
      const run = [], trip = [];
      for (let i = 0; i < calls; i++) {
        const feed = {};
        for (const [name, { dims }] of Object.entries(inputs)) {
          feed[name] = { data: Float32Array.from({ length: dims[0] * dims[1] }, () => Math.random()), dims };
        }
        const t = performance.now();
        const out = await window.etude.ml.infer(model, feed);
        trip.push(performance.now() - t);
        run.push(out.ms);
      }
      const q = (v, p) => [...v].sort((a, b) => a - b)[Math.floor(p * (v.length - 1))];
      return { load, run: [q(run, 0.5), q(run, 0.95)], trip: [q(trip, 0.5), q(trip, 0.95)] };
    }, { model, inputs, calls });
    console.log(`| ${name} | ${r.load.toFixed(0)} | ${r.run.map((v) => v.toFixed(2)).join(' / ')} | ${r.trip.map((v) => v.toFixed(2)).join(' / ')} |`);
  }
} finally {
  await browser.close();
  await server.close();
}
