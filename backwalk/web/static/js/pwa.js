// Installable and offline: register the service worker (static/js/src/sw.template.js, served
// as /sw.js) on every page. Without service workers the app works as before, online.

if ('serviceWorker' in navigator && window.isSecureContext) {
  navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => {
    /* not allowed here (private mode, policy): the app still works online */
  });
  refreshShellOnNewLanguage();
}

// The offline shell is kept in the language it was fetched in: when this page's language is
// another one, the service worker fetches the shell again, so offline pages speak it too.
function refreshShellOnNewLanguage() {
  const key = 'backwalk.shell-lang';
  const lang = document.documentElement.lang || 'en';
  navigator.serviceWorker.ready
    .then((registration) => {
      const kept = localStorage.getItem(key);
      if (kept && kept !== lang && registration.active) {
        registration.active.postMessage({ type: 'refresh-shell' });
      }
      localStorage.setItem(key, lang);
    })
    .catch(() => {});
}

// After "Delete everything", the copies this phone kept go too: the pages seen online (they may
// show a result or a walk) and the outbox of checks and check-ins not yet sent.
if (document.querySelector('[data-forgotten]')) {
  if ('caches' in window) {
    caches.delete('backwalk-pages').catch(() => {});
  }
  if ('indexedDB' in window) {
    indexedDB.deleteDatabase('backwalk');
  }
  for (const key of Object.keys(localStorage)) {
    if (key.startsWith('backwalk')) localStorage.removeItem(key);
  }
}
