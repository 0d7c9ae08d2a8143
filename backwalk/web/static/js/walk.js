// The guided walk: timer and progress ring, cues, check-in prompts, stop rules, finish.
// Time comes from the browser clock (Date.now), so a reload resumes where the walk was, and
// every update goes through the outbox (queue.js), so a dropped connection loses nothing.

import { enqueue, flush, newClientId, pending } from './queue.js';
import { combinationsOf, decideCheckin, describeCheckin, rulesFromVocabulary } from './rule.js';

const $ = (selector, root = document) => root.querySelector(selector);
const data = JSON.parse($('#walk-data').textContent);
const root = $('[data-walk]');

const store = {
  get(key) {
    try {
      return JSON.parse(localStorage.getItem(key));
    } catch {
      return null;
    }
  },
  set(key, value) {
    try {
      localStorage.setItem(key, JSON.stringify(value));
    } catch {
      /* private mode or full: the walk still runs, it just cannot resume after a reload */
    }
  },
};

function clock(seconds) {
  const total = Math.max(0, Math.floor(seconds));
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
}

function plural(n, word) {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

class Walk {
  constructor(walk, rules) {
    this.walk = walk;
    this.rules = rules;
    this.planned = walk.planned_minutes * 60;
    this.every = data.checkin_every_seconds;
    this.key = `backwalk.walk.${walk.id}`;
    this.state = store.get(this.key) || {
      startedAt: Date.now() - walk.elapsed_seconds * 1000,
      prompted: 0,
      timeUp: false,
      ended: null,
    };
    this.save();
    this.shown = { second: -1, minute: 0, cue: -1, beat: 0 };
    this.wakeLock = null;
    this.el = {
      elapsed: $('[data-elapsed]', root),
      ring: $('[data-ring]', root),
      announce: $('[data-announce]', root),
      cue: $('[data-cue]', root),
      sync: $('[data-sync]', root),
      wake: $('[data-wake]', root),
      checkinPanel: $('[data-checkin-panel]', root),
      checkinForm: $('[data-checkin-form]', root),
      checkinError: $('[data-checkin-error]', root),
      finishPanel: $('[data-finish-panel]', root),
      finishForm: $('[data-finish-form]', root),
      finishTitle: $('[data-finish-title]', root),
      outcome: $('[data-outcome]', root),
      sound: $('[data-cue-sound]', root),
    };
  }

  save() {
    store.set(this.key, this.state);
  }

  elapsed() {
    return Math.max(0, (Date.now() - this.state.startedAt) / 1000);
  }

  start() {
    for (const el of root.querySelectorAll('.js-only')) el.hidden = false;
    for (const el of root.querySelectorAll('.js-hide')) el.hidden = true;
    this.bind();
    if (this.state.ended) {
      this.showEnded(this.state.ended);
    } else {
      this.tick();
      this.timer = window.setInterval(() => this.tick(), 250);
      if (this.state.timeUp) this.openFinish(true);
      this.keepAwake();
    }
    this.sync().then(() => this.reconcile());
    window.addEventListener('online', () => this.sync().then(() => this.reconcile()));
    window.setInterval(() => {
      if (pending().length) this.sync();
    }, 15000);
  }

  bind() {
    $('[data-checkin-now]', root).addEventListener('click', () => this.openCheckin(true));
    $('[data-end-now]', root).addEventListener('click', () => this.openFinish(false));
    this.el.checkinForm.addEventListener('submit', (event) => {
      event.preventDefault();
      this.submitCheckin();
    });
    this.el.finishForm.addEventListener('submit', (event) => {
      event.preventDefault();
      const status = event.submitter && event.submitter.value === 'completed' ? 'completed' : 'interrupted';
      this.submitFinish(status);
    });
    this.el.sound.checked = store.get('backwalk.sound') === true;
    this.el.sound.addEventListener('change', () => {
      store.set('backwalk.sound', this.el.sound.checked);
      if (this.el.sound.checked) this.beep();
    });
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') {
        this.keepAwake();
        this.tick();
      }
    });
  }

  tick() {
    if (this.state.ended) return;
    const elapsed = this.elapsed();
    const second = Math.floor(Math.min(elapsed, this.planned));
    if (second !== this.shown.second) {
      this.shown.second = second;
      this.el.elapsed.textContent = clock(second);
      const done = Math.min(1, elapsed / this.planned);
      this.el.ring.setAttribute('stroke-dashoffset', String(100 - done * 100));
    }
    this.rotateCue(elapsed);
    this.announceMinute(elapsed);
    this.heartbeat(elapsed);
    if (elapsed >= this.planned && !this.state.timeUp) {
      this.state.timeUp = true;
      this.save();
      this.say('Time is up. Well done. Tell backwalk how your back feels now.');
      this.alert();
      this.openFinish(true);
      return;
    }
    const due = Math.floor(elapsed / this.every);
    if (elapsed < this.planned && due > this.state.prompted) {
      this.state.prompted = due;
      this.save();
      this.say('Time to check in: how is your back?');
      this.alert();
      this.openCheckin(false);
      this.el.checkinPanel.classList.add('prompt');
    }
  }

  rotateCue(elapsed) {
    const cues = this.rules.cues;
    const index = Math.floor(elapsed / 30) % cues.length;
    if (index !== this.shown.cue) {
      this.shown.cue = index;
      this.el.cue.textContent = cues[index].text;
    }
  }

  announceMinute(elapsed) {
    const minute = Math.floor(elapsed / 60);
    if (minute > this.shown.minute && elapsed < this.planned) {
      this.shown.minute = minute;
      const left = Math.ceil((this.planned - elapsed) / 60);
      this.say(`${plural(minute, 'minute')} walked, about ${plural(left, 'minute')} to go.`);
    }
  }

  heartbeat(elapsed) {
    const beat = Math.floor(elapsed / 30);
    if (beat <= this.shown.beat || pending().length) return;
    this.shown.beat = beat;
    fetch(`/api/walks/${this.walk.id}/heartbeat`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ elapsed_seconds: Math.round(Math.min(elapsed, 86400)) }),
    }).catch(() => {});
  }

  say(text) {
    this.el.announce.textContent = text;
  }

  alert() {
    if (!this.el.sound.checked) return;
    if (navigator.vibrate) navigator.vibrate([200, 100, 200]);
    this.beep();
  }

  beep() {
    try {
      const Context = window.AudioContext || window.webkitAudioContext;
      if (!Context) return;
      this.audio = this.audio || new Context();
      const osc = this.audio.createOscillator();
      const gain = this.audio.createGain();
      osc.frequency.value = 660;
      gain.gain.setValueAtTime(0.15, this.audio.currentTime);
      gain.gain.exponentialRampToValueAtTime(0.001, this.audio.currentTime + 0.6);
      osc.connect(gain).connect(this.audio.destination);
      osc.start();
      osc.stop(this.audio.currentTime + 0.6);
    } catch {
      /* no sound available: the screen prompt is enough */
    }
  }

  async keepAwake() {
    if (!('wakeLock' in navigator) || this.state.ended || document.visibilityState !== 'visible') return;
    if (this.wakeLock && !this.wakeLock.released) return;
    try {
      this.wakeLock = await navigator.wakeLock.request('screen');
      this.el.wake.textContent = 'Your screen will stay on during the walk.';
    } catch {
      this.el.wake.textContent = '';
    }
  }

  releaseWake() {
    if (this.wakeLock) this.wakeLock.release().catch(() => {});
    this.wakeLock = null;
    this.el.wake.textContent = '';
  }

  openCheckin(focus) {
    if (this.state.ended) return;
    this.el.finishPanel.hidden = true;
    this.el.checkinPanel.hidden = false;
    this.el.checkinError.hidden = true;
    if (focus) $('#checkin-title').focus();
  }

  openFinish(timeUp) {
    if (this.state.ended) return;
    this.el.checkinPanel.hidden = true;
    this.el.finishPanel.hidden = false;
    const completed = $('[data-finish-completed]', root);
    const interrupted = $('[data-finish-interrupted]', root);
    const early = !timeUp && !this.state.timeUp;
    completed.hidden = early;
    interrupted.hidden = !early;
    $('#q-pain_after', root).hidden = early;
    this.el.finishTitle.textContent = early ? 'End the walk now?' : 'Time is up. Well done.';
    this.el.finishTitle.focus();
  }

  submitCheckin() {
    const form = new FormData(this.el.checkinForm);
    const pain = form.get('current_pain');
    if (pain === null) {
      this.el.checkinError.textContent = 'Choose a number from 0 to 10.';
      this.el.checkinError.hidden = false;
      $('#current_pain-input', root).focus();
      return;
    }
    const report = { current_pain: Number(pain), sharp_or_shooting: form.get('sharp') === 'yes' };
    for (const id of this.rules.checkinFlagIds) if (form.get(id) === 'yes') report[id] = true;
    const id = newClientId();
    const elapsed = Math.round(Math.min(this.elapsed(), 86400) * 10) / 10;
    enqueue({
      id,
      kind: 'checkin',
      url: `/api/walks/${this.walk.id}/checkins`,
      body: { ...report, elapsed_seconds: elapsed, client_id: id },
    });
    this.lastCheckin = id;
    const input = { ...report, baseline_pain: this.walk.pain_before };
    const decision = decideCheckin(input, this.rules);
    this.el.checkinForm.reset();
    this.el.checkinPanel.hidden = true;
    this.el.checkinPanel.classList.remove('prompt');
    if (decision.action !== 'continue') this.end({ kind: decision.action, decision, input });
    this.showDecision(decision, input);
    this.sync();
  }

  submitFinish(status) {
    const form = new FormData(this.el.finishForm);
    const pain = form.get('pain_after');
    const elapsed = Math.round(Math.min(this.elapsed(), 86400) * 10) / 10;
    const painAfter = status === 'completed' && pain !== null ? Number(pain) : null;
    enqueue({
      id: newClientId(),
      kind: 'finish',
      url: `/api/walks/${this.walk.id}/finish`,
      body: { status, elapsed_seconds: elapsed, pain_after: painAfter },
    });
    this.end({ kind: status, elapsed, painAfter });
    this.showEnded(this.state.ended);
    this.sync();
  }

  end(ended) {
    this.state.ended = ended;
    this.save();
    for (const el of root.querySelectorAll('.walk-live')) el.hidden = true;
    window.clearInterval(this.timer);
    this.releaseWake();
    this.el.finishPanel.hidden = true;
    this.el.checkinPanel.hidden = true;
    $('[data-checkin-now]', root).hidden = true;
    $('[data-end-now]', root).hidden = true;
  }

  showEnded(ended) {
    this.end(ended);
    if (ended.decision) {
      this.showDecision(ended.decision, ended.input);
      return;
    }
    const done = ended.kind === 'completed';
    const after = ended.painAfter === null || ended.painAfter === undefined ? '' : ` Pain after: ${ended.painAfter}/10.`;
    this.showOutcome({
      kind: 'continue',
      headline: done ? 'Walk complete. Well done.' : 'Walk ended.',
      text: `You walked ${clock(ended.elapsed ?? this.elapsed())} of ${clock(this.planned)}. Pain before: ${this.walk.pain_before}/10.${after}`,
      links: true,
    });
  }

  showDecision(decision, input) {
    const words = describeCheckin(decision, input, this.rules);
    this.showOutcome({
      kind: decision.action,
      headline: words.headline,
      text: words.text,
      urgency: decision.urgency ? this.rules.urgencies[decision.urgency] : null,
      tell: [
        ...decision.red_flags.map((id) => this.rules.flags[id].tell_clinician),
        ...combinationsOf(decision.red_flags, this.rules).map((k) => k.tell_clinician),
      ],
      stop: decision.action === 'stop',
      links: decision.action !== 'continue',
    });
  }

  showOutcome(view) {
    const box = this.el.outcome;
    box.className = `panel outcome outcome-${view.kind}`;
    $('[data-outcome-title]', box).textContent = view.headline;
    $('[data-outcome-text]', box).textContent = view.text;
    const urgent = $('[data-outcome-urgent]', box);
    urgent.hidden = !view.urgency;
    $('.js-emergency', box).hidden = !view.urgency || view.urgency.id !== this.rules.emergency;
    if (view.urgency) {
      $('[data-urgency-label]', box).textContent = view.urgency.label;
      $('[data-urgency-action]', box).textContent = view.urgency.action;
      const list = $('[data-tell]', box);
      list.replaceChildren(...view.tell.map((line) => {
        const li = document.createElement('li');
        li.textContent = `\u201c${line}\u201d`;
        return li;
      }));
    }
    $('[data-outcome-stop]', box).hidden = !view.stop;
    $('[data-outcome-links]', box).hidden = !view.links;
    $('[data-check-again]', box).hidden = view.kind === 'stop_seek_care';
    box.hidden = false;
    box.focus();
  }

  async sync() {
    if (pending().length) this.el.sync.textContent = 'Saving\u2026';
    const result = await flush((item, reply) => this.delivered(item, reply));
    const waiting = pending().length;
    const offlineNote = $('[data-outcome-offline]', root);
    offlineNote.hidden = waiting === 0;
    this.el.sync.classList.toggle('offline', waiting > 0);
    if (waiting > 0) {
      const what = plural(waiting, 'update');
      this.el.sync.textContent = result.offline
        ? `Offline: ${what} saved on this device. They will be sent when the connection returns.`
        : `${what} waiting to be sent. Trying again shortly.`;
    } else {
      this.el.sync.textContent = 'All saved in your diary.';
    }
  }

  /** The server's view of the walk (GET /api/walks/active) once nothing is waiting to be sent:
   *  a walk ended elsewhere (another device, the command line) must not keep running here. */
  async reconcile() {
    if (this.state.ended || pending().length) return;
    let active;
    try {
      const response = await fetch('/api/walks/active', { headers: { Accept: 'application/json' } });
      if (!response.ok) return;
      active = (await response.json()).walk;
    } catch {
      return; // offline: carry on with what this device knows
    }
    if (active && active.id === this.walk.id) return;
    this.end({ kind: 'elsewhere' });
    this.showOutcome({
      kind: 'continue',
      headline: 'This walk has already ended.',
      text: 'It was finished on another screen, or closed after a long time without news.',
      links: true,
    });
  }

  delivered(item, reply) {
    // The server decides; its answer replaces the offline decision if they ever differ.
    if (item.kind !== 'checkin' || item.id !== this.lastCheckin || !reply.data || !reply.data.result) return;
    const server = reply.data.result;
    const local = this.state.ended && this.state.ended.decision;
    if (server.action !== (local ? local.action : 'continue')) {
      const input = { ...item.body, baseline_pain: this.walk.pain_before };
      const decision = { action: server.action, red_flags: server.red_flags, urgency: server.urgency };
      if (server.action !== 'continue') this.end({ kind: server.action, decision, input });
      this.showDecision(decision, input);
    }
  }
}

if (root && data.walk) {
  const rules = rulesFromVocabulary(data.rules);
  rules.cues = data.rules.walk_cues;
  new Walk(data.walk, rules).start();
}
