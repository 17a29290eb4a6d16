// Settings kept on the device (web/settings.js → IndexedDB): they survive a reload and shape what the
// app shows, old localStorage values move over, and blocked storage is explained, not fatal.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage } from './lib/browser.mjs';
import { OUT, appDrawn, press, serveSite, storedSetting } from './lib/site.mjs';
import { writeSineWav } from './lib/wav.mjs';

const server = serveSite();

describe('settings on this device', () => {
  test('the instrument and A4 chosen are kept in IndexedDB and used after a reload', async () => {
    const wav = writeSineWav(`${OUT}/a4-settings.wav`, { hz: 440, sampleRate: 48000, seconds: 4 });
    const browser = await launch({ wav });
    try {
      const { page, consoleErrors } = await openPage(browser);
      await page.goto(`${server.url}?samplerate=48000`);
      await appDrawn(page);
      // What the tuner's settings write when the student picks them (App::draw_tuner_settings).
      await page.evaluate(() => Promise.all([
        window.etude.settings.set('instrument', 'clarinet-bb'), window.etude.settings.set('a4_hz', 442)]));
      assert.equal(await storedSetting(page, 'instrument'), 'clarinet-bb');
      assert.equal(await storedSetting(page, 'a4_hz'), 442);

      await page.reload();
      await appDrawn(page);
      // The clarinet preset sets the analyser's pitch search range: its range (D3..G6) ± 2 semitones.
      const [minHz, maxHz] = await page.evaluate(() => window.etude.audio.pitchRange);
      assert.ok(Math.abs(minHz - 130.81) < 0.01 && Math.abs(maxHz - 1760) < 0.01, `${minHz}..${maxHz} Hz`);
      await press(page, '#a11y-mic');
      // Concert A4 = 440 Hz is a written B4 for a B-flat clarinet, and flat of A4 = 442 Hz.
      await page.waitForFunction(() => /^B 4, /.test(document.getElementById('tuner-live').textContent), null, { timeout: 15000 });
      // The cents readout settles with a 0.15 s time constant (TunerSettings::smoothing_s): wait 1 s.
      await page.waitForTimeout(1000);
      const live = await page.locator('#tuner-live').evaluate((el) => ({ text: el.textContent, ...el.dataset }));
      const expected = 1200 * Math.log2(440 / 442);  // −7.8
      assert.equal(live.note, 'A4');  // the data keeps concert pitch
      assert.ok(Math.abs(Number(live.cents) - expected) <= 2, `cents ${live.cents}, expected ${expected.toFixed(1)}`);
      // The words say the same reading, rounded to a whole cent: "B 4, 8 cents flat" for −7.8 (a steady tone
      // reads within 1 cent, so 7 or 9 is possible on a loaded machine; the number above holds it to ±2).
      const said = live.text.match(/^B 4, (\d+) cents? flat$/);
      assert.ok(said, live.text);
      assert.ok(Math.abs(Number(said[1]) - Math.abs(Number(live.cents))) <= 0.55, `${live.text} against ${live.cents}`);
      assert.deepEqual(consoleErrors, []);
    } finally {
      await browser.close();
    }
  });

  test('a delay measured by an older version (localStorage) moves to IndexedDB', async () => {
    const browser = await launch();
    try {
      const { page } = await openPage(browser);
      await page.goto(server.url);
      await appDrawn(page);
      await page.evaluate(() => localStorage.setItem('etude.device_latency_ms', '123.5'));
      await page.reload();
      await appDrawn(page);
      assert.equal(await storedSetting(page, 'device_latency_ms'), 123.5);
      assert.equal(await page.evaluate(() => localStorage.getItem('etude.device_latency_ms')), null);
    } finally {
      await browser.close();
    }
  });

  test('when the browser blocks storage the app says what that means and keeps working', async () => {
    const browser = await launch();
    try {
      const { page, consoleErrors } = await openPage(browser);
      await page.addInitScript(() => {
        IDBFactory.prototype.open = function () {
          throw new DOMException('The user denied permission to access the database.', 'SecurityError');
        };
      });
      await page.goto(server.url);
      await appDrawn(page);
      await page.waitForFunction(() => /does not let Etude keep settings/.test(document.getElementById('storage-status').textContent));
      await page.screenshot({ path: `${OUT}/settings-blocked.png` });
      // Settings still work for this visit.
      assert.equal(await page.evaluate(async () => { await window.etude.settings.set('a4_hz', 441); return window.etude.settings.get('a4_hz'); }), 441);
      assert.deepEqual(consoleErrors, []);
    } finally {
      await browser.close();
    }
  });
});

describe('data on this device', () => {
  test('a copy is one click away, and so is deleting everything', async () => {
    const browser = await launch();
    try {
      const { page, consoleErrors } = await openPage(browser);
      await page.goto(server.url);
      await appDrawn(page);
      await page.evaluate(() => Promise.all([
        window.etude.settings.set('device_latency_ms', 87.5), window.etude.settings.set('instrument', 'violin')]));
      await page.reload();
      await appDrawn(page);
      assert.notDeepEqual(await page.evaluate(() => window.etude.audio.pitchRange), [0, 0]);  // the violin's

      const [download] = await Promise.all([page.waitForEvent('download'), press(page, '#a11y-export')]);
      assert.equal(download.suggestedFilename(), 'etude-data.json');
      const { readFileSync } = await import('node:fs');
      const saved = JSON.parse(readFileSync(await download.path(), 'utf8'));
      assert.deepEqual(saved.settings, { device_latency_ms: 87.5, instrument: 'violin' });

      await press(page, '#a11y-delete');
      await page.waitForFunction(async () => Object.keys(window.etude.settings.all()).length === 0);
      await page.waitForTimeout(200);  // the write reaches IndexedDB
      assert.equal(await storedSetting(page, 'device_latency_ms'), undefined);
      assert.equal(await storedSetting(page, 'instrument'), undefined);
      // Back to the defaults: the analyser's default pitch range (no instrument preset).
      assert.deepEqual(await page.evaluate(() => window.etude.audio.pitchRange), [0, 0]);
      await page.reload();
      await appDrawn(page);
      assert.deepEqual(await page.evaluate(() => window.etude.settings.all()), {});
      assert.deepEqual(consoleErrors, []);
    } finally {
      await browser.close();
    }
  });
});
