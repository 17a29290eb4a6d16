// Minimal dependency-free static file server for browser tests (Node >= 18).
//
//   import { startStaticServer } from './lib/static-server.mjs';
//   const server = await startStaticServer('/abs/site/dir');                  // 127.0.0.1, free port
//   const server = await startStaticServer(dir, { headers: {                  // e.g. crossOriginIsolated
//     'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' } });
//   page.goto(server.url + 'index.html'); ...; await server.close();
//
// Returns a Promise of {url (ends with '/'), port, requests (array of {method, path, status}), close()}.
// GET and HEAD only; paths are confined to rootDir; a directory serves its index.html; no caching.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';

export const MIME_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.wasm': 'application/wasm',
  '.onnx': 'application/octet-stream',
  '.bin': 'application/octet-stream',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.wav': 'audio/wav',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

export function startStaticServer(rootDir, options = {}) {
  const root = path.resolve(rootDir);
  const extraHeaders = options.headers || {};
  const host = options.host || '127.0.0.1';
  const requests = [];

  const server = http.createServer((req, res) => {
    const send = (status, body, headers = {}) => {
      requests.push({ method: req.method, path: req.url, status });
      res.writeHead(status, { ...extraHeaders, 'Cache-Control': 'no-store', ...headers });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return send(405, 'method not allowed\n', { 'Content-Type': 'text/plain', Allow: 'GET, HEAD' });
    }
    let rel;
    try {
      rel = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    } catch {
      return send(400, 'bad request\n', { 'Content-Type': 'text/plain' });
    }
    let file = path.resolve(root, '.' + path.posix.normalize('/' + rel));
    if (file !== root && !file.startsWith(root + path.sep)) {
      return send(403, 'forbidden\n', { 'Content-Type': 'text/plain' });
    }
    fs.stat(file, (err, st) => {
      if (!err && st.isDirectory()) {
        file = path.join(file, 'index.html');
        try { st = fs.statSync(file); } catch (e) { err = e; }
      }
      if (err || !st.isFile()) return send(404, 'not found\n', { 'Content-Type': 'text/plain' });
      fs.readFile(file, (rerr, data) => {
        if (rerr) return send(500, 'read error\n', { 'Content-Type': 'text/plain' });
        const type = MIME_TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream';
        send(200, data, { 'Content-Type': type, 'Content-Length': data.length, 'X-Content-Type-Options': 'nosniff' });
      });
    });
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port || 0, host, () => {
      const { port } = server.address();
      resolve({
        url: `http://${host}:${port}/`,
        port,
        requests,
        close: () => new Promise((res) => {
          server.closeAllConnections?.();
          server.close(() => res());
        }),
      });
    });
  });
}
