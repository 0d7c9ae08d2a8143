// The result of a check decided on this phone (check.js, offline), shown from what check.js left
// in localStorage, in the rulebook's words (engine.js). The check waits in the outbox (queue.js)
// and is saved in the diary exactly once when the connection returns (its client_id).

import { RULEBOOK, tellClinician } from './engine.js';
import { flush, pending } from './queue.js';

export const RESULT_KEY = 'backwalk.offline.result';
const $ = (selector) => document.querySelector(selector);

function item(text, tag = 'li') {
  const li = document.createElement(tag);
  li.textContent = text;
  return li;
}

function show(saved) {
  const a = saved.assessment;
  document.title = `${a.headline} - backwalk`;
  $('[data-headline]').textContent = a.headline;
  $('[data-offline-result]').classList.add(`result-${a.disposition}`);
  for (const el of document.querySelectorAll('.js-hide')) el.hidden = true;
  const urgency = a.disposition === 'seek_care_now' ? RULEBOOK.urgencies.find((u) => u.id === a.urgency) : null;
  if (urgency) {
    $('[data-urgency]').hidden = false;
    // a sign that names who to call when it sets the tier (bleeding in pregnancy: the midwife)
    const own = RULEBOOK.red_flags.find(
      (f) => a.red_flags.includes(f.id) && f.headline && f.urgency === urgency.id,
    );
    const action = (own && own.action) || urgency.action;
    $('[data-urgency-label]').textContent = (own && own.urgency_label) || urgency.label;
    $('[data-urgency-action]').textContent = action.replace('{number}', RULEBOOK.emergency_number);
    $('.js-emergency').hidden = urgency.id !== RULEBOOK.urgencies[0].id;
    $('[data-tell]').replaceChildren(...tellClinician(a.red_flags).map((line) => item(`\u201c${line}\u201d`)));
  }
  if (a.walk_plan) {
    $('[data-walk-plan]').hidden = false;
    $('[data-minutes]').textContent = String(a.walk_plan.minutes);
    $('[data-stop-rules]').replaceChildren(...RULEBOOK.stop_rules.map((s) => item(s.text)));
    $('[data-tips]').replaceChildren(...RULEBOOK.tips.map((t) => item(t.title)));
  }
  $('[data-why]').hidden = false;
  $('[data-reasons]').replaceChildren(
    ...a.reasons.map((r) => {
      const li = document.createElement('li');
      li.append(item(r.text, 'p'));
      const source = item(RULEBOOK.words.source, 'p');
      source.className = 'source';
      source.append(item(r.source, 'cite'));
      li.append(source);
      return li;
    }),
  );
  const measures = RULEBOOK.supportive.filter((m) => a.supportive.includes(m.id));
  if (measures.length) {
    $('[data-measures]').hidden = false;
    $('[data-measure-list]').replaceChildren(
      ...measures.map((m) => {
        const li = document.createElement('li');
        const link = document.createElement('a');
        link.href = `/learn#learn-${m.id}`;
        link.textContent = m.title;
        li.append(link, `: ${m.summary}`);
        return li;
      }),
    );
  }
}

function stored(saved, checkId) {
  const status = $('[data-phone-status]');
  status.textContent = RULEBOOK.words.decided_saved;
  const link = $('[data-saved-link]');
  link.href = `/result/${checkId}`;
  link.hidden = false;
  saved.checkId = checkId;
  localStorage.setItem(RESULT_KEY, JSON.stringify(saved));
}

async function sync(saved) {
  if (saved.checkId) {
    stored(saved, saved.checkId);
    return;
  }
  await flush((sent, reply) => {
    if (sent.id === saved.id && reply.data && reply.data.check) stored(saved, reply.data.check.id);
  });
  if (!saved.checkId && (await pending()).some((p) => p.id === saved.id)) {
    $('[data-phone-status]').textContent = RULEBOOK.words.decided_kept;
  }
}

let saved = null;
try {
  saved = JSON.parse(localStorage.getItem(RESULT_KEY));
} catch {
  saved = null;
}
if (saved && saved.assessment) {
  show(saved);
  sync(saved);
  window.addEventListener('online', () => sync(saved));
}
