// Headless Debian Chromium driven by playwright-core, with a fake microphone and a record of
// every request and console message, for the end-to-end tests and the browser benchmark.
import { chromium } from 'playwright-core';
import { PNG } from 'pngjs';

export const CHROMIUM = process.env.ETUDE_CHROMIUM || '/usr/bin/chromium';

const BASE_ARGS = [
  '--no-sandbox', '--disable-gpu', '--use-angle=swiftshader', '--enable-unsafe-swiftshader',
  '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--autoplay-policy=no-user-gesture-required',
];

/** Launches Chromium; with `wav`, the microphone is a fake device that plays that file in a loop. */
export async function launch({ wav = null, micAllowed = true } = {}) {
  const args = [...BASE_ARGS];
  if (wav) args.push('--use-fake-device-for-media-stream', `--use-file-for-fake-audio-capture=${wav}`);
  if (wav && micAllowed) args.push('--use-fake-ui-for-media-stream');
  return chromium.launch({ executablePath: CHROMIUM, args });
}

/** A page that records requests and console errors. */
export async function openPage(browser, { viewport = { width: 412, height: 800 }, deviceScaleFactor = 2 } = {}) {
  const context = await browser.newContext({ viewport, deviceScaleFactor });
  const page = await context.newPage();
  const requests = [];
  const consoleErrors = [];
  page.on('request', (r) => requests.push({ url: r.url(), method: r.method(), postData: r.postData(), resourceType: r.resourceType() }));
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => consoleErrors.push(`pageerror: ${e.message}`));
  // Requests from workers and the audio worklet show up on the context.
  context.on('request', (r) => { if (!requests.some((q) => q.url === r.url() && q.method === r.method())) requests.push({ url: r.url(), method: r.method(), postData: r.postData(), resourceType: r.resourceType() }); });
  return { context, page, requests, consoleErrors };
}

/** Requests that left the page's origin, or that carried a body (nothing is ever uploaded). */
export function privacyViolations(requests, origin) {
  const bad = [];
  for (const r of requests) {
    const u = new URL(r.url);
    if (u.protocol === 'data:' || u.protocol === 'blob:') continue;
    if (u.origin !== origin) bad.push(`other origin: ${r.method} ${r.url}`);
    if (r.method !== 'GET' && r.method !== 'HEAD') bad.push(`upload method: ${r.method} ${r.url}`);
    if (r.postData) bad.push(`request body (${r.postData.length} bytes): ${r.url}`);
  }
  return bad;
}

/** A screenshot is "not blank" when it has many colours and a fair share of non-background pixels. */
export function screenshotStats(pngBuffer) {
  const png = PNG.sync.read(pngBuffer);
  const colours = new Map();
  for (let i = 0; i < png.data.length; i += 4) {
    const key = (png.data[i] << 16) | (png.data[i + 1] << 8) | png.data[i + 2];
    colours.set(key, (colours.get(key) || 0) + 1);
  }
  const pixels = png.width * png.height;
  const background = Math.max(...colours.values());
  return { width: png.width, height: png.height, colours: colours.size, nonBackground: 1 - background / pixels };
}
