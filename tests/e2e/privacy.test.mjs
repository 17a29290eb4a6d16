// Privacy is a feature with a test: one full session — microphone on, every screen, the metronome,
// the microphone check, live chords with the model in the worker — while every request is recorded.
// It fails on any request to another origin, any request that carries a body (an upload), and any
// WebSocket or WebRTC connection.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, privacyViolations } from './lib/browser.mjs';
import { OUT, appDrawn, press, serveSite } from './lib/site.mjs';
import { harmonicTone, writeWav } from './lib/wav.mjs';

const RATE = 48000;
const server = serveSite();

test('a full practice session sends nothing anywhere', async () => {
  const tones = [261.63, 329.63, 392.0].map((hz, k) => harmonicTone({ hz, sampleRate: RATE, seconds: 6, harmonics: [1, 0.5, 0.3], seed: k + 1 }));
  const wav = writeWav(`${OUT}/privacy-session.wav`, tones[0].map((_, i) => (tones[0][i] + tones[1][i] + tones[2][i]) / 3), RATE);
  const browser = await launch({ wav });
  try {
    const { page, requests, consoleErrors } = await openPage(browser);
    const sockets = [];
    page.on('websocket', (ws) => sockets.push(ws.url()));
    await page.addInitScript(() => {
      // Count peer connections (WebRTC could carry audio without an HTTP request).
      window.__peerConnections = 0;
      const Original = window.RTCPeerConnection;
      if (Original) window.RTCPeerConnection = function (...args) { window.__peerConnections++; return new Original(...args); };
    });
    await page.goto(`${server.url}?samplerate=${RATE}`);
    await appDrawn(page);
    await press(page, '#a11y-mic');
    await page.waitForFunction(() => document.getElementById('app-status').dataset.mic === 'running');
    for (const screen of [0, 1, 4, 2, 3]) {
      await press(page, `#a11y-screens button[data-screen="${screen}"]`);
      await page.waitForTimeout(600);
    }
    await page.waitForFunction(() => document.getElementById('chord-live').textContent !== '', null, { timeout: 15000 });
    await press(page, '#a11y-metronome');
    await page.waitForTimeout(1500);
    await press(page, '#a11y-metronome');
    await press(page, '#a11y-mic-check');
    await page.waitForFunction(() => document.getElementById('mic-check-live').dataset.step === 'done', null, { timeout: 15000 });
    await page.evaluate(() => window.etude.checkChordModel());
    // A generated melody, played and practised: the generator runs here and nothing leaves either.
    await press(page, '#a11y-screens button[data-screen="5"]');
    await press(page, '#a11y-generate');
    await page.waitForFunction(() => document.getElementById('melody-live').dataset.generation === '1', null, { timeout: 20000 });
    await press(page, '#a11y-play-melody');
    await page.waitForTimeout(800);
    await press(page, '#a11y-practise');
    await page.waitForFunction(() => document.getElementById('practice-live').dataset.stage === 'running', null, { timeout: 10000 });
    await page.waitForTimeout(1000);
    await press(page, '#a11y-mic');
    await page.waitForFunction(() => document.getElementById('app-status').dataset.mic === 'off');

    const origin = new URL(server.url).origin;
    assert.ok(requests.length >= 10, `only ${requests.length} requests recorded: the recorder is not working`);
    assert.ok(requests.some((r) => r.url.endsWith('.onnx')), 'the model load was not seen');
    assert.ok(requests.some((r) => r.url.endsWith('melody_gan.onnx')), 'the melody generator load was not seen');
    assert.deepEqual(privacyViolations(requests, origin), []);
    assert.deepEqual(sockets, []);
    assert.equal(await page.evaluate(() => window.__peerConnections), 0);
    // The server saw only GET and HEAD.
    assert.deepEqual(server.requests.filter((r) => r.method !== 'GET' && r.method !== 'HEAD'), []);
    assert.deepEqual(consoleErrors, []);
  } finally {
    await browser.close();
  }
});

test('the privacy check itself catches an upload and a foreign request', () => {
  const origin = 'http://127.0.0.1:1234';
  const bad = privacyViolations([
    { url: `${origin}/index.html`, method: 'GET' },
    { url: `${origin}/upload`, method: 'POST', postData: 'RIFF....WAVE' },
    { url: 'https://example.com/track.js', method: 'GET' },
  ], origin);
  assert.equal(bad.length, 3);
});
