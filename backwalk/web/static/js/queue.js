// The outbox: updates made on this phone wait in IndexedDB until the server has them (walk
// check-ins, the end of a walk, checks decided offline). Each item has a client_id, so sending
// one twice (a lost reply, two tabs) stores it once; an item leaves the outbox only after the
// server answered. Without IndexedDB (some private modes) the outbox lives in memory.

const DB_NAME = 'backwalk';
const STORE = 'outbox';
const OLD_KEY = 'backwalk.outbox'; // the localStorage outbox of earlier versions
let memory = [];
let dbPromise = null;
let running = null;
let count = 0;

function request(req) {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function open() {
  if (!dbPromise) {
    dbPromise = new Promise((resolve) => {
      let req;
      try {
        req = indexedDB.open(DB_NAME, 1);
      } catch {
        resolve(null);
        return;
      }
      req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: 'id' });
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => resolve(null);
      req.onblocked = () => resolve(null);
    }).then(migrate);
  }
  return dbPromise;
}

/** Move anything left in the old localStorage outbox into IndexedDB, once. */
async function migrate(db) {
  let old = [];
  try {
    old = JSON.parse(localStorage.getItem(OLD_KEY) || '[]');
  } catch {
    old = [];
  }
  if (db && old.length) {
    const tx = db.transaction(STORE, 'readwrite');
    for (const item of old) tx.objectStore(STORE).put(item);
    await new Promise((resolve) => {
      tx.oncomplete = resolve;
      tx.onerror = resolve;
    });
  }
  try {
    localStorage.removeItem(OLD_KEY);
  } catch {
    /* blocked storage: nothing to move */
  }
  if (!db) memory = [...memory, ...old];
  return db;
}

async function withStore(mode, fn) {
  const db = await open();
  if (!db) return fn(null);
  const tx = db.transaction(STORE, mode);
  const result = await fn(tx.objectStore(STORE));
  await new Promise((resolve, reject) => {
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
  return result;
}

/** A random id for one update (crypto.randomUUID needs a secure context, so fall back). */
export function newClientId() {
  if (window.crypto && typeof window.crypto.randomUUID === 'function' && window.isSecureContext) {
    return window.crypto.randomUUID();
  }
  const bytes = new Uint8Array(16);
  window.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Everything waiting, oldest first. */
export async function pending() {
  const items = await withStore('readonly', (store) => (store ? request(store.getAll()) : memory.slice()));
  items.sort((a, b) => a.queuedAt - b.queuedAt || a.seq - b.seq);
  count = items.length;
  return items;
}

/** How many items were waiting when last looked (cheap, for timers). */
export function waiting() {
  return count;
}

/** Whose diary this page is (the server names it: base.html's backwalk-owner). An item is
 *  sent only by a page of the same owner, so on a shared phone one person's queued updates
 *  never upload into the next person's account; "none" (nothing saved yet on this browser)
 *  and items of older versions, which carry no owner, go with whoever is signed in. */
export function currentOwner() {
  const meta = document.querySelector('meta[name="backwalk-owner"]');
  return meta ? meta.content : 'local';
}

function mayBeSentBy(item, owner) {
  return !item.owner || item.owner === 'none' || item.owner === owner;
}

export async function enqueue(item) {
  const entry = { ...item, owner: currentOwner(), queuedAt: Date.now(), seq: performance.now() };
  await withStore('readwrite', (store) => {
    if (store) return request(store.put(entry));
    memory.push(entry);
    return null;
  });
  count += 1;
  return entry;
}

async function remove(id) {
  await withStore('readwrite', (store) => {
    if (store) return request(store.delete(id));
    memory = memory.filter((item) => item.id !== id);
    return null;
  });
}

// 4xx answers other than these mean "never going to work": drop the item rather than retry forever.
const RETRY = new Set([408, 425, 429]);

async function sendOne(item) {
  const response = await fetch(item.url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify(item.body),
    credentials: 'same-origin',
  });
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  return { status: response.status, ok: response.ok, data };
}

async function drain(onDelivered) {
  const owner = currentOwner();
  for (;;) {
    const [item] = await pending();
    if (!item) return { offline: false, remaining: 0 };
    if (!mayBeSentBy(item, owner)) {
      await remove(item.id); // another person's update: never sent into this account
      count = Math.max(0, count - 1);
      continue;
    }
    let reply;
    try {
      reply = await sendOne(item);
    } catch {
      return { offline: true, remaining: (await pending()).length };
    }
    if (!reply.ok && (reply.status >= 500 || RETRY.has(reply.status))) {
      return { offline: false, remaining: (await pending()).length, failing: true };
    }
    await remove(item.id);
    count = Math.max(0, count - 1);
    if (onDelivered) onDelivered(item, reply);
  }
}

let again = null;

/** One run at a time across tabs too (Web Locks), so two tabs do not send the same item. */
function locked(onDelivered) {
  if (navigator.locks && typeof navigator.locks.request === 'function') {
    return navigator.locks.request('backwalk-outbox', () => drain(onDelivered));
  }
  return drain(onDelivered);
}

/** Send everything waiting, oldest first; one run at a time. A call during a run waits for it
 *  and then runs again, so an item queued meanwhile is never left behind. */
export function flush(onDelivered) {
  if (!running) {
    running = locked(onDelivered).finally(() => {
      running = null;
    });
    return running;
  }
  if (!again) {
    again = running.then(() => {
      again = null;
      return flush(onDelivered);
    });
  }
  return again;
}
