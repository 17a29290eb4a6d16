// Service worker: Etude keeps working offline after the first visit (a school's Wi-Fi drops; a
// Chromebook goes home without internet). Network first, so an online visit always gets the newest
// files; every same-origin GET that succeeds is kept, and used when the network is not there.
// Nothing is ever sent anywhere: only GETs to this site are cached; other requests pass untouched.

const CACHE = 'etude-v1';
// What the app needs to start and listen; the ML files join the cache the first time they load.
const CORE = [
  './', 'index.html', 'style.css', 'boot.js', 'main.js', 'audio.js', 'audio-engine.js', 'metronome.js',
  'settings.js', 'melody-player.js', 'etude.js', 'etude.wasm', 'dsp.wasm', 'ml/ml-client.js',
  'worklet/etude-processor.js', 'worklet/metronome-processor.js', 'worklet/dsp-instance.js', 'worklet/float-ring.js',
];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(CORE)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) if (key !== CACHE) await caches.delete(key);
    await self.clients.claim();
  })());
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    try {
      const response = await fetch(request);
      if (response.ok) cache.put(request, response.clone());
      return response;
    } catch (err) {
      const cached = await cache.match(request, { ignoreSearch: request.mode === 'navigate' });
      if (cached) return cached;
      throw err;
    }
  })());
});
