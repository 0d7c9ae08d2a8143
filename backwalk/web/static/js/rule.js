// The in-walk stop rule of CONTRACT section 2, so a walk can still be stopped while offline.
// The server (backwalk.engine.checkin) stays the authority; tests check both agree on every case.

/** Lookups built once from the rulebook vocabulary (GET /api/rules, or the walk page's data). */
export function rulesFromVocabulary(vocab) {
  const questions = Object.fromEntries(vocab.questions.map((q) => [q.id, q]));
  const redFlags = vocab.red_flags.map((f) => f.id);
  const followUps = vocab.questions
    .filter((q) => q.follow_up_of && redFlags.includes(q.follow_up_of))
    .map((q) => q.id);
  return {
    questions,
    redFlags,
    flags: Object.fromEntries(vocab.red_flags.map((f) => [f.id, f])),
    checkinFlagIds: vocab.questions
      .filter((q) => redFlags.includes(q.id) || followUps.includes(q.id))
      .map((q) => q.id),
    implications: vocab.questions.filter((q) => q.implies && q.implies.length),
    urgencies: Object.fromEntries(vocab.urgencies.map((u) => [u.id, u])),
    urgencyRank: Object.fromEntries(vocab.urgencies.map((u, i) => [u.id, i])),
    actions: Object.fromEntries(vocab.checkin_actions.map((a) => [a.id, a])),
    reasons: vocab.checkin_reasons,
  };
}

/** {action, red_flags, urgency} for one check-in: red flag -> stop_seek_care; sharp or
 *  pain above the baseline -> stop; else continue. */
export function decideCheckin(input, rules) {
  const clean = { ...input };
  for (const q of rules.implications) {
    if (clean[q.id] === true) for (const implied of q.implies) clean[implied] = true;
  }
  const redFlags = rules.redFlags.filter((id) => clean[id] === true);
  let action = 'continue';
  if (redFlags.length) action = 'stop_seek_care';
  else if (clean.sharp_or_shooting === true || clean.current_pain > clean.baseline_pain) action = 'stop';
  return { action, red_flags: redFlags, urgency: urgencyOf(redFlags, clean, rules) };
}

function urgencyOf(redFlags, clean, rules) {
  const tiers = [];
  for (const id of redFlags) {
    const flag = rules.flags[id];
    tiers.push(flag.urgency);
    for (const e of flag.escalate || []) if (clean[e.when] === true) tiers.push(e.urgency);
  }
  if (!tiers.length) return null;
  return tiers.reduce((a, b) => (rules.urgencyRank[b] < rules.urgencyRank[a] ? b : a));
}

function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
}

/** The headline and explanation for a decision, in the rulebook's words. */
export function describeCheckin(decision, input, rules) {
  const action = rules.actions[decision.action];
  if (decision.action === 'stop_seek_care') {
    const labels = decision.red_flags.map((id) => rules.questions[id].label).join(', ');
    return { headline: action.headline, text: fill(action.text, { labels }) };
  }
  if (decision.action === 'stop') {
    const why = [];
    if (input.sharp_or_shooting === true) why.push(rules.reasons.sharp);
    if (input.current_pain > input.baseline_pain) why.push(fill(rules.reasons.pain_rose, input));
    return { headline: action.headline, text: fill(action.text, { why: why.join(' ') }) };
  }
  return { headline: action.headline, text: action.text };
}
