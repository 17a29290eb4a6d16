// The deployment configs agree with deploy/headers.json (the set the dev server and tests use), and
// the dev server serves the site with those headers and the right MIME types.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { SECURITY_HEADERS, startStaticServer } from '../../scripts/static-server.mjs';
import { ROOT, SITE } from './lib/site.mjs';

const read = (p) => readFileSync(`${ROOT}${p}`, 'utf8');

test('nginx and _headers carry exactly the headers of deploy/headers.json', () => {
  const nginx = new Map([...read('deploy/nginx/security-headers.conf').matchAll(/^add_header (\S+) "(.*)" always;$/gm)]
    .map((m) => [m[1], m[2]]));
  const netlify = new Map([...read('deploy/_headers').matchAll(/^ {2}([\w-]+): (.*)$/gm)].map((m) => [m[1], m[2]]));
  assert.deepEqual(Object.fromEntries(nginx), SECURITY_HEADERS);
  assert.deepEqual(Object.fromEntries(netlify), SECURITY_HEADERS);
  assert.match(SECURITY_HEADERS['Content-Security-Policy'], /default-src 'self'/);
  assert.match(SECURITY_HEADERS['Permissions-Policy'], /microphone=\(self\)/);
  // Every nginx location includes the header set (nginx drops inherited add_header otherwise).
  const conf = read('deploy/nginx/etude.conf');
  const locations = conf.match(/location [^{]+\{[^}]*\}/g);
  assert.ok(locations.length >= 2);
  for (const l of locations) assert.match(l, /include \/etc\/nginx\/etude\/security-headers\.conf;/);
  assert.match(conf, /application\/wasm\s+wasm;/);
});

test('the dev server sends the security headers, application/wasm, and nothing outside the site', async (t) => {
  if (!existsSync(`${SITE}/index.html`)) t.skip('build/web/site is not built');
  const server = await startStaticServer(SITE);
  try {
    const page = await fetch(server.url);
    assert.equal(page.status, 200);
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) assert.equal(page.headers.get(k), v);
    const wasm = await fetch(`${server.url}dsp.wasm`);
    assert.equal(wasm.headers.get('content-type'), 'application/wasm');
    assert.ok(WebAssembly.validate(new Uint8Array(await wasm.arrayBuffer())));
    assert.equal((await fetch(`${server.url}..%2f..%2fMakefile`)).status, 403);
    assert.equal((await fetch(`${server.url}no-such-file.js`)).status, 404);
    assert.equal((await fetch(server.url, { method: 'POST', body: 'x' })).status, 405);
  } finally {
    await server.close();
  }
});
