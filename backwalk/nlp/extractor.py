"""`extract`: from everyday English to the contract's answers, with evidence."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING, Any, cast

from .age import AgeMatch
from .fields import BOOLEAN_FIELDS, RED_FLAGS, REST_SIGNS
from .lexicon import Lexicon
from .measured import all_normal, explained_by_temperature
from .normalise import NormalisedText
from .pipeline import TARGETS, Pipeline, get_pipeline
from .result import DENIED, UNSURE, Extraction, Reading
from .scope import DENIED as LAYOUT_DENIED
from .scope import MAX_ANSWER, layout_readings, reading_at
from .scope import UNSURE as LAYOUT_UNSURE

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

RED_FLAG_FIELDS = frozenset(RED_FLAGS)


@dataclass
class _Findings:
    """Answers collected while reading one text, with their ranges in the clean text."""

    answers: dict[str, bool | int | float] = field(default_factory=dict)
    ranges: list[tuple[int, int, str]] = field(default_factory=list)

    def add(self, name: str, value: bool | int | float, start: int, end: int) -> None:
        self.answers.setdefault(name, value)
        self.ranges.append((start, end, name))


def extract(text: str) -> Extraction:
    """Read free text and report what it says, in the contract's field names.

    Only what the text reports appears: booleans only as True, `pain_score` and
    `onset_hours` only when found. Denied, hypothetical, resolved and other people's
    mentions are left out; when in doubt a red flag is reported.
    """
    if not isinstance(text, str):
        raise TypeError(f"extract() needs a str, got {type(text).__name__}")
    if not text.strip():
        return Extraction()
    pipeline = get_pipeline()
    clean = pipeline.normaliser(text)
    with pipeline.lock:
        doc = pipeline.nlp(clean.text)
    findings = _Findings()
    lower = _same_length_lower(clean.text)
    age = pipeline.ages.find(lower)
    counted, blocked, left_open = _sorted_targets(doc, pipeline, age is not None and not age.own)
    counted, blocked = _it_went_refers_back(doc, counted, blocked)
    counted, blocked, asked = _apply_layout(text, clean, counted, blocked)
    counted = _settled_by_a_denial(counted, blocked, pipeline)
    counted = _rest_signs_of_today(counted, lower, pipeline)
    counted = _settled_today(counted, blocked, lower, pipeline)
    asked |= left_open
    counted = _pregnancy_warnings_in_pregnancy(counted, pipeline)
    counted, blocked = _explained_by_a_normal_temperature(text, counted, blocked, pipeline)
    counted, blocked = _a_shock_at_a_sight(counted, blocked, pipeline)
    counted, blocked = _strength_found_normal(lower, counted, blocked, pipeline)
    _add_flags(findings, counted, pipeline)
    _add_pain_score(findings, lower, counted, pipeline)
    _add_onset(findings, lower, pipeline)
    _add_age(findings, age)
    readings = _readings(doc, counted, blocked, pipeline, findings, asked)
    return _to_extraction(findings, clean, readings)


# How far back a "gone when I moved" rule's "it" may reach for its sign, in tokens.
REFERS_BACK_TOKENS = 45
PRONOUNS = {"it", "that", "this", "they", "those", "these", "which", "its"}


def _it_went_refers_back(
    doc: Doc, counted: list[Span], blocked: list[Span]
) -> tuple[list[Span], list[Span]]:
    """ "My bum went numb and now I can't stop thinking about it, but honestly it went straight
    away once I got out": a clause break keeps the "it went away once I moved" rule's scope from
    the numbness, yet its "it" means the last sign before it. Such a rule that modified no sign
    resolves the nearest counted sign before it that it may modify (context_rules.json
    `refers_back`)."""
    modified = {id(m) for _, m in doc._.context_graph.edges}
    resolved: list[Span] = []
    for modifier in doc._.context_graph.modifiers:
        metadata = modifier.rule.metadata or {}
        if not metadata.get("refers_back") or id(modifier) in modified:
            continue
        start, end = modifier.modifier_span
        if not any(t.lower_ in PRONOUNS for t in doc[start:end]):
            continue
        before = [
            t
            for t in counted
            if t.end <= start and start - t.end <= REFERS_BACK_TOKENS and modifier.allows(t.label_)
        ]
        if before:
            last = max(before, key=lambda t: t.end)
            # "my foot went numb": its weakness and its numbness are the same words
            resolved += [t for t in before if t.start < last.end and last.start < t.end]
    return [t for t in counted if t not in resolved], [*blocked, *resolved]


def _readings(
    doc: Doc,
    counted: list[Span],
    blocked: list[Span],
    pipeline: Pipeline,
    findings: _Findings,
    asked: set[tuple[int, int, str]],
) -> dict[str, tuple[str, int, int]]:
    """Contract v3 readings for the yes/no fields the text touches (clean-text ranges):
    unsure where a hedge ("I think", "maybe", "not sure if") reaches a counted target, denied
    where only denied, hypothetical, past or other people's mentions touch a field."""
    hedged = {
        (t.start, t.end, t.label_)
        for t, modifier in doc._.context_graph.edges
        if modifier.category in pipeline.lexicon.unsure_categories
    }
    out: dict[str, tuple[str, int, int]] = {}
    settled = {
        name
        for t in counted
        if not pipeline.lexicon.concepts[t.label_].unsure
        for name in _fields_of(t, pipeline)
    }
    for target in counted:
        key = (target.start, target.end, target.label_)
        unsure = key in hedged or key in asked or _hedged_nearby(doc, target, pipeline.lexicon)
        topic = pipeline.lexicon.concepts[target.label_].unsure
        for name in _fields_of(target, pipeline):
            if topic and name not in settled:
                out.setdefault(name, (UNSURE, target.start_char, target.end_char))
            if unsure and name in findings.answers:
                out.setdefault(name, (UNSURE, target.start_char, target.end_char))
    for target in blocked:
        for name in _fields_of(target, pipeline):
            if name not in findings.answers and name not in out:
                out[name] = (DENIED, target.start_char, target.end_char)
    return out


# A hedge this many tokens before a sign, in its sentence, leaves the sign open (vocab.json
# HEDGE_BEFORE and JOKE): still counted, but read as unsure and asked about (contract v3).
HEDGE_WINDOW = 4


def _hedged_nearby(doc: Doc, target: Span, lexicon: Lexicon) -> bool:
    sentence = target.sent if doc.has_annotation("SENT_START") else doc[:]
    before = doc[max(sentence.start, target.start - HEDGE_WINDOW) : target.start]
    if any(t.lower_ in lexicon.hedge_words for t in before):
        return True
    return any(t.lower_ in lexicon.joke_words for t in sentence)


def _explained_by_a_normal_temperature(
    text: str, counted: list[Span], blocked: list[Span], pipeline: Pipeline
) -> tuple[list[Span], list[Span]]:
    """Sweating or feeling hot, in a text whose every measured temperature is normal, is
    explained, not a fever: those words are read as denied (see measured.py)."""
    if not all_normal(text):
        return counted, blocked
    explained = [
        t
        for t in counted
        if pipeline.lexicon.concepts[t.label_].field == "fever_or_chills"
        and explained_by_temperature(t.text)
    ]
    return [t for t in counted if t not in explained], [*blocked, *explained]


# How far after a near-faint the shock's cause may be: "nearly fainted when I saw the bill".
SHOCK_WINDOW = 4


def _a_shock_at_a_sight(
    counted: list[Span], blocked: list[Span], pipeline: Pipeline
) -> tuple[list[Span], list[Span]]:
    """ "Nearly fainted when I saw the gas bill" is a figure of speech for a shock, not a faint:
    a faint that nearly happened, at something seen, heard or read, is read as denied. A faint
    that happened ("fainted when I saw the blood") or nearly happened on standing stays."""
    lex = pipeline.lexicon

    def figure_of_speech(target: Span) -> bool:
        if lex.concepts[target.label_].field != "fainted_or_collapsed":
            return False
        doc = target.doc
        before = doc[max(0, target.start - 2) : target.start]
        after = doc[target.end : target.end + SHOCK_WINDOW]
        return (
            any(t.lower_ in lex.near_miss_words for t in before)
            and len(after) > 0
            and after[0].lower_ in {"when", "as", "at", "after"}
            and any(t.lower_ in lex.shock_sight_words for t in after[1:])
        )

    shocks = [t for t in counted if figure_of_speech(t)]
    return [t for t in counted if t not in shocks], [*blocked, *shocks]


def _strength_found_normal(
    lower: str, counted: list[Span], blocked: list[Span], pipeline: Pipeline
) -> tuple[list[Span], list[Span]]:
    """ "My legs feel a bit like jelly ... when I test them they're as strong as ever": a leg
    that only feels weak, then tested and found as strong as ever, is not weak. A leg that gives
    way, and numbness, are never settled by it."""
    lex = pipeline.lexicon
    found = [lower.find(p) for p in lex.strength_normal if p in lower]
    if not found:
        return counted, blocked
    first_normal = min(found)
    felt = [
        t
        for t in counted
        if t.label_ == "WEAKNESS"
        and t.end_char <= first_normal
        and any(w.lower_ in lex.feels_weak_words for w in t)
        and not any(w.lower_ in lex.gives_way_words for w in t)
    ]
    return [t for t in counted if t not in felt], [*blocked, *felt]


def _pregnancy_warnings_in_pregnancy(counted: list[Span], pipeline: Pipeline) -> list[Span]:
    """Bleeding, contractions or leaking fluid are a pregnancy warning only in a text that says
    the person is pregnant ("cut my finger, it was bleeding" is not one; the check's own
    question about pregnancy warnings still asks everyone who is pregnant)."""
    fields = [pipeline.lexicon.concepts[t.label_].field for t in counted]
    if "pregnant" in fields:
        return counted
    return [t for t, f in zip(counted, fields, strict=True) if f != "pregnancy_warning"]


def _fields_of(target: Span, pipeline: Pipeline) -> list[str]:
    concept = pipeline.lexicon.concepts[target.label_]
    return [n for n in (concept.field, *concept.also) if n in BOOLEAN_FIELDS]


def _apply_layout(
    text: str, clean: NormalisedText, counted: list[Span], blocked: list[Span]
) -> tuple[list[Span], list[Span], set[tuple[int, int, str]]]:
    """Signs settled by the text's layout (a question's answer, a form field, a tick box)
    take that reading whatever the grammar said; an unanswered question in a dialogue is
    unsure. Returns the counted and blocked targets, and the keys of the unsure ones."""
    settled = layout_readings(text)
    if not settled:
        return counted, blocked, set()
    keep: list[Span] = []
    block: list[Span] = []
    asked: set[tuple[int, int, str]] = set()
    for target in [*counted, *blocked]:
        start, end = clean.to_original(target.start_char, target.end_char)
        reading = reading_at(settled, start, end)
        if reading is None:
            (keep if target in counted else block).append(target)
        elif reading == LAYOUT_DENIED or _answered_in_words(reading, target, [*counted, *blocked]):
            block.append(target)
        else:
            keep.append(target)
            if reading == LAYOUT_UNSURE:
                asked.add((target.start, target.end, target.label_))
    return keep, block, asked


# A day's entry that carries the earlier days forward: "Thu: unchanged", "Day 4: same again".
SAME_AS_BEFORE = re.compile(
    r"\b(?:unchanged|same|no\s+change|no\s+better|still|as\s+before|no\s+different)\b"
)


def _rest_signs_of_today(counted: list[Span], lower: str, pipeline: Pipeline) -> list[Span]:
    """In a log of days ("Day 1: 9/10, couldn't get up off the loo ... Day 4: 3/10,
    pottering"), how the pain was on earlier days is past: only the latest day's rest signs
    count, unless that day says nothing has changed ("Thursday: unchanged, 8/10"). Warning
    signs on any day still count."""
    today = pipeline.pain_scores.latest_day_start(lower)
    if today is None or SAME_AS_BEFORE.search(lower, today):
        return counted
    concepts = pipeline.lexicon.concepts
    return [
        t for t in counted if t.start_char >= today or concepts[t.label_].field not in REST_SIGNS
    ]


HEDGED = re.compile(r"\?|\bnot\s+sure\b|\bmaybe\b|\bi\s+think\b|\bmight\b|\bperhaps\b")


def _settled_today(
    counted: list[Span], blocked: list[Span], lower: str, pipeline: Pipeline
) -> list[Span]:
    """In a log of days, the latest word on a sign wins: a sign of an earlier day that a
    later day denies or puts in the past ("Thu: flu, 38.5 ... Wed (today): no temperature,
    no shivers", "Day 1: between my shoulder blades ... Day 3: the top of my back completely
    settled") is settled: the person says how it is now. Not when that later day is unsure
    of itself ("no fever now? not sure"): then the earlier sign stands, and is asked about."""
    starts = pipeline.pain_scores.day_starts(lower)
    if not starts:
        return counted
    concepts = pipeline.lexicon.concepts

    def day(span: Span) -> int:
        return bisect.bisect_right(starts, span.start_char)

    def settling_day(field: str) -> int | None:
        mentions = sorted(
            (t for t in [*counted, *blocked] if concepts[t.label_].field == field),
            key=lambda t: t.start_char,
        )
        last = mentions[-1]
        if last in counted or day(last) == 0:
            return None
        entry_end = starts[day(last)] if day(last) < len(starts) else len(lower)
        return None if HEDGED.search(lower, starts[day(last) - 1], entry_end) else day(last)

    settled = {f: settling_day(f) for f in {concepts[t.label_].field for t in counted}}
    return [
        t
        for t in counted
        if settled[concepts[t.label_].field] is None
        or day(t) >= cast(int, settled[concepts[t.label_].field])
    ]


# How far after a vague sign a denial of its precise form may come and settle it.
SETTLING_DENIAL_CHARS = 120


def _settled_by_a_denial(
    counted: list[Span], blocked: list[Span], pipeline: Pipeline
) -> list[Span]:
    """Drops a vague sign ("spreads into a leg") when a denial of its precise form follows
    close behind ("Past the knee? no", "but not past the knee")."""
    concepts = pipeline.lexicon.concepts

    def settled(target: Span) -> bool:
        precise = concepts[target.label_].settled_by_denied
        return any(
            b.label_ in precise
            and target.start_char <= b.start_char <= target.end_char + SETTLING_DENIAL_CHARS
            for b in blocked
        )

    return [t for t in counted if not settled(t)]


def _answered_in_words(reading: str, question: Span, targets: list[Span]) -> bool:
    """A question whose reply is neither yes nor no but speaks of the same sign ("Any weight
    loss you can't explain? - I've lost eight pounds, but that's on purpose"): the reply's
    own words settle it, read by the grammar like any other sentence."""
    return reading == LAYOUT_UNSURE and any(
        t.label_ == question.label_
        and question.end_char < t.start_char <= question.end_char + MAX_ANSWER
        for t in targets
    )


Key = tuple[int, int, str]


def _sorted_targets(
    doc: Doc, pipeline: Pipeline, other_age: bool
) -> tuple[list[Span], list[Span], set[Key]]:
    """Targets that no modifier of a non-counting category reaches, those blocked, and the
    keys of counted ones left open (read as unsure, so asked about).

    Read from the ConText graph's edges, keyed by (start, end, label): `span._.modifiers`
    is keyed by offsets alone, so two targets over the same words would share it.
    A text written by a carer on someone's behalf ("I'm writing for my mum") reports that
    person's symptoms: there a single other-person word ("she", "her", "my dad") does not
    block ("runs in the family" still does). When the carer is only implied, that person's
    lasting conditions ("my husband is halfway through chemo") may be theirs or family
    news: they are left open, so the person is asked.
    """
    carer = _written_by_carer(doc, pipeline, other_age)
    blocked: set[Key] = set()
    open_: set[Key] = set()
    for target, modifier in doc._.context_graph.edges:
        if pipeline.lexicon.counting[modifier.category]:
            continue
        key = (target.start, target.end, target.label_)
        family = _family_reading(doc, target, modifier, pipeline, carer)
        if family == "open":
            open_.add(key)
        elif family != "counted":
            blocked.add(key)
    targets = doc.spans[TARGETS]
    if carer is not None:
        blocked |= {
            (t.start, t.end, t.label_) for t in targets if _the_carers_own(doc, t, pipeline.lexicon)
        }
    counted = [t for t in targets if (t.start, t.end, t.label_) not in blocked]
    blocked_targets = [t for t in targets if (t.start, t.end, t.label_) in blocked]
    return counted, blocked_targets, open_ - blocked


def _family_reading(
    doc: Doc, target: Span, modifier: Any, pipeline: Pipeline, carer: Carer | None
) -> str | None:
    """How another person's word reaches a sign: "counted" (the writer's own, or a carer's
    text about that person), "open" (a lasting condition in a text only implied to be a
    carer's), or None (it blocks)."""
    if modifier.category != "FAMILY":
        return None
    if _owned_by_writer(target, pipeline.lexicon):
        return "counted"
    if doc[slice(*modifier.modifier_span)].text.lower() not in pipeline.lexicon.owner_words.others:
        return None
    if pipeline.lexicon.concepts[target.label_].lasting and _their_relative(
        doc, modifier, pipeline.lexicon
    ):
        return None
    if carer is Carer.SAYS_SO:
        return "counted"
    if carer is Carer.IMPLIED:
        return "open" if pipeline.lexicon.concepts[target.label_].lasting else "counted"
    return None


# The writer having something: "I've got a UTI", "I have cancer", "I'm pregnant".
WRITER_WORDS = frozenset({"i", "ive", "im"})
WRITER_HAVING = 4  # tokens from "I" to the sign at most: "I've got a UTI"


def _the_carers_own(doc: Doc, target: Span, lexicon: Lexicon) -> bool:
    """In a text written for someone else, a sign the writer says they have themselves ("My
    husband put his back out ... I've got a UTI at the moment, but he's had nothing like
    that") is the writer's, not the person's: "I" with a having word just before it, and no
    other person's word right after it ("I noticed a lump on her back" is theirs)."""
    start = max(
        target.sent.start if doc.has_annotation("SENT_START") else 0, target.start - WRITER_HAVING
    )
    before = [t.lower_ for t in doc[start : target.start]]
    writer = [i for i, w in enumerate(before) if w in WRITER_WORDS]
    if not writer:
        return False
    between = before[writer[-1] + 1 :]
    if not between or between[0] not in HAVING_WORDS:
        return False
    if any(w in lexicon.owner_words.others or w in lexicon.other_subjects for w in between):
        return False
    after = [t.lower_ for t in doc[target.start : target.end + 3]]
    return not any(w in lexicon.owner_words.others for w in after)


def _their_relative(doc: Doc, modifier: Any, lexicon: Lexicon) -> bool:
    """ "her mum", "his dad", "their gran": a relative of the person a carer writes about,
    never that person ("my wife's back went ... her mum died of cancer"). Only for lasting
    conditions: "his wife says he has wet himself" is the wife reporting his sign."""
    start = modifier.modifier_span[0]
    return start > 0 and doc[start - 1].lower_ in lexicon.carer_subjects


def _owned_by_writer(target: Span, lexicon: Lexicon) -> bool:
    """A sign whose own words name the writer as its owner ("pain in my belly", "my legs
    went") is the writer's, whoever was mentioned before it ("grey, my husband said, with
    a sudden pain in my belly"): another person's word cannot reach it."""
    words = lexicon.owner_words
    tokens = list(target)
    return any(
        t.lower_ in words.owners
        and (i + 1 == len(tokens) or tokens[i + 1].lower_ not in words.others)
        for i, t in enumerate(tokens)
    )


class Carer(Enum):
    """How a text shows that it is written for someone else."""

    SAYS_SO = "says so"  # "writing for my mum", "his back went": everything about him counts
    IMPLIED = "implied"  # no writer at all: his symptoms count, not his past conditions


def _written_by_carer(doc: Doc, pipeline: Pipeline, other_age: bool) -> Carer | None:
    """How the text shows that it is written for someone else, if it does.

    It says so (vocabulary CARER: "writing for my mum"). Or it never mentions the writer
    ("my" before a person, as in "my wife says", is not the writer's own) and names the
    other person's back ("his back went"); or, only implied, it gives that person's age
    ("Dad's legs are both weak, he is 79"), relays what they say ("my wife says her
    bottom feels numb") or makes them a sentence's subject ("my husband he has the sugar ...
    after he bended"). A text with the writer in it ("my son has a fever, my back
    hurts") keeps other people's symptoms theirs. When only implied, the other
    person's lasting conditions and history (concepts marked `lasting`: cancer, thin bones,
    steroids, immune suppression) stay theirs: "my granny has osteoporosis" is family news.
    """
    lex = pipeline.lexicon
    words = [t.lower_ for t in doc]
    joined = " " + " ".join(re.findall(r"[a-z']+", doc.text.lower())) + " "
    if any(f" {phrase} " in joined for phrase in lex.carer_phrases):
        return Carer.SAYS_SO
    if _whose_back(words, lex) == "other" and not _writers_own_spasm(words, lex):
        return Carer.SAYS_SO
    pairs = list(zip(words, [*words[1:], ""], strict=True))
    writer = any(
        a in lex.self_words and not (a == "my" and b in lex.owner_words.others) for a, b in pairs
    )
    if writer or not any(w in lex.owner_words.others for w in words):
        return None
    if any(a in lex.carer_subjects and b in lex.carer_body for a, b in pairs):
        return Carer.SAYS_SO
    implied = (
        other_age
        or any(w in lex.carer_report for w in words)
        or _other_subject_beside_a_back(doc, lex)
    )
    return Carer.IMPLIED if implied else None


# The writer's own spasm or pain: "this spasm I've had", "my pain", "the spasm I have".
OWN_SPASM_NOUNS = frozenset({"spasm", "spasms", "pain", "ache", "twinge"})
HAVING_WORDS = frozenset({"'ve", "have", "had", "got", "get", "'m", "am", "keep"})


def _writers_own_spasm(words: list[str], lex: Lexicon) -> bool:
    """ "my dad's started with back pain ... this spasm I've had for ten days": a text that
    names the writer's own spasm or pain is not written for the other person, whoever else's
    back it mentions."""
    for i, word in enumerate(words):
        if word not in OWN_SPASM_NOUNS:
            continue
        if i > 0 and words[i - 1] == "my":
            return True
        after = words[i + 1 : i + 3]
        if after[:1] == ["ive"] or (after[:1] == ["i"] and after[1:] and after[1] in HAVING_WORDS):
            return True
    return False


def _other_subject_beside_a_back(doc: Doc, lex: Lexicon) -> bool:
    """A sentence with "he" or "she" and a back in it ("Now the back is cramping after he
    bended"): the text is about that person's back ("my dad lost weight before he died" is
    not)."""
    sentences = doc.sents if doc.has_annotation("SENT_START") else [doc[:]]
    for sentence in sentences:
        words = {t.lower_ for t in sentence}
        if words & lex.other_subjects and words & lex.carer_body_nouns:
            return True
    return False


# How far before "back" its owner may stand: "his back", "her lower back", "my partner's
# back", "my husband has back pain", "he's had a back spasm".
BACK_OWNER_WINDOW = 4


# "had my own back op years ago": an operation names a back's past, not the back in spasm.
PAST_BACK = frozenset({"op", "ops", "operation", "operations", "surgery", "surgeries", "surgeon"})


def _whose_back(words: list[str], lex: Lexicon) -> str | None:
    """ "own" when the text names the writer's back anywhere, else "other" when it names
    another person's ("My boyfriend's back pain started", "he has back spasm"), else None.
    A text about someone else's back and never the writer's is written for them, even when
    the writer narrates ("I thought it was easing")."""
    owners: set[str] = set()
    for i, word in enumerate(words):
        if word not in lex.carer_body_nouns or words[i + 1 : i + 2] and words[i + 1] in PAST_BACK:
            continue
        for before in reversed(words[max(0, i - BACK_OWNER_WINDOW) : i]):
            if before in lex.owner_words.breaks:
                break
            if before in lex.self_words:
                owners.add("own")
                break
            if before in lex.carer_subjects | lex.other_subjects | lex.owner_words.others:
                owners.add("other")
                break
    if "own" in owners or "mine" in words:  # "hurt her back, mine is just stiff"
        return "own"
    return "other" if owners else None


def _add_flags(findings: _Findings, counted: list[Span], pipeline: Pipeline) -> None:
    for target in counted:
        for name in _fields_of(target, pipeline):
            findings.add(name, True, target.start_char, target.end_char)


def _add_pain_score(
    findings: _Findings, lower: str, counted: list[Span], pipeline: Pipeline
) -> None:
    number = pipeline.pain_scores.find(lower)
    if number is not None:
        findings.add("pain_score", number.score, number.start, number.end)
        return
    best = _strongest_pain_word(counted, pipeline)
    if best is None or (best[2] != "intensity" and _warning_sign_found(findings)):
        # A quality word ("tight", "ache") beside a warning sign often describes the other
        # part ("my chest feels tight"); the sign decides without a score anyway.
        return
    word, score, _ = best
    findings.add("pain_score", score, word.start_char, word.end_char)


def _warning_sign_found(findings: _Findings) -> bool:
    return any(name in RED_FLAG_FIELDS for name in findings.answers)


def _strongest_pain_word(counted: list[Span], pipeline: Pipeline) -> tuple[Span, int, str] | None:
    """An intensity word ("severe") beats a quality word ("achy"); then the highest score."""
    scored = []
    for target in counted:
        if pipeline.lexicon.concepts[target.label_].field == "pain_score":
            score, pain_class = pipeline.lexicon.pain_words[" ".join(target.text.lower().split())]
            scored.append((pain_class == "intensity", score, target))
    if not scored:
        return None
    intensity, score, word = max(scored, key=lambda s: (s[0], s[1]))
    return word, score, "intensity" if intensity else "quality"


def _add_onset(findings: _Findings, lower: str, pipeline: Pipeline) -> None:
    onset = pipeline.onsets.find(lower)
    if onset is not None:
        findings.add("onset_hours", onset.hours, onset.start, onset.end)


def _add_age(findings: _Findings, age: AgeMatch | None) -> None:
    if age is not None:
        findings.add("age", age.age, age.start, age.end)


def _same_length_lower(text: str) -> str:
    # str.lower() can change the length of a few characters ("İ"); offsets must not move.
    # Lowering never shortens a character, so an unchanged total length means none grew.
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def _to_extraction(
    findings: _Findings, clean: NormalisedText, readings: dict[str, tuple[str, int, int]]
) -> Extraction:
    spans = _merge(
        sorted((*clean.to_original(start, end), name) for start, end, name in findings.ranges)
    )
    evidence: dict[str, str] = {}
    for start, end, name in spans:
        evidence.setdefault(name, clean.original[start:end])
    answers = dict(findings.answers)
    read: dict[str, Reading] = {}
    for name, (reading, start, end) in readings.items():
        o_start, o_end = clean.to_original(start, end)
        read[name] = Reading(reading, clean.original[o_start:o_end], o_start, o_end)
        if reading == UNSURE:  # an unsure field is not reported: only the reading carries it
            answers.pop(name, None)
    spans = [s for s in spans if s[2] in answers]
    return Extraction(answers=answers, evidence=evidence, spans=spans, readings=read)


def _merge(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Join overlapping ranges of the same field into one highlight."""
    merged: list[tuple[int, int, str]] = []
    for start, end, name in spans:
        for i, (m_start, m_end, m_name) in enumerate(merged):
            if m_name == name and start < m_end and m_start < end:
                merged[i] = (min(start, m_start), max(end, m_end), name)
                break
        else:
            merged.append((start, end, name))
    return sorted(merged)
