#!/usr/bin/env node
// `make run`: serves the built site and prints its address.
// usage: node scripts/serve.mjs [SITE_DIR] [--port N] [--host H]
import { existsSync } from 'node:fs';
import { startStaticServer } from './static-server.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args.splice(i, 2)[1] : fallback;
};
const port = Number(option('--port', 8080));
const host = option('--host', '127.0.0.1');
const site = args[0] || 'build/web/site';

if (!existsSync(`${site}/index.html`)) {
  console.error(`serve: ${site}/index.html not found; build the site first (make web).`);
  process.exit(1);
}
try {
  const server = await startStaticServer(site, { port, host });
  console.log(`Etude is running at ${server.url}  (Ctrl+C to stop)`);
} catch (err) {
  console.error(`serve: cannot listen on ${host}:${port}: ${err.code || err.message}`);
  process.exit(1);
}
