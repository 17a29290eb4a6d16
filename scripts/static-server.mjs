// A small static file server for the built site: correct MIME types (application/wasm above all),
// the security headers from deploy/headers.json, no directory listings, nothing outside the root.
// Used by `make run` (scripts/serve.mjs), the end-to-end tests and the browser benchmark.
//
//   const server = await startStaticServer(dir);                    // 127.0.0.1, a free port
//   const server = await startStaticServer(dir, { headers: {        // more headers; null leaves one out
//     'Cross-Origin-Embedder-Policy': null } });                    // (a host without isolation)
//   server.url (ends with '/'), server.requests ([{method, path, status}]), await server.close();

import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';

export const MIME_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.onnx': 'application/octet-stream',
  '.bin': 'application/octet-stream',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.webmanifest': 'application/manifest+json',
  '.wav': 'audio/wav',
  '.txt': 'text/plain; charset=utf-8',
};

const HEADERS_FILE = new URL('../deploy/headers.json', import.meta.url);
export const SECURITY_HEADERS = JSON.parse(readFileSync(HEADERS_FILE, 'utf8')).headers;

async function findFile(root, urlPath) {
  const file = normalize(join(root, urlPath));
  if (file !== root && !file.startsWith(root + sep)) return { status: 403 };
  const info = await stat(file).catch(() => null);
  if (info && info.isDirectory()) return findFile(root, join(urlPath, 'index.html'));
  return info && info.isFile() ? { status: 200, file } : { status: 404 };
}

/**
 * Serves rootDir (GET and HEAD only) on host:port; port 0 picks a free port.
 * @returns {Promise<{url: string, port: number, requests: Array, close: () => Promise<void>}>}
 */
export async function startStaticServer(rootDir, { port = 0, host = '127.0.0.1', headers = {} } = {}) {
  const root = resolve(rootDir);
  // A header given as null is left out (e.g. a host without the isolation headers).
  const always = Object.fromEntries(Object.entries({ ...SECURITY_HEADERS, ...headers }).filter(([, v]) => v !== null));
  const requests = [];
  const server = createServer(async (req, res) => {
    const send = (status, body, extra = {}) => {
      requests.push({ method: req.method, path: req.url, status });
      res.writeHead(status, { 'Cache-Control': 'no-cache', ...always, ...extra });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        send(405, 'Method not allowed\n', { 'Content-Type': 'text/plain; charset=utf-8', Allow: 'GET, HEAD' });
        return;
      }
      let urlPath;
      try {
        urlPath = decodeURIComponent(new URL(req.url, 'http://x').pathname);
      } catch {
        send(400, 'Bad request\n', { 'Content-Type': 'text/plain; charset=utf-8' });
        return;
      }
      const found = await findFile(root, urlPath);
      if (found.status !== 200) {
        send(found.status, found.status === 404 ? 'Not found\n' : 'Forbidden\n', { 'Content-Type': 'text/plain; charset=utf-8' });
        return;
      }
      const body = await readFile(found.file);
      send(200, body, {
        'Content-Type': MIME_TYPES[extname(found.file).toLowerCase()] || 'application/octet-stream',
        'Content-Length': body.length,
      });
    } catch (err) {
      send(500, `${err}\n`, { 'Content-Type': 'text/plain; charset=utf-8' });
    }
  });
  await new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, ok);
  });
  const actual = server.address().port;
  return {
    url: `http://${host}:${actual}/`,
    port: actual,
    requests,
    close: () => new Promise((ok) => { server.closeAllConnections?.(); server.close(() => ok()); }),
  };
}
