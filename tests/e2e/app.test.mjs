// End-to-end: the built site (build/web/site) in headless Chromium with a fake microphone.
// Run by `make test` (node --test tests/e2e/). Screenshots go to tests/e2e/out/ — look at them.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { launch, openPage, privacyViolations, screenshotStats } from './lib/browser.mjs';
import { OUT, appDrawn, press, serveSite } from './lib/site.mjs';
import { harmonicTone, writeSineWav, writeWav } from './lib/wav.mjs';

const server = serveSite();

async function appReady(page) {
  await page.goto(server.url);
  await appDrawn(page);
}

async function saveScreenshot(page, name) {
  const png = await page.screenshot();
  writeFileSync(`${OUT}/${name}.png`, png);
  return screenshotStats(png);
}

// The mirror's button is what keyboard and screen-reader users press (it is visually hidden).
const pressMicButton = (page) => press(page, '#a11y-mic');

function centsBetween(a, b) { return 1200 * Math.log2(a / b); }

describe('app start-up', () => {
  test('loads with no console errors, draws, then stays idle', async () => {
    const browser = await launch();
    try {
      const { page, consoleErrors, requests } = await openPage(browser);
      await appReady(page);
      const stats = await saveScreenshot(page, 'start');
      assert.ok(stats.colours > 20 && stats.nonBackground > 0.01, `screenshot looks blank: ${JSON.stringify(stats)}`);
      // Idle means no frames: nothing happens for 1.5 s, so nothing may be drawn.
      await page.waitForTimeout(300);
      const before = await page.evaluate(() => window.etude.stats().framesDrawn);
      await page.waitForTimeout(1500);
      const afterIdle = await page.evaluate(() => window.etude.stats().framesDrawn);
      assert.equal(afterIdle, before, 'frames were drawn while idle');
      // Input wakes it up.
      await page.mouse.move(100, 100);
      await page.waitForFunction((n) => window.etude.stats().framesDrawn > n, afterIdle);
      assert.deepEqual(consoleErrors, []);
      assert.deepEqual(privacyViolations(requests, new URL(server.url).origin), []);
      assert.equal(await page.locator('#app-status').getAttribute('data-mic'), 'off');
    } finally {
      await browser.close();
    }
  });

  test('the canvas is sharp: its drawing buffer follows devicePixelRatio', async () => {
    const browser = await launch();
    try {
      const { page } = await openPage(browser, { viewport: { width: 400, height: 640 }, deviceScaleFactor: 2 });
      await appReady(page);
      const size = await page.evaluate(() => {
        const c = document.getElementById('canvas');
        return { w: c.width, h: c.height, cssW: c.clientWidth, cssH: c.clientHeight };
      });
      assert.equal(size.cssW, 400);
      assert.equal(size.w, 800);
      assert.equal(size.h, 1280);
    } finally {
      await browser.close();
    }
  });
});

for (const rate of [48000, 44100]) {
  describe(`tuner with a fake microphone at ${rate} Hz`, () => {
    const wav = writeSineWav(`${OUT}/a4-${rate}.wav`, { hz: 440, sampleRate: rate, seconds: 6 });

    test('reports A4 within ±5 cents through the ARIA live region; every request same-origin', async () => {
      const browser = await launch({ wav });
      try {
        const { page, consoleErrors, requests } = await openPage(browser);
        await page.goto(`${server.url}?samplerate=${rate}`);
        await appDrawn(page);
        await pressMicButton(page);
        await page.waitForFunction(() => document.getElementById('tuner-live').dataset.note === 'A4', null, { timeout: 15000 });
        await page.waitForTimeout(500);  // let the reading settle
        const live = await page.locator('#tuner-live').evaluate((el) => ({ text: el.textContent, ...el.dataset }));
        const status = await page.locator('#app-status').getAttribute('data-mic');
        const sampleRate = await page.evaluate(() => window.etude.audio.session.ctx.sampleRate);
        assert.equal(sampleRate, rate);
        assert.equal(status, 'running');
        assert.equal(live.note, 'A4');
        assert.ok(Math.abs(Number(live.cents)) <= 5, `cents ${live.cents}`);
        assert.ok(Math.abs(centsBetween(Number(live.f0), 440)) <= 5, `f0 ${live.f0}`);
        assert.match(live.text, /^A 4, /);
        assert.ok(await page.evaluate(() => window.etude.stats().audioFrames) > 50);
        // COOP + COEP make the page cross-origin isolated, so frames come through shared memory and
        // the audio thread allocates nothing (tests/e2e/audio_thread.test.mjs).
        assert.equal(await page.evaluate(() => crossOriginIsolated), true);
        assert.equal(await page.evaluate(() => window.etude.stats().audioTransport), 'shared-memory');
        assert.equal(await page.evaluate(() => window.etude.stats().audioFramesDropped), 0);
        await saveScreenshot(page, `tuner-a4-${rate}`);

        // The chord model in the ML worker passes its golden self-test in the browser.
        await page.evaluate(() => window.etude.checkChordModel());
        const ml = await page.locator('#ml-status').evaluate((el) => ({ state: el.dataset.state, text: el.textContent }));
        assert.equal(ml.state, 'ready', ml.text);

        // Stopping releases the microphone.
        await pressMicButton(page);
        await page.waitForFunction(() => document.getElementById('app-status').dataset.mic === 'off');
        assert.deepEqual(consoleErrors, []);
        assert.deepEqual(privacyViolations(requests, new URL(server.url).origin), []);
      } finally {
        await browser.close();
      }
    });
  });
}

describe('a host that cannot send the isolation headers', () => {
  test('frames fall back to messages between the threads and the tuner still works', async () => {
    const wav = writeSineWav(`${OUT}/a4-no-isolation.wav`, { hz: 440, sampleRate: 48000, seconds: 4 });
    const browser = await launch({ wav });
    try {
      const { page, consoleErrors } = await openPage(browser);
      // Like GitHub Pages: every response arrives without COOP/COEP.
      await page.route('**/*', async (route) => {
        const response = await route.fetch();
        const headers = { ...response.headers() };
        delete headers['cross-origin-embedder-policy'];
        delete headers['cross-origin-opener-policy'];
        await route.fulfill({ response, headers });
      });
      await page.goto(`${server.url}?samplerate=48000`);
      await appDrawn(page);
      assert.equal(await page.evaluate(() => crossOriginIsolated), false);
      await pressMicButton(page);
      await page.waitForFunction(() => document.getElementById('tuner-live').dataset.note === 'A4', null, { timeout: 15000 });
      assert.equal(await page.evaluate(() => window.etude.stats().audioTransport), 'messages');
      assert.deepEqual(consoleErrors, []);
    } finally {
      await browser.close();
    }
  });
});

describe('keyboard', () => {
  const wav = writeSineWav(`${OUT}/a4-keyboard.wav`, { hz: 440, sampleRate: 48000, seconds: 2 });

  test('Tab reaches Start microphone on the canvas and Space presses it', async () => {
    const browser = await launch({ wav });
    try {
      const { page, consoleErrors } = await openPage(browser);
      await appReady(page);
      await page.focus('#canvas');
      await page.keyboard.press('Tab');
      await saveScreenshot(page, 'keyboard-focus');
      await page.keyboard.press('Space');
      await page.waitForFunction(() => document.getElementById('app-status').dataset.mic === 'running');
      assert.deepEqual(consoleErrors, []);
    } finally {
      await browser.close();
    }
  });
});

describe('screen tabs on a small phone', () => {
  test('six whole tabs wrap onto two rows at 360 px; the keyboard reaches each; the page marks the current screen', async () => {
    const browser = await launch();
    try {
      const { page, consoleErrors } = await openPage(browser, { viewport: { width: 360, height: 700 }, deviceScaleFactor: 2 });
      await appReady(page);
      const current = () => page.evaluate(() => document.querySelector('#a11y-screens button[aria-current="page"]')?.dataset.screen);
      assert.equal(await current(), '0');
      await saveScreenshot(page, 'tabs-360');
      // Tab order on the canvas: Start microphone, then Tuner, Trace, Metronome, Mic, Chords, Generate.
      // The app draws on demand and ImGui takes one key event per frame, so give each press a frame.
      const key = async (k) => { await page.keyboard.press(k); await page.waitForTimeout(120); };
      await page.focus('#canvas');
      for (let i = 0; i < 7; i++) await key('Tab');
      await key('Space');
      await page.waitForFunction(() => document.querySelector('#a11y-screens button[data-screen="5"]').getAttribute('aria-current') === 'page');
      await saveScreenshot(page, 'tabs-360-generate');
      // Shift+Tab twice back to Mic, then Space: the microphone check screen.
      for (let i = 0; i < 2; i++) await key('Shift+Tab');
      await key('Space');
      await page.waitForFunction(() => document.querySelector('#a11y-screens button[data-screen="2"]').getAttribute('aria-current') === 'page');
      // The page's own navigation moves the mark too, and only one button has it.
      await press(page, '#a11y-screens button[data-screen="3"]');
      await page.waitForFunction(() => document.querySelector('#a11y-screens button[data-screen="3"]').getAttribute('aria-current') === 'page');
      assert.equal(await page.locator('#a11y-screens button[aria-current]').count(), 1);
      assert.deepEqual(consoleErrors, []);
    } finally {
      await browser.close();
    }
  });
});

describe('when things are missing', () => {
  const wav = writeSineWav(`${OUT}/a4-quiet.wav`, { hz: 440, sampleRate: 48000, seconds: 2 });

  for (const [name, errorName, state, words] of [
    ['denied', 'NotAllowedError', 'denied', /Chromebook.*Always allow/s],
    ['absent', 'NotFoundError', 'no-device', /No microphone was found/],
  ]) {
    test(`microphone ${name}: the app says what to do and keeps working`, async () => {
      const browser = await launch({ wav });
      try {
        const { page, consoleErrors } = await openPage(browser);
        await page.addInitScript((err) => {
          navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('test', err));
        }, errorName);
        await appReady(page);
        await pressMicButton(page);
        await page.waitForFunction((s) => document.getElementById('app-status').dataset.mic === s, state);
        assert.match(await page.locator('#app-status').textContent(), words);
        await saveScreenshot(page, `mic-${name}`);
        // The rest still works: the chord model loads.
        await page.evaluate(() => window.etude.checkChordModel());
        assert.equal(await page.locator('#ml-status').getAttribute('data-state'), 'ready');
        assert.deepEqual(consoleErrors, []);
      } finally {
        await browser.close();
      }
    });
  }

  for (const [name, script, missing] of [
    ['AudioWorklet', () => { delete window.AudioWorkletNode; }, /AudioWorklet/],
    ['WebGL2', () => {
      const original = HTMLCanvasElement.prototype.getContext;
      HTMLCanvasElement.prototype.getContext = function (type, ...rest) {
        return type === 'webgl2' ? null : original.call(this, type, ...rest);
      };
    }, /WebGL 2/],
    ['WebAssembly', () => { delete window.WebAssembly; }, /WebAssembly/],
    ['WebAssembly SIMD', () => {
      // An engine without SIMD rejects any module that uses v128 (type 0x7b).
      const validate = WebAssembly.validate;
      WebAssembly.validate = (bytes) => !Array.from(bytes).includes(123) && validate(bytes);
    }, /WebAssembly SIMD/],
  ]) {
    test(`no ${name}: a plain page says which browser is needed`, async () => {
      const browser = await launch();
      try {
        const { page, requests } = await openPage(browser);
        await page.addInitScript(script);
        await page.goto(server.url);
        const text = await page.locator('#unsupported').textContent({ timeout: 10000 });
        assert.match(text, /needs a newer browser/);
        assert.match(text, missing);
        assert.match(text, /Chrome/);
        // Nothing heavy was downloaded.
        assert.ok(!requests.some((r) => r.url.endsWith('.wasm')), 'wasm was fetched for an unsupported browser');
        await saveScreenshot(page, `unsupported-${name.replace(/ /g, "-")}`);
      } finally {
        await browser.close();
      }
    });
  }
});

describe('offline', () => {
  test('after one visit the app starts and listens with the network gone', async () => {
    const wav = writeSineWav(`${OUT}/a4-offline.wav`, { hz: 440, sampleRate: 48000, seconds: 3 });
    const browser = await launch({ wav });
    try {
      const { context, page, consoleErrors } = await openPage(browser);
      await appReady(page);
      await page.waitForFunction(async () => !!(await navigator.serviceWorker.getRegistration())?.active, null, { timeout: 10000 });
      await page.reload();  // now controlled by the service worker, which keeps what loads
      await appReady(page);
      await context.setOffline(true);
      await page.reload();
      await appReady(page);
      await pressMicButton(page);
      await page.waitForFunction(() => document.getElementById('tuner-live').dataset.note === 'A4', null, { timeout: 15000 });
      // Served by the service worker, the page keeps its isolation headers and its shared memory.
      assert.equal(await page.evaluate(() => window.etude.stats().audioTransport), 'shared-memory');
      assert.deepEqual(consoleErrors.filter((e) => !/ERR_INTERNET_DISCONNECTED/.test(e)), []);
    } finally {
      await browser.close();
    }
  });
});

describe('a model that fails to load', () => {
  test('the Chords screen says so once, keeps listening, and does not retry in a loop', async () => {
    const tones = [261.63, 329.63, 392.0].map((hz, k) => harmonicTone({ hz, sampleRate: 48000, seconds: 4, harmonics: [1, 0.5], seed: k + 1 }));
    const wav = writeWav(`${OUT}/c-major-nomodel.wav`, tones[0].map((_, i) => (tones[0][i] + tones[1][i] + tones[2][i]) / 3), 48000);
    const browser = await launch({ wav });
    try {
      const { context, page } = await openPage(browser);
      // Both chord models are gone: the trained classifier, then the template matcher it falls back to.
      await context.route(/models\/chord_(templates|classifier)\.onnx$/, (route) => route.fulfill({ status: 404, body: 'gone' }));
      await appReady(page);
      await pressMicButton(page);
      await press(page, '#a11y-screens button[data-screen="3"]');
      await page.waitForFunction(() => document.getElementById('ml-status').dataset.state === 'failed', null, { timeout: 15000 });
      const message = await page.locator('#ml-status').textContent();
      assert.match(message, /could not be loaded/);
      assert.match(message, /Everything else still works/);
      await page.waitForTimeout(2000);
      const attempts = (await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name)))
        .filter((u) => u.endsWith('chord_templates.onnx')).length;
      assert.ok(attempts <= 2, `${attempts} attempts to load the model`);
      // The tuner still works.
      assert.equal(await page.locator('#app-status').getAttribute('data-mic'), 'running');
      await saveScreenshot(page, 'chords-model-failed');
    } finally {
      await browser.close();
    }
  });
});

describe('the trained chord classifier fails to load', () => {
  test('live chords fall back to the template matcher and still name the chord', async () => {
    const tones = [261.63, 329.63, 392.0].map((hz, k) => harmonicTone({ hz, sampleRate: 48000, seconds: 4, harmonics: [1, 0.5], seed: k + 1 }));
    const wav = writeWav(`${OUT}/c-major-noclassifier.wav`, tones[0].map((_, i) => (tones[0][i] + tones[1][i] + tones[2][i]) / 3), 48000);
    const browser = await launch({ wav });
    try {
      const { context, page, consoleErrors } = await openPage(browser);
      await context.route('**/models/chord_classifier.onnx', (route) => route.fulfill({ status: 404, body: 'gone' }));
      await appReady(page);
      await pressMicButton(page);
      await press(page, '#a11y-screens button[data-screen="3"]');
      await page.waitForTimeout(2500);  // long enough for the classifier to be tried and given up
      await page.waitForFunction(() => document.getElementById('chord-live').textContent === 'C major', null, { timeout: 10000 });
      assert.deepEqual(consoleErrors.filter((e) => !/404/.test(e)), []);
    } finally {
      await browser.close();
    }
  });
});
