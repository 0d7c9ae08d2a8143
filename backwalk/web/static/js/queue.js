// A small outbox in localStorage: walk updates wait here until the server has them.
// Each item has a client_id, so sending one twice (a lost reply, two tabs) stores it once.

const KEY = 'backwalk.outbox';
let memory = [];
let running = null;

function read() {
  try {
    return JSON.parse(localStorage.getItem(KEY) || '[]');
  } catch {
    return memory.slice();
  }
}

function write(items) {
  memory = items.slice();
  try {
    localStorage.setItem(KEY, JSON.stringify(items));
  } catch {
    /* storage full or blocked: the in-memory copy still works until the page closes */
  }
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

export function pending() {
  return read();
}

export function enqueue(item) {
  write([...read(), { ...item, queuedAt: Date.now() }]);
}

function remove(id) {
  write(read().filter((item) => item.id !== id));
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
  for (;;) {
    const [item] = read();
    if (!item) return { offline: false, remaining: 0 };
    let reply;
    try {
      reply = await sendOne(item);
    } catch {
      return { offline: true, remaining: read().length };
    }
    if (!reply.ok && (reply.status >= 500 || RETRY.has(reply.status))) {
      return { offline: false, remaining: read().length, failing: true };
    }
    remove(item.id);
    if (onDelivered) onDelivered(item, reply);
  }
}

/** Send everything waiting, oldest first; one run at a time. */
export function flush(onDelivered) {
  if (!running) {
    running = drain(onDelivered).finally(() => {
      running = null;
    });
  }
  return running;
}
