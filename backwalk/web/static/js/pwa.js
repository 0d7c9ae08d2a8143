// Installable and offline: register the service worker (static/js/src/sw.template.js, served
// as /sw.js) on every page. Without service workers the app works as before, online.

if ('serviceWorker' in navigator && window.isSecureContext) {
  navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => {
    /* not allowed here (private mode, policy): the app still works online */
  });
}
