// The in-walk stop rule of CONTRACT section 2, so a walk can still be stopped while offline.
// The server (backwalk.engine.checkin) stays the authority; tests check both agree on every case.

/** Lookups built once from the rulebook vocabulary (GET /api/rules, or the walk page's data). */
export function rulesFromVocabulary(vocab) {
  const redFlags = vocab.red_flags.map((f) => f.id);
  // Older answer keys (e.g. numbness_both_legs) still count, as the sign that replaced them.
  const aliases = Object.fromEntries(
    Object.entries(vocab.aliases || {}).filter(([, target]) => redFlags.includes(target)),
  );
  return {
    questions: Object.fromEntries(vocab.questions.map((q) => [q.id, q])),
    redFlags,
    aliases,
    flags: Object.fromEntries(vocab.red_flags.map((f) => [f.id, f])),
    combinations: vocab.combinations || [],
    checkinFlagIds: [...redFlags, ...Object.keys(aliases)],
    urgencies: Object.fromEntries(vocab.urgencies.map((u) => [u.id, u])),
    urgencyRank: Object.fromEntries(vocab.urgencies.map((u, i) => [u.id, i])),
    emergency: vocab.urgencies[0].id,
    actions: Object.fromEntries(vocab.checkin_actions.map((a) => [a.id, a])),
    reasons: vocab.checkin_reasons,
  };
}

/** The answers with aliases folded into the signs they name: a yes from either one wins. */
function canonical(input, rules) {
  const clean = { ...input };
  for (const [alias, target] of Object.entries(rules.aliases)) {
    if (alias in input && clean[target] !== true) clean[target] = input[alias];
  }
  return clean;
}

/** The combinations of signs present together (they can raise the urgency). */
export function combinationsOf(redFlags, rules) {
  return rules.combinations.filter((k) => k.all_of.every((id) => redFlags.includes(id)));
}

/** {action, red_flags, urgency} for one check-in: red flag -> stop_seek_care; sharp or
 *  pain above the baseline -> stop; else continue. */
export function decideCheckin(input, rules) {
  const clean = canonical(input, rules);
  const redFlags = rules.redFlags.filter((id) => clean[id] === true);
  let action = 'continue';
  if (redFlags.length) action = 'stop_seek_care';
  else if (clean.sharp_or_shooting === true || clean.current_pain > clean.baseline_pain) action = 'stop';
  return { action, red_flags: redFlags, urgency: urgencyOf(redFlags, rules) };
}

function urgencyOf(redFlags, rules) {
  if (!redFlags.length) return null;
  const tiers = [
    ...redFlags.map((id) => rules.flags[id].urgency),
    ...combinationsOf(redFlags, rules).map((k) => k.urgency),
  ];
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
