"""The decision engine: `assess` (CONTRACT section 1) and `checkin` (section 2).

Everything the engine knows comes from the rulebook; this module only applies it. The order of
questions, red flags and measures in the output is the rulebook's order, which matches the contract.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

from backwalk import i18n, validation
from backwalk.errors import InputError
from backwalk.rules import Combination, Question, RedFlag, Rulebook, Supportive, default_rulebook

TEXT_FIELD = "text"
NOT_ENGLISH = "text_not_english"  # the reason that says free text was not read (not English)
POLICY = "backwalk_policy"
CONFIRMED_FIELD = "confirmed"
REPORTED, DENIED, UNSURE = "reported", "denied", "unsure"  # a text finding's reading (v3)
# Free text is a few sentences; a cap keeps one request from tying up the NLP pipeline.
MAX_TEXT_CHARS = 5000
UNANSWERED_CACHE_SIZE = 4096  # bounded, so odd combinations of blanks cannot grow memory


class _Compiled(NamedTuple):
    """Lookups derived once per rulebook so each assessment is a few dict and list operations."""

    rb: Rulebook
    questions: dict[str, Question]
    bool_ids: tuple[str, ...]
    bool_set: frozenset[str]
    gp_questions: frozenset[str]
    walk_reasons: dict[int, dict[str, str]]  # the walk-gently reason for each pain score
    red_flags: tuple[RedFlag, ...]
    urgency_rank: dict[str, int]
    red_flag_reasons: dict[str, dict[str, str]]
    unsure_flag_reasons: dict[str, dict[str, str]]
    combination_reasons: dict[str, dict[str, str]]
    safety_net: dict[str, str]
    safety_net_waiting: dict[str, str]
    confirm_rank: dict[str, int]  # red flags first in the contract's order, then other yes/nos
    own_headlines: dict[tuple[str, str], str]  # (sign, its tier) -> the sign's own headline
    walk_tips: tuple[str, ...]
    stop_if: tuple[str, ...]
    supportive_by_disposition: dict[str, tuple[Supportive, ...]]
    checkin_keys: dict[str, Question | None]
    aliases: dict[str, str]
    unanswered_notes: dict[tuple[str, ...], dict[str, str]]
    headlines: dict[tuple[str, str | None], str]
    flag_rank: dict[str, int]
    flag_order: dict[str, int]


_compiled: dict[int, _Compiled] = {}


def _default() -> _Compiled:
    """The packaged rulebook's lookups in the active language, found with one dict lookup
    (assess is a hot path)."""
    lang = i18n.active()
    compiled = _default_compiled.get(lang)
    if compiled is None:
        compiled = _default_compiled[lang] = _compile(default_rulebook())
    return compiled


_default_compiled: dict[str, _Compiled] = {}


def _compile(rb: Rulebook) -> _Compiled:
    cached = _compiled.get(id(rb))
    if cached is not None and cached.rb is rb:
        return cached
    questions = rb.question_by_id
    flag_ids = [f.id for f in rb.red_flags]
    compiled = _Compiled(
        rb=rb,
        questions=questions,
        bool_ids=tuple(q.id for q in rb.questions if q.type == "bool"),
        bool_set=frozenset(q.id for q in rb.questions if q.type == "bool"),
        gp_questions=frozenset(k.question for r in rb.gp_soon_rules for k in r.when),
        walk_reasons=_walk_reasons(rb),
        red_flags=rb.red_flags,
        urgency_rank={u.id: i for i, u in enumerate(rb.urgencies)},
        red_flag_reasons={f.id: _red_flag_reason(rb, f, rb.notes.red_flag) for f in rb.red_flags},
        unsure_flag_reasons={
            f.id: _red_flag_reason(rb, f, rb.notes.red_flag_unsure) for f in rb.red_flags
        },
        combination_reasons={k.id: _combination_reason(rb, k) for k in rb.combinations},
        safety_net=reason("safety_net", rb.safety_net.text, rb.safety_net.source, rb),
        safety_net_waiting=reason(
            "safety_net",
            rb.safety_net.while_waiting.format(number=rb.emergency_number),
            rb.safety_net.while_waiting_source,
            rb,
        ),
        confirm_rank=_confirm_rank(rb),
        own_headlines={
            (f.id, f.urgency): rb.seek_care_headline(f.urgency, (f.id,))
            for f in rb.red_flags
            if f.headline
        },
        walk_tips=tuple(t.id for t in rb.tips),
        stop_if=tuple(s.id for s in rb.stop_rules),
        supportive_by_disposition={
            d.id: tuple(m for m in rb.supportive if d.id in m.for_dispositions)
            for d in rb.dispositions
        },
        checkin_keys={
            "baseline_pain": None,
            "current_pain": None,
            "sharp_or_shooting": None,
            **{qid: questions[qid] for qid in flag_ids},
            **{alias: questions[qid] for alias, qid in rb.aliases.items() if qid in flag_ids},
        },
        aliases=rb.aliases,
        unanswered_notes={},
        headlines=_headlines(rb),
        flag_order={f.id: i for i, f in enumerate(rb.red_flags)},
        flag_rank={f.id: [u.id for u in rb.urgencies].index(f.urgency) for f in rb.red_flags},
    )
    _compiled[id(rb)] = compiled
    return compiled


def _confirm_rank(rb: Rulebook) -> dict[str, int]:
    flags = [f.id for f in rb.red_flags]
    others = [q.id for q in rb.questions if q.type == "bool" and q.id not in flags]
    return {qid: i for i, qid in enumerate(flags + others)}


def _walk_reasons(rb: Rulebook) -> dict[int, dict[str, str]]:
    walk, pain = rb.walk_rule, rb.question_by_id["pain_score"]
    scores = range(int(pain.min or 0), int(pain.max if pain.max is not None else 10) + 1)
    return {n: reason(walk.id, walk.text.format(pain_score=n), walk.source, rb) for n in scores}


def reason(rule: str, text: str, source_id: str, rb: Rulebook) -> dict[str, str]:
    """One entry of `reasons`: the rule, its plain-words explanation and where it comes from."""
    return {
        "rule": rule,
        "text": text,
        "source": rb.source_title(source_id),
        "source_id": source_id,
    }


def _red_flag_reason(rb: Rulebook, flag: RedFlag, template: str) -> dict[str, str]:
    label = rb.question_by_id[flag.id].label
    return reason(flag.id, template.format(label=label, why=flag.why), flag.source, rb)


def _combination_reason(rb: Rulebook, combo: Combination) -> dict[str, str]:
    labels = i18n.translate_in(rb.lang, " and ").join(
        rb.question_by_id[q].label for q in combo.all_of
    )
    text = rb.notes.combination.format(labels=labels, why=combo.why)
    return reason(combo.id, text, combo.source, rb)


# ------------------------------------------------------------------------------------------------
# assess
# ------------------------------------------------------------------------------------------------


def assess(
    answers: Mapping[str, Any],
    *,
    text: str | None = None,
    walk_minutes: int | None = None,
    unsure: Iterable[str] = (),
    rulebook: Rulebook | None = None,
) -> dict[str, Any]:
    """Decide seek care / rest first / walk gently for one set of answers (CONTRACT section 1).

    `text` (or a "text" key in `answers`) is free text merged in per section 3. `walk_minutes`
    lets the diary propose a progression; the stateless default is the first-walk length.
    `unsure` names yes/no questions the person could not answer: they count as yes (the cautious
    path) and a reason says so. A `confirmed` key in `answers` holds the person's answers to
    questions about their own words (contract v3). Raises InputError naming the field.
    """
    c = _compile(rulebook) if rulebook is not None else _default()
    clean, text, confirmed = _validate_answers(c, answers, text)
    unsure_names = list(dict.fromkeys(_canonical(c, n) for n in unsure)) if unsure else []
    unsure_note = _apply_unsure(c, clean, unsure_names) if unsure_names else []
    has_text = bool(text and text.strip())
    told = {key for key, value in clean.items() if value is True} if has_text else set()
    if confirmed:
        clean.update((key, True) for key, value in confirmed.items() if value)
    foreign = has_text and not _is_english(text or "")
    if foreign:
        _require_checklists(c, clean)
    findings = _read_text(c, text) if has_text and text and not foreign else []
    from_text = _merge_findings(c, clean, confirmed, findings) if findings else {}
    findings = [f for f in findings if not f.get("overruled")]
    flags = _flags(c, clean)
    combos = _combinations(c, flags, clean)
    says = _Says(unsure_names, from_text, _confirmed_words(confirmed, findings))
    if flags:
        disposition = "seek_care_now"
        reasons = _flag_reasons(c, flags, says, combos)
    else:
        disposition, reasons = _rest_or_walk(c, clean, says)
    reasons.extend(unsure_note)
    result = _assessment(c, clean, disposition, flags, combos, reasons, findings, walk_minutes)
    if foreign:  # said with the words it did not read, so the person knows they were not used
        result["reasons"].append(reason(NOT_ENGLISH, c.rb.notes.text_not_english, POLICY, c.rb))
    result["confirm"] = _to_confirm(c, findings, told, confirmed) if findings else []
    if unsure_names:
        result["unsure"] = unsure_names
    return result


def read_words(
    answers: Mapping[str, Any], text: str, *, rulebook: Rulebook | None = None
) -> dict[str, Any]:
    """What free text says before any decision (contract v3, section 3): every finding with
    its reading, and the `confirm` keys an interactive face asks about, quoting the words."""
    c = _compile(rulebook) if rulebook is not None else _default()
    clean, text_, confirmed = _validate_answers(c, answers, text)
    told = {key for key, value in clean.items() if value is True}
    readable = bool(text_ and text_.strip()) and _is_english(text_ or "")
    findings = _read_text(c, text_) if readable and text_ else []
    return {"text_findings": findings, "confirm": _to_confirm(c, findings, told, confirmed)}


CLAUSE_ENDS = ".,;:!?\n"
MAX_QUOTE_CHARS = 90


def quote_clause(text: str, finding: Mapping[str, Any]) -> str:
    """The clause of the person's text around a finding, so a question quotes enough of their
    words to be recognised ("bladder and bowels behaving", not just "bladder")."""
    start, end = finding.get("start"), finding.get("end")
    if start is None or end is None:
        return str(finding["phrase"])
    left = max((text.rfind(c, 0, start) for c in CLAUSE_ENDS), default=-1) + 1
    rights = [i for i in (text.find(c, end) for c in CLAUSE_ENDS) if i != -1]
    right = min(rights, default=len(text))
    clause = " ".join(text[left:right].split())
    if len(clause) > MAX_QUOTE_CHARS:
        return str(finding["phrase"])
    return clause


def words_behind_flags(assessment: Mapping[str, Any]) -> list[str]:
    """The person's own words behind the warning signs of an assessment, once each, for the
    clinician to hear as they were said (every face adds them to "what to tell")."""
    flags = set(assessment.get("red_flags", []))
    quotes = [
        str(f.get("quote") or f.get("phrase"))
        for f in assessment.get("text_findings", [])
        if f.get("field") in flags
        and f.get("value") is True
        and (f.get("quote") or f.get("phrase"))
    ]
    return list(dict.fromkeys(quotes))


class _Says(NamedTuple):
    """Where each yes came from, so a reason never says "you reported" for what the person
    only wrote, or was not sure of."""

    unsure: list[str]  # answered "not sure"
    from_text: dict[str, dict[str, Any]]  # set by a text finding (reported or unsure)
    confirmed: dict[str, dict[str, Any]]  # answered yes when asked about the words


def _confirmed_words(
    confirmed: dict[str, bool], findings: list[dict[str, Any]]
) -> dict[str, dict[str, Any]]:
    if not confirmed:
        return {}
    return {f["field"]: f for f in findings if confirmed.get(f["field"]) and f["value"] is True}


def _flags(c: _Compiled, clean: dict[str, Any]) -> list[str]:
    """The red flags answered yes, in the contract's order."""
    flags = [key for key, value in clean.items() if value is True and key in c.flag_rank]
    if len(flags) > 1:
        flags.sort(key=c.flag_order.__getitem__)
    return flags


def _combinations(c: _Compiled, flags: list[str], clean: dict[str, Any]) -> list[Combination]:
    if len(flags) < 2:  # every combination needs two signs
        return []
    return [k for k in c.rb.combinations if all(clean.get(q) is True for q in k.all_of)]


def _canonical(c: _Compiled, name: str) -> str:
    return c.aliases.get(name, name)


def _flag_reasons(
    c: _Compiled, flags: list[str], says: _Says | None, combos: list[Combination]
) -> list[dict[str, Any]]:
    """One reason per red flag, worded by where the yes came from; then the combinations."""
    reasons = [_flag_reason(c, f, says) for f in flags]
    return reasons + [dict(c.combination_reasons[k.id]) for k in combos]


def _flag_reason(c: _Compiled, flag: str, says: _Says | None) -> dict[str, Any]:
    """A red flag's reason, by where its yes came from: an answer ("You reported"), a "Not
    sure", or the person's own words (quoted, never "you reported")."""
    quoted = _quoted(c, flag, says) if says is not None else None
    if quoted is None:
        unsure = says is not None and flag in says.unsure
        return dict((c.unsure_flag_reasons if unsure else c.red_flag_reasons)[flag])
    finding, template = quoted
    red_flag = c.rb.red_flag(flag)
    label = c.questions[flag].label
    text = template.format(phrase=finding["quote"], label=label, why=red_flag.why)
    return {**reason(flag, text, red_flag.source, c.rb), "quotes": True}


def _quoted(c: _Compiled, flag: str, says: _Says) -> tuple[dict[str, Any], str] | None:
    """The finding to quote for a flag and the note that quotes it, if words lie behind it."""
    notes = c.rb.notes
    if flag in says.confirmed:  # asked about their words: yes, or "Not sure"
        unsure = flag in says.unsure
        return says.confirmed[flag], (
            notes.red_flag_words_unsure if unsure else notes.red_flag_confirmed
        )
    finding = says.from_text.get(flag)
    if finding is None or flag in says.unsure:
        return None
    unclear = finding["reading"] == UNSURE
    return finding, notes.red_flag_text_unsure if unclear else notes.red_flag_text


def _apply_unsure(c: _Compiled, clean: dict[str, Any], names: list[str]) -> list[dict[str, str]]:
    """'Not sure' to a yes/no question is treated as yes: a missed red flag costs far more."""
    for name in names:
        question = c.questions.get(name)
        if question is None or question.type != "bool":
            raise InputError(
                name,
                i18n.translate_in(c.rb.lang, "only a yes/no question can be answered 'not sure'"),
            )
        clean[name] = True
    if not names:
        return []
    labels = "; ".join(c.questions[n].label for n in names)
    return [reason("unsure", c.rb.notes.unsure.format(questions=labels), "backwalk_policy", c.rb)]


def _validate_answers(
    c: _Compiled, raw: Any, text: str | None
) -> tuple[dict[str, Any], str | None, dict[str, bool]]:
    raw = validation.require_object(raw)
    bools = c.bool_set  # most answers are plain yes/no: take those in one pass, without calls
    clean: dict[str, Any] = {}
    others: list[str] = []
    for key, value in raw.items():
        if (value is True or value is False) and key in bools:
            clean[key] = value
        else:
            others.append(key)
    aliased: list[tuple[str, bool]] = []
    confirmed: dict[str, bool] = {}
    for key in others:
        value = raw[key]
        if key == CONFIRMED_FIELD:
            confirmed = _validate_confirmed(c, value)
        elif key in c.questions:
            clean[key] = validation.check_question(c.questions[key], value)
        elif key in c.aliases:
            aliased.append((c.aliases[key], validation.check_bool(key, value)))
        elif key == TEXT_FIELD:
            if value is not None:
                text = _join_text(validation.check_text(key, value), text)
        else:
            validation.check_known_keys({key: value}, c.questions)
    for name, value in aliased:
        _store(clean, name, value)
    if text is not None:
        validation.check_text(TEXT_FIELD, text)
        if len(text) > MAX_TEXT_CHARS:
            message = i18n.translate_in(c.rb.lang, "is too long: at most {most} characters")
            raise InputError(TEXT_FIELD, message.format(most=MAX_TEXT_CHARS))
    return clean, text, confirmed


def _validate_confirmed(c: _Compiled, raw: Any) -> dict[str, bool]:
    """The person's answers about their own words: yes/no questions only, true or false."""
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        message = i18n.translate_in(
            c.rb.lang, "must be an object of yes/no question -> true or false"
        )
        raise InputError(CONFIRMED_FIELD, message)
    confirmed: dict[str, bool] = {}
    for key, value in raw.items():
        name = _canonical(c, key)
        if name not in c.bool_set:
            validation.check_known_keys({key: value}, dict.fromkeys(c.bool_set))
            if name in c.questions:
                message = i18n.translate_in(
                    c.rb.lang,
                    "cannot be confirmed (only yes/no questions can be confirmed): "
                    "{field} takes yes/no keys",
                )
            else:
                message = i18n.translate_in(
                    c.rb.lang, "cannot be confirmed: {field} takes yes/no keys"
                )
            raise InputError(key, message.format(field=CONFIRMED_FIELD))
        confirmed[name] = validation.check_bool(key, value)
    return confirmed


def _store(clean: dict[str, Any], name: str, value: Any) -> None:
    """An old alias and its new key may both be given: a yes from either one wins."""
    if clean.get(name) is not True:
        clean[name] = value


def _join_text(from_answers: str, from_caller: str | None) -> str:
    return from_answers if not from_caller else f"{from_answers}\n{from_caller}"


def _is_english(text: str) -> bool:
    """Whether the reader, which reads English only, can read the text (backwalk.nlp.language)."""
    from backwalk.nlp.language import looks_english  # light: a word list, no language model

    return looks_english(text)


def _require_checklists(c: _Compiled, clean: dict[str, Any]) -> None:
    """Words that cannot be read cannot stand in for the warning-sign questions: each must
    have been answered (yes, no or not sure) before a decision is made without the words.
    Not when a warning sign is already answered yes: the person is sent to get care whatever
    the rest would say, and a person who needs care is never held back by one more question."""
    if any(clean.get(flag.id) is True for flag in c.red_flags):
        return
    if any(flag.id not in clean for flag in c.red_flags):
        raise InputError(
            TEXT_FIELD,
            i18n.translate_in(
                c.rb.lang, "is not in English; answer every warning-sign question instead"
            ),
        )


def _read_text(c: _Compiled, text: str) -> list[dict[str, Any]]:
    """Every field the text touches, with its reading (section 3): reported, denied or unsure."""
    from backwalk.nlp import extract  # lazy: the NLP stack is heavy and most calls have no text

    extraction = extract(text)
    spans: dict[str, tuple[int, int]] = {}
    for start, end, field in extraction.spans:
        spans.setdefault(field, (start, end))
    findings = []
    for field, value in extraction.answers.items():
        if field in c.questions:
            finding = {"field": field, "value": value, "reading": REPORTED}
            finding["phrase"] = extraction.evidence.get(field, "")
            if field in spans:
                finding["start"], finding["end"] = spans[field]
            findings.append(finding)
    for field, read in extraction.readings.items():
        if field in c.bool_set and field not in extraction.answers:
            findings.append(
                {
                    "field": field,
                    "value": read.reading != DENIED,
                    "reading": read.reading,
                    "phrase": read.phrase,
                    "start": read.start,
                    "end": read.end,
                }
            )
    for finding in findings:  # the clause around the words, for questions and reasons to quote
        finding["quote"] = quote_clause(text, finding)
    return findings


def _merge_findings(
    c: _Compiled, clean: dict[str, Any], confirmed: dict[str, bool], findings: list[dict[str, Any]]
) -> dict[str, dict[str, Any]]:
    """Merge the text into the answers (v3): a reported or unsure yes/no adds a yes unless the
    person confirmed that key; a denial changes nothing; a number given in the answers wins.
    Returns the findings that set a yes, by field, so the reasons can quote them."""
    from_text: dict[str, dict[str, Any]] = {}
    for finding in findings:
        field, value = finding["field"], finding["value"]
        if field in c.bool_set:
            if value is True and confirmed.get(field) is False:
                finding["settled_no"] = True  # the person said the words do not mean it
            if value is True and field not in confirmed and clean.get(field) is not True:
                clean[field] = True
                from_text[field] = finding
        elif field not in clean:
            clean[field] = value
        else:  # a number given in the answers wins; the text's number is not shown as used
            finding["overruled"] = True
    return from_text


def _to_confirm(
    c: _Compiled, findings: list[dict[str, Any]], told: set[str], confirmed: dict[str, bool]
) -> list[str]:
    """The yes/no keys the words raised that the person has not settled (v3 `confirm`)."""
    keys = {
        f["field"]
        for f in findings
        if f["value"] is True
        and f["field"] in c.confirm_rank
        and f["field"] not in told
        and f["field"] not in confirmed
    }
    return sorted(keys, key=c.confirm_rank.__getitem__)


def _rest_or_walk(
    c: _Compiled, clean: dict[str, Any], says: _Says
) -> tuple[str, list[dict[str, Any]]]:
    fired = [
        rule
        for rule in c.rb.rest_rules
        if (
            clean.get(rule.question) is rule.is_true
            if rule.is_true is not None
            else clean.get(rule.question, -1) >= rule.at_least  # absent: never at least
        )
    ]
    if fired:
        pain = clean.get("pain_score")
        return "rest_first", [_rest_reason(c, rule, pain, says) for rule in fired]
    if "pain_score" not in clean:
        message = i18n.translate_in(
            c.rb.lang,
            "is required: no red flag or reason to rest was reported, so the pain score decides",
        )
        raise InputError("pain_score", message)
    return "walk_gently", [dict(c.walk_reasons[clean["pain_score"]])]


def _rest_reason(c: _Compiled, rule: Any, pain: Any, says: _Says) -> dict[str, Any]:
    label, notes = c.questions[rule.question].label, c.rb.notes
    if rule.question in says.unsure:
        return reason(rule.id, notes.rest_unsure.format(label=label), rule.source, c.rb)
    finding = says.from_text.get(rule.question)
    if finding is not None:
        template = notes.rest_text_unsure if finding["reading"] == UNSURE else notes.rest_text
        text = template.format(phrase=finding["quote"], label=label)
        return {**reason(rule.id, text, rule.source, c.rb), "quotes": True}
    return reason(rule.id, rule.text.format(pain_score=pain), rule.source, c.rb)


def _assessment(
    c: _Compiled,
    clean: dict[str, Any],
    disposition: str,
    flags: list[str],
    combos: list[Combination],
    reasons: list[dict[str, Any]],
    findings: list[dict[str, Any]],
    walk_minutes: int | None,
) -> dict[str, Any]:
    unanswered = _unanswered(c, clean)
    gp_rules = _gp_soon_rules(c, clean)
    if gp_rules:
        reasons.extend(reason(r.id, r.text, r.source, c.rb) for r in gp_rules)
    urgency = _urgency(c, flags, combos) or ("gp_soon" if gp_rules else None)
    if urgency != "emergency":
        reasons.append(dict(c.safety_net if urgency is None else c.safety_net_waiting))
    if findings or (unanswered and disposition != "seek_care_now"):
        reasons.extend(_notes(c, disposition, unanswered, findings))
    result: dict[str, Any] = {
        "disposition": disposition,
        "red_flags": flags,
        "urgency": urgency,
        "see_gp_soon": [r.id for r in gp_rules] if gp_rules else [],
        "walk_plan": _walk_plan(c, walk_minutes) if disposition == "walk_gently" else None,
        "supportive": _supportive(c, disposition, clean),
        "reasons": reasons,
        "unanswered": unanswered,
        "answers": clean,
        "rulebook_version": c.rb.version,
        "lang": c.rb.lang,
        "headline": _headline(c, disposition, urgency, flags),
    }
    result["text_findings"] = findings
    return result


def _gp_soon_rules(c: _Compiled, clean: dict[str, Any]) -> list[Any]:
    if c.gp_questions.isdisjoint(clean):
        return []
    found = []
    for rule in c.rb.gp_soon_rules:  # a plain loop: this runs for every assessment with an age
        for condition in rule.when:
            if not condition.holds(clean):
                break
        else:
            found.append(rule)
    return found


def _headline(c: _Compiled, disposition: str, urgency: str | None, flags: list[str]) -> str:
    """How fast, and who to call: a sign may name its own (bleeding in pregnancy: the midwife)."""
    if c.own_headlines and urgency is not None:
        for flag in flags:
            own = c.own_headlines.get((flag, urgency))
            if own is not None:
                return own
    return c.headlines[disposition, urgency]


def _headlines(rb: Rulebook) -> dict[tuple[str, str | None], str]:
    """A seek-care headline says how fast; otherwise the disposition's (gp_soon sits beside it)."""
    tiers: list[str | None] = [None, *(u.id for u in rb.urgencies)]
    out = {(d.id, u): d.headline for d in rb.dispositions for u in tiers}
    out.update({("seek_care_now", u.id): rb.urgency_headline(u.id) for u in rb.urgencies})
    return out


def _unanswered(c: _Compiled, clean: dict[str, Any]) -> list[str]:
    return [qid for qid in c.bool_ids if qid not in clean]


def _notes(
    c: _Compiled,
    disposition: str,
    unanswered: list[str],
    findings: list[dict[str, Any]],
) -> list[dict[str, str]]:
    flags = c.flag_rank
    notes = [
        _finding_reason(c, f)
        for f in findings
        if f["reading"] == REPORTED and f["field"] not in flags and f["value"] is not False
    ]
    notes += [_settled_reason(c, f) for f in findings if f.get("settled_no")]
    if disposition != "seek_care_now" and unanswered:
        notes.append(dict(_unanswered_note(c, tuple(unanswered))))
    return notes


def _unanswered_note(c: _Compiled, unanswered: tuple[str, ...]) -> dict[str, str]:
    """The 'you did not answer' note; people leave the same few questions out, so it is cached."""
    note = c.unanswered_notes.get(unanswered)
    if note is None:
        labels = "; ".join(c.questions[q].label for q in unanswered)
        text = c.rb.notes.unanswered.format(questions=labels)
        note = reason("unanswered", text, "backwalk_policy", c.rb)
        if len(c.unanswered_notes) < UNANSWERED_CACHE_SIZE:
            c.unanswered_notes[unanswered] = note
    return note


def _settled_reason(c: _Compiled, finding: dict[str, Any]) -> dict[str, str]:
    """The person said their words did not mean a sign: say so, so the answer stays visible."""
    question = c.questions[finding["field"]]
    text = c.rb.notes.words_no.format(phrase=finding["quote"], label=question.label)
    return reason(f"text_{question.id}", text, "backwalk_policy", c.rb)


def _finding_reason(c: _Compiled, finding: dict[str, Any]) -> dict[str, str]:
    question = c.questions[finding["field"]]
    meaning = question.label
    if question.type != "bool":
        value = finding["value"]
        shown = int(value) if isinstance(value, float) and value.is_integer() else value
        meaning = f"{question.label}: {shown}"
    text = c.rb.notes.text_finding.format(phrase=finding["phrase"], meaning=meaning)
    return reason(f"text_{question.id}", text, question.source, c.rb)


def _walk_plan(c: _Compiled, minutes: int | None) -> dict[str, Any]:
    return {
        "minutes": minutes if minutes is not None else c.rb.progression.start_minutes,
        "tips": list(c.walk_tips),
        "stop_if": list(c.stop_if),
    }


def _supportive(c: _Compiled, disposition: str, clean: dict[str, Any]) -> list[str]:
    measures = c.supportive_by_disposition[disposition]
    if not measures:
        return []
    onset_hours, pregnant = clean.get("onset_hours"), clean.get("pregnant") is True
    return [
        m.id
        for m in measures
        if m.suits(pregnant)
        and (
            m.onset_hours_at_most is None
            or (onset_hours is not None and onset_hours <= m.onset_hours_at_most)
        )
    ]


def _urgency(c: _Compiled, flags: list[str], combos: list[Combination]) -> str | None:
    """The most urgent tier among the red flags and the combinations they make."""
    if not flags:
        return None
    rank = min(c.flag_rank[f] for f in flags)
    for combo in combos:
        rank = min(rank, c.urgency_rank[combo.urgency])
    return c.rb.urgencies[rank].id


# ------------------------------------------------------------------------------------------------
# checkin
# ------------------------------------------------------------------------------------------------


def checkin(data: Mapping[str, Any], *, rulebook: Rulebook | None = None) -> dict[str, Any]:
    """Continue or stop a walk, from one in-walk check-in (CONTRACT section 2)."""
    c = _compile(rulebook or default_rulebook())
    clean = _validate_checkin(c, data)
    flags = _flags(c, clean)
    combos = _combinations(c, flags, clean)
    if flags:
        action, reasons = "stop_seek_care", _seek_care_reasons(c, flags, combos)
    else:
        action, reasons = _stop_or_continue(c, clean)
    return {
        "action": action,
        "reasons": reasons,
        "red_flags": flags,
        "headline": c.rb.checkin_action(action).headline,
        "urgency": _urgency(c, flags, combos),
    }


def sharp_can_change_checkin(baseline_pain: int, current_pain: int) -> bool:
    """Whether "is the pain sharp or shooting?" can still change a check-in's answer. A pain
    above the walk's starting pain stops the walk whatever the answer (CONTRACT section 2), so
    both faces ask it only when the pain has not risen: one less question mid-walk."""
    return current_pain <= baseline_pain


def _validate_checkin(c: _Compiled, raw: Any) -> dict[str, Any]:
    raw = validation.require_object(raw)
    validation.check_known_keys(raw, c.checkin_keys)
    clean: dict[str, Any] = {}
    for name in ("baseline_pain", "current_pain"):
        if name not in raw:
            message = i18n.translate_in(c.rb.lang, "is required (a whole number from 0 to 10)")
            raise InputError(name, message)
        clean[name] = validation.check_int(
            name, raw[name], validation.PAIN_MIN, validation.PAIN_MAX
        )
    clean["sharp_or_shooting"] = validation.check_bool(
        "sharp_or_shooting", raw.get("sharp_or_shooting", False)
    )
    for key, question in c.checkin_keys.items():
        if question is not None and key in raw:
            _store(clean, question.id, validation.check_bool(key, raw[key]))
    return clean


def _seek_care_reasons(
    c: _Compiled, flags: list[str], combos: list[Combination]
) -> list[dict[str, str]]:
    action = c.rb.checkin_action("stop_seek_care")
    labels = ", ".join(c.questions[f].label for f in flags)
    lead = reason("stop_seek_care", action.text.format(labels=labels), action.source, c.rb)
    return [lead, *_flag_reasons(c, flags, None, combos)]


def _stop_or_continue(c: _Compiled, clean: dict[str, Any]) -> tuple[str, list[dict[str, str]]]:
    texts = c.rb.checkin_reasons
    why = []
    if clean["sharp_or_shooting"]:
        why.append(texts.sharp)
    if not sharp_can_change_checkin(clean["baseline_pain"], clean["current_pain"]):
        why.append(texts.pain_rose.format(**clean))
    action_id = "stop" if why else "continue"
    action = c.rb.checkin_action(action_id)
    text = action.text.format(why=" ".join(why)) if why else action.text
    return action_id, [reason(action_id, text, action.source, c.rb)]
