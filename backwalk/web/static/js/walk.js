// The guided walk: timer and progress ring, cues, check-in prompts, stop rules, finish.
// Time comes from the browser clock (Date.now), so a reload resumes where the walk was, and
// every update goes through the outbox (queue.js, IndexedDB), so a dropped connection loses
// nothing. Check-ins are decided on the phone by engine.js (generated from the rulebook), and the
// server's answer replaces that decision if they ever differ. Hands-free: spoken cues and prompts
// (voice.js; every spoken line is also on the screen), vibration, and pocket mode.

import { RULEBOOK, checkin, fill, sharpCanChangeCheckin, tellClinician, CHECKIN_SIGN_KEYS } from './engine.js';
import { enqueue, flush, newClientId, pending, waiting } from './queue.js';
import { BUZZ, Voice, buzz, speechAvailable } from './voice.js';

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

const WORDS = RULEBOOK.words; // this page's words, in its language (engine.js)

/** '1 minute', '3 minutes': `counted` is [one, many] from WORDS. */
function plural(n, counted) {
  return fill(counted[n === 1 ? 0 : 1], { n });
}

class Walk {
  constructor(walk) {
    this.walk = walk;
    this.voice = new Voice();
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
      vibrate: $('[data-vibrate]', root),
      speak: $('[data-speak]', root),
      rate: $('[data-speak-rate]', root),
      pocket: $('[data-pocket]', root),
      timerBlock: $('.timer-block', root),
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
      if (waiting()) this.sync();
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
    this.el.vibrate.checked = store.get('backwalk.vibrate') !== false;
    this.el.vibrate.addEventListener('change', () => {
      store.set('backwalk.vibrate', this.el.vibrate.checked);
      if (this.el.vibrate.checked) buzz(BUZZ.checkin);
    });
    const speech = store.get('backwalk.speech') || { on: false, rate: 1 };
    this.el.speak.disabled = !speechAvailable();
    this.el.speak.checked = speech.on && speechAvailable();
    this.el.rate.value = String(speech.rate || 1);
    const saveSpeech = () => {
      this.voice.on = this.el.speak.checked;
      this.voice.rate = Number(this.el.rate.value) || 1;
      store.set('backwalk.speech', { on: this.voice.on, rate: this.voice.rate });
    };
    saveSpeech();
    this.el.speak.addEventListener('change', () => {
      saveSpeech();
      if (this.voice.on) this.say(this.el.cue.textContent, { cue: true });
      else this.voice.stop();
    });
    this.el.rate.addEventListener('change', saveSpeech);
    const pocket = (on) => {
      document.body.classList.toggle('pocket', on);
      this.el.pocket.setAttribute('aria-pressed', String(on));
      store.set('backwalk.pocket', on);
    };
    pocket(store.get('backwalk.pocket') === true);
    this.el.pocket.addEventListener('click', () => {
      pocket(!document.body.classList.contains('pocket'));
      this.el.timerBlock.scrollIntoView({ block: 'start' });
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
    if (!this.state.timeUp) this.rotateCue(elapsed); // no walking cues once time is up
    this.announceMinute(elapsed);
    this.heartbeat(elapsed);
    if (elapsed >= this.planned && !this.state.timeUp) {
      this.state.timeUp = true;
      this.save();
      this.clearStale();
      this.say(WORDS.time_up_say);
      this.alert(BUZZ.checkin);
      this.openFinish(true);
      return;
    }
    const due = Math.floor(elapsed / this.every);
    if (elapsed < this.planned && due > this.state.prompted) {
      this.state.prompted = due;
      this.save();
      this.say(WORDS.checkin_say);
      this.alert(BUZZ.checkin);
      this.openCheckin(false);
      this.el.checkinPanel.classList.add('prompt');
    }
  }

  /** Time is up: a check-in card or an old 'carry on' answer no longer applies. */
  clearStale() {
    this.el.checkinPanel.hidden = true;
    this.el.checkinPanel.classList.remove('prompt');
    if (this.el.outcome.classList.contains('outcome-continue')) this.el.outcome.hidden = true;
  }

  rotateCue(elapsed) {
    const cues = RULEBOOK.walk_cues;
    const index = Math.floor(elapsed / 30) % cues.length;
    if (index !== this.shown.cue) {
      const first = this.shown.cue === -1;
      this.shown.cue = index;
      this.el.cue.textContent = cues[index].text;
      if (!first) this.voice.say(cues[index].text); // the cue is on the screen already
    }
  }

  announceMinute(elapsed) {
    const minute = Math.floor(elapsed / 60);
    if (minute > this.shown.minute && elapsed < this.planned) {
      this.shown.minute = minute;
      const left = Math.ceil((this.planned - elapsed) / 60);
      this.say(fill(WORDS.minute_say, { walked: plural(minute, WORDS.minutes), left: plural(left, WORDS.minutes) }));
    }
  }

  heartbeat(elapsed) {
    const beat = Math.floor(elapsed / 30);
    if (beat <= this.shown.beat || waiting()) return;
    this.shown.beat = beat;
    fetch(`/api/walks/${this.walk.id}/heartbeat`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ elapsed_seconds: Math.round(Math.min(elapsed, 86400)) }),
    }).catch(() => {});
  }

  /** Show a line (visible, and announced to screen readers) and speak it if speech is on. */
  say(text, { cue = false } = {}) {
    if (!cue) this.el.announce.textContent = text;
    this.voice.say(text);
  }

  alert(pattern) {
    if (this.el.vibrate.checked) buzz(pattern);
    if (this.el.sound.checked) this.beep();
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
      this.el.wake.textContent = WORDS.screen_on;
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
    if (this.state.timeUp) {
      // Time is up: the finish card asks how the back is now; a check-in would say "carry on".
      this.openFinish(true);
      return;
    }
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
    this.el.finishTitle.textContent = early ? WORDS.end_now : WORDS.time_up;
    if (!early) this.showTimeUp();
    // Bring the whole card into view: focus alone scrolls only until the title's edge shows,
    // which on a phone leaves the pain numbers and the button below the fold.
    this.el.finishPanel.scrollIntoView({ block: 'start' });
    this.el.finishTitle.focus({ preventScroll: true });
  }

  /** Once time is up the live buttons say what they now do: finish, not check in. */
  showTimeUp() {
    $('[data-checkin-now]', root).textContent = WORDS.finish_button;
    $('[data-end-now]', root).hidden = true;
  }

  async submitCheckin() {
    const form = new FormData(this.el.checkinForm);
    const pain = form.get('current_pain');
    if (pain === null) {
      this.el.checkinError.textContent = fill(WORDS.choose_number, { least: 0, most: 10 });
      this.el.checkinError.hidden = false;
      $('#current_pain-input', root).focus();
      return;
    }
    const sharpMatters = sharpCanChangeCheckin(this.walk.pain_before, Number(pain));
    if (form.get('sharp') === null && sharpMatters) {
      // no answer is chosen for the person: ask for one (a risen pain stops the walk anyway)
      this.el.checkinError.textContent = WORDS.choose_sharp;
      this.el.checkinError.hidden = false;
      $('#sharp-input', root).focus();
      return;
    }
    const report = { current_pain: Number(pain), sharp_or_shooting: form.get('sharp') === 'yes' };
    for (const id of CHECKIN_SIGN_KEYS) if (form.get(id) === 'yes') report[id] = true;
    this.el.announce.textContent = ''; // the prompt is answered
    this.el.sync.textContent = WORDS.saving; // at once: nothing is saved until the outbox has it
    const id = newClientId();
    const elapsed = Math.round(Math.min(this.elapsed(), 86400) * 10) / 10;
    this.lastCheckin = id;
    const input = { ...report, baseline_pain: this.walk.pain_before };
    const decision = checkin(input);
    this.el.checkinForm.reset();
    this.el.checkinPanel.hidden = true;
    this.el.checkinPanel.classList.remove('prompt');
    if (decision.action !== 'continue') this.end({ kind: decision.action, decision, input });
    this.showDecision(decision, input);
    await enqueue({
      id,
      kind: 'checkin',
      url: `/api/walks/${this.walk.id}/checkins`,
      body: { ...report, elapsed_seconds: elapsed, client_id: id },
    });
    this.sync();
  }

  async submitFinish(status) {
    const form = new FormData(this.el.finishForm);
    const pain = form.get('pain_after');
    const elapsed = Math.round(Math.min(this.elapsed(), 86400) * 10) / 10;
    const painAfter = status === 'completed' && pain !== null ? Number(pain) : null;
    this.el.sync.textContent = WORDS.saving;
    this.end({ kind: status, elapsed, painAfter });
    this.showEnded(this.state.ended);
    await enqueue({
      id: newClientId(),
      kind: 'finish',
      url: `/api/walks/${this.walk.id}/finish`,
      body: { status, elapsed_seconds: elapsed, pain_after: painAfter },
    });
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
    const after = ended.painAfter === null || ended.painAfter === undefined ? '' : fill(WORDS.pain_after, { after: ended.painAfter });
    this.showOutcome({
      kind: 'continue',
      headline: done ? WORDS.walk_complete : WORDS.walk_ended,
      text: fill(WORDS.walked_text, { walked: clock(ended.elapsed ?? this.elapsed()), planned: clock(this.planned), before: this.walk.pain_before }) + after,
      links: true,
    });
  }

  showDecision(decision, input) {
    // A decision stored by an earlier version has no words: decide it again from its input.
    const words = decision.reasons ? decision : checkin(input);
    const urgency = RULEBOOK.urgencies.find((u) => u.id === decision.urgency) || null;
    this.showOutcome({
      kind: decision.action,
      headline: words.headline,
      text: words.reasons[0].text,
      urgency,
      tell: tellClinician(decision.red_flags),
      stop: decision.action === 'stop',
      links: decision.action !== 'continue',
    });
    if (decision.action !== 'continue') this.alert(BUZZ.stop);
    this.voice.say(`${words.headline} ${words.reasons[0].text}`);
  }

  showOutcome(view) {
    const box = this.el.outcome;
    box.className = `panel outcome outcome-${view.kind}`;
    $('[data-outcome-title]', box).textContent = view.headline;
    $('[data-outcome-text]', box).textContent = view.text;
    const urgent = $('[data-outcome-urgent]', box);
    urgent.hidden = !view.urgency;
    $('.js-emergency', box).hidden = !view.urgency || view.urgency.id !== RULEBOOK.urgencies[0].id;
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
    if (view.kind === 'continue' && !this.state.ended) {
      // Carry on: the answer sits under the timer, and the timer stays in view.
      box.focus({ preventScroll: true });
      this.el.timerBlock.scrollIntoView({ block: 'start' });
    } else {
      box.focus();
    }
  }

  async sync() {
    if ((await pending()).length) this.el.sync.textContent = WORDS.saving;
    const result = await flush((item, reply) => this.delivered(item, reply));
    const left = (await pending()).length;
    const offlineNote = $('[data-outcome-offline]', root);
    offlineNote.hidden = left === 0;
    this.el.sync.classList.toggle('offline', left > 0);
    if (left > 0) {
      const updates = plural(left, WORDS.updates);
      this.el.sync.textContent = fill(result.offline ? WORDS.waiting_offline : WORDS.waiting, { updates });
    } else {
      this.el.sync.textContent = WORDS.all_saved;
    }
  }

  /** The server's view of the walk (GET /api/walks/active) once nothing is waiting to be sent:
   *  a walk ended elsewhere (another device, the command line) must not keep running here. */
  async reconcile() {
    if (this.state.ended || (await pending()).length) return;
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
      headline: WORDS.ended_elsewhere,
      text: WORDS.ended_elsewhere_text,
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
      const decision = server;
      if (server.action !== 'continue') this.end({ kind: server.action, decision, input });
      this.showDecision(decision, input);
    }
  }
}

if (root && data.walk) {
  new Walk(data.walk).start();
}
