// What every browser test of the built app shares: where things are, a server for the site for the
// length of a test file, and the few ways a test drives the page.
import { after, before } from 'node:test';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startStaticServer } from '../../../scripts/static-server.mjs';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const SITE = `${ROOT}build/web/site`;
export const OUT = `${ROOT}tests/e2e/out`;  // screenshots and generated WAVs: look at them
mkdirSync(OUT, { recursive: true });

/** Serves build/web/site for the test file; read `.url` (and `.requests`) inside tests. */
export function serveSite() {
  const site = { server: null, get url() { return this.server.url; }, get requests() { return this.server.requests; } };
  before(async () => { site.server = await startStaticServer(SITE); });
  after(async () => { await site.server?.close(); });
  return site;
}

/** Waits until the app has drawn its first frame. */
export async function appDrawn(page) {
  await page.waitForFunction(() => window.etude && window.etude.stats().framesDrawn > 0, null, { timeout: 20000 });
}

/** Presses a page button the way keyboard and screen-reader users do: focus, then Enter. */
export async function press(page, selector) {
  await page.focus(selector);
  await page.keyboard.press('Enter');
}

/** A setting as IndexedDB holds it (web/settings.js), read straight from the database; undefined if absent. */
export async function storedSetting(page, key) {
  return page.evaluate((k) => new Promise((resolve, reject) => {
    const open = indexedDB.open('etude');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const get = open.result.transaction('settings').objectStore('settings').get(k);
      get.onsuccess = () => { resolve(get.result); open.result.close(); };
      get.onerror = () => reject(get.error);
    };
  }), key);
}
