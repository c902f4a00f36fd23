// Keeps the page working offline: every file of the page is cached when the service worker
// installs, the on-demand tariff packs once fetched, and requests are answered from the cache
// first. Only same-origin GET requests pass through here; the page makes no other.

const VERSION = '__VERSION__';
const PRECACHE = ['__PRECACHE__'];
const CACHE = `preclear-${VERSION}`;

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(PRECACHE)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((key) => key.startsWith('preclear-') && key !== CACHE).map((key) => caches.delete(key))))
    .then(() => self.clients.claim()));
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    // The JS wrapper imports fresh copies of the bindings as `...?copy=N`: the same file.
    const cached = await cache.match(request, { ignoreSearch: true });
    if (cached) return cached;
    const response = await fetch(request);
    if (response.ok) cache.put(request, response.clone());
    return response;
  })());
});
