// Spoken cues for a walk with the phone in a pocket (Web Speech API). Off unless switched on;
// voices that run on the phone are preferred, so speaking works without a connection. Whatever
// is spoken is also shown on the screen by the caller: this module only speaks.

const synth = () => window.speechSynthesis || null;

export function speechAvailable() {
  return Boolean(synth()) && typeof window.SpeechSynthesisUtterance === 'function';
}

/** The best voice for English: on-device first, then the browser's default. */
function chooseVoice() {
  const s = synth();
  if (!s || typeof s.getVoices !== 'function') return null;
  const voices = s.getVoices() || [];
  const lang = (document.documentElement.lang || 'en').toLowerCase();
  const english = voices.filter((v) => (v.lang || '').toLowerCase().startsWith(lang.slice(0, 2)));
  return english.find((v) => v.localService) || english.find((v) => v.default) || english[0] || null;
}

export class Voice {
  constructor() {
    this.on = false;
    this.rate = 1;
  }

  /** Speak one line now, replacing anything still being said (the newest cue matters most). */
  say(text) {
    if (!this.on || !speechAvailable() || !text) return;
    const s = synth();
    const utterance = new window.SpeechSynthesisUtterance(text);
    utterance.rate = this.rate;
    utterance.lang = document.documentElement.lang || 'en';
    const voice = chooseVoice();
    if (voice) utterance.voice = voice;
    try {
      s.cancel();
      s.speak(utterance);
    } catch {
      /* no speech engine after all: the words are on the screen */
    }
  }

  stop() {
    if (speechAvailable()) synth().cancel();
  }
}

// Vibration patterns (milliseconds on, off, on...): two short buzzes mean "time to check in",
// three long ones mean "stop".
export const BUZZ = {
  checkin: [200, 100, 200],
  stop: [600, 200, 600, 200, 600],
};

export function buzz(pattern) {
  if (typeof navigator.vibrate === 'function') {
    try {
      navigator.vibrate(pattern);
    } catch {
      /* not allowed here: the screen and the voice still say it */
    }
  }
}
