// The decision logic of engine.js, ported from backwalk/engine.py and backwalk/validation.py.
// backwalk/web/enginejs.py puts the rulebook data (RULEBOOK) in front of it to make engine.js;
// edit here, then run `make engine-js`. Text formatting follows Python's str.format for the
// values the rulebook's templates use (whole numbers, None).
const RB = RULEBOOK;

/** Bad input, naming the field (CONTRACT section 4); like backwalk.InputError. */
export class InputError extends Error {
  constructor(field, message) {
    super(`${field}: ${message}`);
    this.name = 'InputError';
    this.field = field;
    this.detail = message;
  }
}

const QUESTIONS = Object.fromEntries(RB.questions.map((q) => [q.id, q]));
const BOOL_IDS = RB.questions.filter((q) => q.type === 'bool').map((q) => q.id);
const FLAGS = Object.fromEntries(RB.red_flags.map((f) => [f.id, f]));
const FLAG_IDS = RB.red_flags.map((f) => f.id);
const URGENCY_RANK = Object.fromEntries(RB.urgencies.map((u, i) => [u.id, i]));
const GP_QUESTIONS = new Set(RB.gp_soon_rules.flatMap((r) => r.when.map((c) => c.question)));
const ACTIONS = Object.fromEntries(RB.checkin_actions.map((a) => [a.id, a]));
const DISPOSITIONS = Object.fromEntries(RB.dispositions.map((d) => [d.id, d]));
const PAIN = QUESTIONS.pain_score;
const CHECKIN_KEYS = [
  'baseline_pain',
  'current_pain',
  'sharp_or_shooting',
  ...FLAG_IDS,
  ...Object.keys(RB.aliases).filter((a) => FLAG_IDS.includes(RB.aliases[a])),
];
const has = (obj, key) => Object.prototype.hasOwnProperty.call(obj, key);

// ---------------------------------------------------------------------------------------------
// Words
// ---------------------------------------------------------------------------------------------

function pyStr(value) {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  return String(value);
}

/** str.format for named fields. */
export function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, (whole, name) => (has(values, name) ? pyStr(values[name]) : whole));
}

function reason(rule, text, sourceId) {
  return { rule, text, source: RB.sources[sourceId], source_id: sourceId };
}

function label(id) {
  return QUESTIONS[id].label;
}

/** The headline of an urgency tier, with the emergency number filled in. */
export function urgencyHeadline(id, number = RB.emergency_number) {
  return fill(RB.urgencies[URGENCY_RANK[id]].headline, { number });
}

// ---------------------------------------------------------------------------------------------
// Validation (backwalk/validation.py)
// ---------------------------------------------------------------------------------------------

function kind(value) {
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'boolean') return 'true/false';
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') return 'a number';
  return 'a value';
}

function show(value) {
  if (typeof value === 'string') return `"${value.length <= 30 ? value : `${value.slice(0, 27)}...`}"`;
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return String(value);
  return kind(value);
}

function num(x) {
  return String(x);
}

function range(lo, hi) {
  if (lo !== null && hi !== null) return ` from ${num(lo)} to ${num(hi)}`;
  if (lo !== null) return ` of at least ${num(lo)}`;
  return '';
}

function requireObject(raw) {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new InputError('input', `expected a JSON object, got ${kind(raw)}`);
  }
  return raw;
}

function didYouMean(name, choices) {
  const close = choices.filter((o) => name.slice(0, 3).toLowerCase() === o.slice(0, 3));
  return close.length ? ` (did you mean '${close[0]}'?)` : '';
}

function checkBool(name, value) {
  if (value === true || value === false) return value;
  throw new InputError(name, `must be true or false, got ${show(value)}`);
}

function checkRange(name, value, lo, hi, whole) {
  if ((lo !== null && value < lo) || (hi !== null && value > hi)) {
    throw new InputError(name, `must be ${whole ? 'a whole number' : 'a number'}${range(lo, hi)}, got ${show(value)}`);
  }
}

function checkInt(name, value, lo, hi) {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new InputError(name, `must be a whole number${range(lo, hi)}, got ${show(value)}`);
  }
  checkRange(name, value, lo, hi, true);
  return value;
}

function checkNumber(name, value, lo, hi) {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new InputError(name, `must be a number${range(lo, hi)}, got ${show(value)}`);
  }
  checkRange(name, value, lo, hi, false);
  return value;
}

function checkQuestion(q, value) {
  if (q.type === 'bool') return checkBool(q.id, value);
  if (q.type === 'int') return checkInt(q.id, value, q.min, q.max);
  return checkNumber(q.id, value, q.min, q.max);
}

/** A yes from either an old name or its new key wins. */
function store(clean, name, value) {
  if (clean[name] !== true) clean[name] = value;
}

// ---------------------------------------------------------------------------------------------
// Shared by assess and checkin
// ---------------------------------------------------------------------------------------------

function flagsOf(clean) {
  return FLAG_IDS.filter((id) => clean[id] === true);
}

/** The combinations of signs present together (every combination needs two signs). */
export function combinationsOf(flags, clean = null) {
  if (flags.length < 2) return [];
  const yes = clean ? (id) => clean[id] === true : (id) => flags.includes(id);
  return RB.combinations.filter((k) => k.all_of.every(yes));
}

function urgencyOf(flags, combos) {
  if (!flags.length) return null;
  let rank = Math.min(...flags.map((f) => URGENCY_RANK[FLAGS[f].urgency]));
  for (const k of combos) rank = Math.min(rank, URGENCY_RANK[k.urgency]);
  return RB.urgencies[rank].id;
}

function flagReason(id, unsure) {
  const flag = FLAGS[id];
  const template = unsure ? RB.notes.red_flag_unsure : RB.notes.red_flag;
  return reason(id, fill(template, { label: label(id), why: flag.why }), flag.source);
}

function combinationReason(k) {
  const labels = k.all_of.map(label).join(' and ');
  return reason(k.id, fill(RB.notes.combination, { labels, why: k.why }), k.source);
}

function flagReasons(flags, unsure, combos) {
  return [...flags.map((f) => flagReason(f, unsure.includes(f))), ...combos.map(combinationReason)];
}

// ---------------------------------------------------------------------------------------------
// assess (CONTRACT section 1)
// ---------------------------------------------------------------------------------------------

function validateConfirmed(raw) {
  if (raw === null || raw === undefined) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new InputError('confirmed', 'must be an object of yes/no question -> true or false');
  }
  const confirmed = {};
  for (const [key, value] of Object.entries(raw)) {
    const name = has(RB.aliases, key) ? RB.aliases[key] : key;
    if (!has(QUESTIONS, name) || QUESTIONS[name].type !== 'bool') {
      if (!has(QUESTIONS, name)) throw new InputError(key, `unknown field${didYouMean(key, Object.keys(QUESTIONS))}`);
      throw new InputError(key, 'cannot be confirmed (only yes/no questions can be confirmed): confirmed takes yes/no keys');
    }
    confirmed[name] = checkBool(key, value);
  }
  return confirmed;
}

function validateAnswers(raw) {
  requireObject(raw);
  const clean = {};
  const aliased = [];
  let confirmed = {};
  for (const [key, value] of Object.entries(raw)) {
    if (key === 'confirmed') {
      confirmed = validateConfirmed(value);
    } else if (has(QUESTIONS, key)) {
      clean[key] = checkQuestion(QUESTIONS[key], value);
    } else if (has(RB.aliases, key)) {
      aliased.push([RB.aliases[key], checkBool(key, value)]);
    } else if (key === 'text') {
      if (value === null || value === undefined) continue;
      if (typeof value !== 'string') throw new InputError('text', `must be a string, got ${show(value)}`);
      if (value.trim()) throw new InputError('text', 'free text is read by the server, not on the phone');
    } else {
      throw new InputError(key, `unknown field${didYouMean(key, Object.keys(QUESTIONS))}`);
    }
  }
  for (const [name, value] of aliased) store(clean, name, value);
  return [clean, confirmed];
}

function applyUnsure(clean, names) {
  for (const name of names) {
    const q = QUESTIONS[name];
    if (!q || q.type !== 'bool') throw new InputError(name, "only a yes/no question can be answered 'not sure'");
    clean[name] = true;
  }
  if (!names.length) return [];
  const questions = names.map(label).join('; ');
  return [reason('unsure', fill(RB.notes.unsure, { questions }), 'backwalk_policy')];
}

function fires(rule, clean) {
  const value = clean[rule.question];
  if (rule.is_true !== null) return value === rule.is_true;
  return value !== undefined && value !== null && value >= rule.at_least;
}

function restOrWalk(clean, unsure) {
  const fired = RB.rest_rules.filter((rule) => fires(rule, clean));
  if (fired.length) {
    const pain = has(clean, 'pain_score') ? clean.pain_score : null;
    return [
      'rest_first',
      fired.map((rule) =>
        unsure.includes(rule.question)
          ? reason(rule.id, fill(RB.notes.rest_unsure, { label: label(rule.question) }), rule.source)
          : reason(rule.id, fill(rule.text, { pain_score: pain }), rule.source),
      ),
    ];
  }
  if (!has(clean, 'pain_score')) {
    throw new InputError(
      'pain_score',
      'is required: no red flag or reason to rest was reported, so the pain score decides',
    );
  }
  const walk = RB.walk_rule;
  return ['walk_gently', [reason(walk.id, fill(walk.text, { pain_score: clean.pain_score }), walk.source)]];
}

function holds(condition, clean) {
  const value = clean[condition.question];
  if (condition.is_true !== null) return value === condition.is_true;
  if (value === undefined || value === null || typeof value === 'boolean') return false;
  if (condition.at_least !== null) return value >= condition.at_least;
  return condition.below !== null && value < condition.below;
}

function gpSoonRules(clean) {
  if (![...GP_QUESTIONS].some((q) => has(clean, q))) return [];
  return RB.gp_soon_rules.filter((rule) => rule.when.every((c) => holds(c, clean)));
}

function suits(measure, pregnant) {
  if (measure.pregnancy === 'any') return true;
  return pregnant === (measure.pregnancy === 'pregnant_only');
}

function supportiveFor(disposition, onset, pregnant) {
  return RB.supportive
    .filter((m) => m.for_dispositions.includes(disposition) && suits(m, pregnant))
    .filter((m) => m.onset_hours_at_most === null || (onset !== undefined && onset !== null && onset <= m.onset_hours_at_most))
    .map((m) => m.id);
}

/** When to get help (v3): self-care, or until the person is seen today or within days. */
function safetyNet(urgency) {
  const net = RB.safety_net;
  if (urgency === null) return reason('safety_net', net.text, net.source);
  const text = fill(net.while_waiting, { number: RB.emergency_number });
  return reason('safety_net', text, net.while_waiting_source);
}

function headlineFor(disposition, urgency, flags = []) {
  if (disposition === 'seek_care_now' && urgency) {
    // a sign that names who to call when it sets the tier (bleeding in pregnancy: the midwife)
    const own = RB.red_flags.find((f) => flags.includes(f.id) && f.headline && f.urgency === urgency);
    return own ? fill(own.headline, { number: RB.emergency_number }) : urgencyHeadline(urgency);
  }
  return DISPOSITIONS[disposition].headline;
}

/**
 * Decide seek care / rest first / walk gently for one answers object (CONTRACT section 1).
 * options.unsure names yes/no questions answered 'not sure' (they count as yes);
 * options.walkMinutes is the planned walk length (the stateless default is the first walk).
 * Free text is read by the server only: a non-empty `text` is an InputError here.
 */
export function assess(answers, options = {}) {
  const [clean, confirmed] = validateAnswers(answers);
  const unsure = [...new Set((options.unsure || []).map((n) => (has(RB.aliases, n) ? RB.aliases[n] : n)))];
  const unsureNote = unsure.length ? applyUnsure(clean, unsure) : [];
  for (const [key, value] of Object.entries(confirmed)) if (value) clean[key] = true;
  const flags = flagsOf(clean);
  const combos = combinationsOf(flags, clean);
  let disposition;
  let reasons;
  if (flags.length) {
    disposition = 'seek_care_now';
    reasons = flagReasons(flags, unsure, combos);
  } else {
    [disposition, reasons] = restOrWalk(clean, unsure);
  }
  reasons.push(...unsureNote);
  const unanswered = BOOL_IDS.filter((id) => !has(clean, id));
  const gp = gpSoonRules(clean);
  reasons.push(...gp.map((r) => reason(r.id, r.text, r.source)));
  const urgency = urgencyOf(flags, combos) || (gp.length ? 'gp_soon' : null);
  if (urgency !== 'emergency') reasons.push(safetyNet(urgency));
  if (unanswered.length && disposition !== 'seek_care_now') {
    const questions = unanswered.map(label).join('; ');
    reasons.push(reason('unanswered', fill(RB.notes.unanswered, { questions }), 'backwalk_policy'));
  }
  const minutes = options.walkMinutes ?? RB.progression.start_minutes;
  const result = {
    disposition,
    red_flags: flags,
    urgency,
    see_gp_soon: gp.map((r) => r.id),
    walk_plan:
      disposition === 'walk_gently'
        ? { minutes, tips: RB.tips.map((t) => t.id), stop_if: RB.stop_rules.map((s) => s.id) }
        : null,
    supportive: supportiveFor(disposition, clean.onset_hours, clean.pregnant === true),
    reasons,
    unanswered,
    answers: clean,
    rulebook_version: RB.version,
    lang: RB.lang,
    headline: headlineFor(disposition, urgency, flags),
    // Free text is read by the server only, so offline there is nothing to confirm (v3).
    text_findings: [],
    confirm: [],
  };
  if (unsure.length) result.unsure = unsure;
  return result;
}

// ---------------------------------------------------------------------------------------------
// checkin (CONTRACT section 2)
// ---------------------------------------------------------------------------------------------

function validateCheckin(raw) {
  requireObject(raw);
  for (const key of Object.keys(raw)) {
    if (!CHECKIN_KEYS.includes(key)) throw new InputError(key, `unknown field${didYouMean(key, CHECKIN_KEYS)}`);
  }
  const clean = {};
  for (const name of ['baseline_pain', 'current_pain']) {
    if (!has(raw, name)) throw new InputError(name, 'is required (a whole number from 0 to 10)');
    clean[name] = checkInt(name, raw[name], PAIN.min, PAIN.max);
  }
  clean.sharp_or_shooting = checkBool('sharp_or_shooting', has(raw, 'sharp_or_shooting') ? raw.sharp_or_shooting : false);
  for (const key of CHECKIN_KEYS.slice(3)) {
    if (has(raw, key)) store(clean, has(RB.aliases, key) ? RB.aliases[key] : key, checkBool(key, raw[key]));
  }
  return clean;
}

/** Whether "sharp or shooting?" can still change a check-in: a pain above the walk's starting
 * pain stops the walk whatever the answer (engine.sharp_can_change_checkin). */
export function sharpCanChangeCheckin(baselinePain, currentPain) {
  return currentPain <= baselinePain;
}

/** Continue or stop a walk, from one in-walk check-in (CONTRACT section 2). */
export function checkin(input) {
  const clean = validateCheckin(input);
  const flags = flagsOf(clean);
  const combos = combinationsOf(flags, clean);
  let action;
  let reasons;
  if (flags.length) {
    action = 'stop_seek_care';
    const lead = ACTIONS.stop_seek_care;
    const labels = flags.map(label).join(', ');
    reasons = [reason('stop_seek_care', fill(lead.text, { labels }), lead.source), ...flagReasons(flags, [], combos)];
  } else {
    const why = [];
    if (clean.sharp_or_shooting) why.push(RB.checkin_reasons.sharp);
    if (!sharpCanChangeCheckin(clean.baseline_pain, clean.current_pain)) why.push(fill(RB.checkin_reasons.pain_rose, clean));
    action = why.length ? 'stop' : 'continue';
    const a = ACTIONS[action];
    reasons = [reason(action, why.length ? fill(a.text, { why: why.join(' ') }) : a.text, a.source)];
  }
  return {
    action,
    reasons,
    red_flags: flags,
    headline: ACTIONS[action].headline,
    urgency: urgencyOf(flags, combos),
  };
}

/** What to tell a clinician about these signs (each sign, then each combination). */
export function tellClinician(flags) {
  return [...flags.map((id) => FLAGS[id].tell_clinician), ...combinationsOf(flags).map((k) => k.tell_clinician)];
}

/** The ids a check-in form may report as new warning signs (red flags and their old names). */
export const CHECKIN_SIGN_KEYS = CHECKIN_KEYS.slice(3);
