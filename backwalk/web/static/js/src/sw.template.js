// The backwalk service worker (served as /sw.js by backwalk/web/pages_pwa.py, which fills in
// the version and the shell). The cache is named after a hash of the static files: a new version
// installs a new cache and deletes the old one.
//
// - Static files (/static/...): from the cache, else the network (and then kept).
// - Pages: from the network, and from the cache when the network fails or is too slow (a weak
//   signal on a walk). The check's later screens fall back to their blank copies.
// - Everything else (the API, form posts): the network only; the pages queue what must be sent.

const VERSION = __VERSION__;
const CACHE = `backwalk-${VERSION}`;
const SHELL = __SHELL__;
const PAGES = 'backwalk-pages'; // the last copy of pages seen online (kept across versions)
const NETWORK_TIMEOUT_MS = 4000;
const FALLBACK = { '/check/warning': '/offline/check/warning', '/check/pain': '/offline/check/pain' };

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      const laterScreens = Object.values(FALLBACK);
      await cache.addAll([...SHELL, ...laterScreens].map((url) => new Request(url, { cache: 'reload' })));
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith('backwalk-') && name !== CACHE && name !== PAGES) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

// The page's language changed (the switch, or another browser language): the shell kept at
// install speaks the old one, so it is fetched again (the request carries the new language's
// cookie). Pages seen online are kept fresh as they are visited.
self.addEventListener('message', (event) => {
  if (!event.data || event.data.type !== 'refresh-shell') return;
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      const pages = [...SHELL, ...Object.values(FALLBACK)].filter((url) => !url.startsWith('/static/'));
      await cache.addAll(pages.map((url) => new Request(url, { cache: 'reload' })));
    })(),
  );
});

function withTimeout(promise, ms) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timeout')), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (err) => {
        clearTimeout(timer);
        reject(err);
      },
    );
  });
}

async function fromCache(url) {
  const pages = await caches.open(PAGES);
  return (await pages.match(url)) || (await caches.match(url, { cacheName: CACHE }));
}

async function page(request) {
  const url = new URL(request.url);
  const key = url.pathname;
  try {
    const response = await withTimeout(fetch(request), NETWORK_TIMEOUT_MS);
    if (response.ok && !response.redirected && ['/check', '/walk'].includes(key) && !url.search) {
      const pages = await caches.open(PAGES);
      await pages.put(key, response.clone());
    }
    return response;
  } catch {
    const cached = (await fromCache(key)) || (FALLBACK[key] && (await fromCache(FALLBACK[key])));
    if (cached) return cached;
    return (await fromCache('/check')) || Response.error();
  }
}

async function asset(request) {
  const cached = await caches.match(request, { cacheName: CACHE, ignoreSearch: true });
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) {
    const cache = await caches.open(CACHE);
    await cache.put(request, response.clone());
  }
  return response;
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/static/') || url.pathname === '/manifest.webmanifest') {
    event.respondWith(asset(request));
  } else if (request.mode === 'navigate') {
    event.respondWith(page(request));
  }
});
