// The check, enhanced: on the emergency screen a tick (or 'not sure') sends the screen at once,
// because the check stops there; 'yes' and 'not sure' for one sign exclude each other; "None of
// these" hides once something is ticked; errors get focus; a second tap does not send twice.
//
// Offline (the phone has no connection): the screens come from the service
// worker's cache, the answers are kept in sessionStorage, and the last screen is decided on the
// phone by engine.js. The check waits in the outbox (queue.js) and is saved once when the
// connection returns; the result page (/offline/result) says it was decided on the phone.

const form = document.querySelector('[data-check-form]');
const DRAFT_KEY = 'backwalk.offline.draft';
const RESULT_KEY = 'backwalk.offline.result';

function signs() {
  const boxes = [...form.querySelectorAll('.sign input[type="checkbox"]')];
  const none = form.querySelector('[data-none]');
  const update = () => {
    if (none) none.hidden = boxes.some((box) => box.checked);
  };
  form.addEventListener('change', (event) => {
    const box = event.target;
    if (!boxes.includes(box)) return;
    if (box.checked) {
      for (const other of boxes) if (other.name === box.name && other !== box) other.checked = false;
    }
    update();
    if (box.checked && form.hasAttribute('data-stop-on-tick')) form.requestSubmit();
  });
  update();
}

function readDraft() {
  try {
    return JSON.parse(sessionStorage.getItem(DRAFT_KEY)) || { answers: {}, unsure: [] };
  } catch {
    return { answers: {}, unsure: [] };
  }
}

function writeDraft(draft) {
  try {
    sessionStorage.setItem(DRAFT_KEY, JSON.stringify(draft));
  } catch {
    /* storage blocked: the offline check cannot span screens */
  }
}

/** This screen's answers, read as the server reads them (backwalk/web/forms.py). */
function readScreen() {
  const data = new FormData(form);
  const answers = {};
  const unsure = [];
  const errors = [];
  const names = new Set();
  for (const input of form.querySelectorAll('input[name], textarea[name]')) names.add(input.name);
  for (const name of names) {
    if (name === 'csrf_token' || name === 'client_id' || name === 'none' || name.startsWith('_')) continue;
    const inputs = [...form.querySelectorAll(`[name="${name}"]`)];
    const values = data.getAll(name).filter((v) => typeof v === 'string');
    if (inputs[0].closest('.sign')) {
      if (values.includes('yes')) answers[name] = true;
      else if (values.includes('unsure')) unsure.push(name);
      else answers[name] = false;
    } else if (inputs[0].tagName === 'TEXTAREA') {
      if ((values[0] || '').trim()) errors.push([name, 'words_offline']); // the words' key (engine.js)
    } else if (inputs[0].type === 'radio') {
      if (!values.length) continue;
      if (values[0] === 'yes' || values[0] === 'no') answers[name] = values[0] === 'yes';
      else answers[name] = Number(values[0]);
    } else if (inputs[0].type !== 'hidden' && (values[0] || '').trim()) {
      const number = Number(values[0].trim().replace(',', '.'));
      if (Number.isFinite(number) && number >= 0) answers[name] = number;
      else errors.push([name, 'enter_number']);
    }
  }
  return { answers, unsure, errors };
}

function showError(name, message) {
  let box = form.querySelector('[data-offline-error]');
  if (!box) {
    box = document.createElement('p');
    box.className = 'field-error';
    box.setAttribute('role', 'alert');
    box.dataset.offlineError = '';
    form.querySelector('.actions').before(box);
  }
  box.textContent = message;
  const field = document.getElementById(`${name}-input`);
  if (field) field.focus();
}

/** Keep this screen's answers on the phone (online too), in case the connection drops later. */
function remember(screen) {
  const draft = readDraft();
  const names = new Set([...Object.keys(screen.answers), ...screen.unsure]);
  for (const input of form.querySelectorAll('input[name]')) names.add(input.name);
  const answers = Object.fromEntries(Object.entries(draft.answers).filter(([k]) => !names.has(k)));
  const unsure = draft.unsure.filter((n) => !names.has(n));
  Object.assign(answers, screen.answers);
  unsure.push(...screen.unsure);
  writeDraft({ answers, unsure });
  return { answers, unsure };
}

async function decideOffline(screen) {
  const { assess, fill, InputError, RULEBOOK } = await import('./engine.js');
  const { enqueue, newClientId } = await import('./queue.js');
  const words = RULEBOOK.words; // in the page's language
  if (screen.errors.length) {
    const [field, key] = screen.errors[0];
    showError(field, words[key]);
    return;
  }
  const { answers, unsure } = remember(screen);
  const steps = form.dataset.steps.split(' ');
  const number = Number(form.dataset.step);
  const flags = new Set(RULEBOOK.red_flags.map((f) => f.id));
  const warned = [...screen.unsure, ...Object.keys(screen.answers).filter((k) => screen.answers[k] === true)];
  const stops = form.hasAttribute('data-checklist') && warned.some((id) => flags.has(id));
  if (number < steps.length && !stops) {
    window.location.assign(steps[number]);
    return;
  }
  let assessment;
  try {
    assessment = assess(answers, { unsure });
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    showError(err.field, err.field === 'pain_score' ? fill(words.choose_number, { least: 0, most: 10 }) : err.detail);
    return;
  }
  const id = newClientId();
  await enqueue({ id, kind: 'check', url: '/api/checks', body: { answers, unsure, client_id: id } });
  localStorage.setItem(RESULT_KEY, JSON.stringify({ id, assessment, at: Date.now() }));
  sessionStorage.removeItem(DRAFT_KEY);
  window.location.assign('/offline/result');
}

if (form) {
  signs();
  const summary = document.querySelector('[data-error-summary]');
  if (summary) summary.focus();
  const buttons = form.querySelectorAll('button[type="submit"]');
  const note = document.querySelector('[data-offline-note]');
  const showOffline = () => {
    if (note) note.hidden = navigator.onLine !== false;
  };
  showOffline();
  window.addEventListener('online', showOffline);
  window.addEventListener('offline', showOffline);
  if (Number(form.dataset.step) === 1) sessionStorage.removeItem(DRAFT_KEY); // a new check
  let sending = false;
  form.addEventListener('submit', (event) => {
    if (sending) {
      event.preventDefault(); // a second tick or tap while the first send is on its way
      return;
    }
    const screen = readScreen();
    if (navigator.onLine === false) {
      event.preventDefault(); // no connection: decide on the phone
      decideOffline(screen);
      return;
    }
    if (!screen.errors.length) remember(screen);
    sending = true;
    window.setTimeout(() => {
      for (const button of buttons) button.disabled = true;
    }, 0);
  });
  window.addEventListener('pageshow', () => {
    for (const button of buttons) button.disabled = false;
    sending = false;
    freshCheckId();
  });
}

/**
 * The first screen names its check with a new id each time it is shown: the server saves one
 * check per id, so a screen sent twice saves once, and a first screen the service worker kept
 * from an earlier day never reuses that day's id.
 */
function freshCheckId() {
  const field = form.querySelector('input[name="client_id"]');
  if (!field || Number(form.dataset.step) !== 1) return;
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  field.value = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}
