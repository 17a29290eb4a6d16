// Every shipped model (models/*.onnx) passes its golden input/output check in the browser, through
// the same ML worker and onnxruntime-web the app uses; the native side of each check is in tests/models.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { launch, openPage, privacyViolations } from './lib/browser.mjs';
import { ROOT, appDrawn, serveSite } from './lib/site.mjs';

const server = serveSite();
const models = readdirSync(`${ROOT}models`).filter((f) => f.endsWith('.onnx')).map((f) => f.slice(0, -5));

test(`golden checks in Chromium for ${models.join(', ')}`, async () => {
  assert.ok(models.length >= 1, 'no models found');
  const browser = await launch();
  try {
    const { page, consoleErrors, requests } = await openPage(browser);
    await page.goto(server.url);
    await appDrawn(page);
    for (const model of models) {
      const r = await page.evaluate(async (m) => {
        try {
          const t = await window.etude.ml.selfTest(m);
          return { ok: t.ok, maxAbsError: t.maxAbsError, tolerance: t.tolerance, cases: t.cases.length };
        } catch (e) {
          return { error: e.message };
        }
      }, model);
      assert.equal(r.error, undefined, `${model}: ${r.error}`);
      assert.ok(r.ok && r.cases > 0, `${model}: ${JSON.stringify(r)}`);
      assert.ok(r.maxAbsError <= r.tolerance, `${model}: ${JSON.stringify(r)}`);
    }
    assert.deepEqual(consoleErrors, []);
    assert.deepEqual(privacyViolations(requests, new URL(server.url).origin), []);
  } finally {
    await browser.close();
  }
});
