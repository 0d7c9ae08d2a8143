"""Loads the lexicon data files (vocab.json, targets.json, context_rules.json) strictly.

The files describe medspaCy TargetRules and ConTextRules with a small pattern shorthand
on top of spaCy Matcher token patterns:

* ``"@NAME"`` inside an ``IN``/``NOT_IN`` list stands for the words of vocabulary NAME;
* ``{"PHRASE": ["can't feel", "@NUMB_WORDS"], "OP": "?"}`` is one of several token
  sequences (optional with ``"OP": "?"``);
* ``{"ANY_OF": [[...], [...]]}`` is any one of several sub-patterns;
* ``{"GAP": 6}`` is up to six tokens that are not clause breakers (vocabulary BREAK, or
  the one named by ``"STOP"``), so a window never reaches across "no", "but" or a full stop.

Each shorthand pattern expands into plain spaCy patterns. Any unknown key, vocabulary,
concept, field or category fails at load time with a "did you mean" hint.
"""

from __future__ import annotations

import functools
import itertools
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from dataclasses import field as dataclass_field
from functools import cached_property
from pathlib import Path
from typing import Any

from .anchors import Anchor, choose_anchors
from .datafile import LEXICON_DIR, LexiconError, check_keys, check_name, load_json, string_list
from .fields import ALL_FIELDS

Tokenize = Callable[[str], list[str]]
TokenPattern = list[dict[str, Any]]

TOKEN_KEYS = {
    "LOWER",
    "TEXT",
    "LIKE_NUM",
    "IS_PUNCT",
    "IS_DIGIT",
    "IS_ALPHA",
    "SHAPE",
    "LENGTH",
    "OP",
    "IS_SENT_START",
}
DIRECTIONS = {"FORWARD", "BACKWARD", "BIDIRECTIONAL", "TERMINATE", "PSEUDO"}
PAIN_CLASSES = {"intensity", "quality"}
CHECKS = {"fever_reading"}
MAX_EXPANSIONS = 2000
DEFAULT_STOP = "BREAK"


@dataclass(frozen=True)
class Concept:
    """A kind of target span and the contract field it reports."""

    name: str
    field: str
    yields_to: tuple[str, ...] = ()
    check: str | None = None
    lasting: bool = False
    also: tuple[str, ...] = ()  # further fields the same words report (steroid tablets: both)
    # A topic: words that touch a sign without settling it ("I still inject", "wee looks a
    # funny colour"); counted as unsure and asked about, never reported (contract v3).
    unsure: bool = False
    # A vague form that a denial of a precise form settles: "does it spread into a leg? a bit
    # into the buttock. Past the knee? no" is not pain below the knee.
    settled_by_denied: tuple[str, ...] = ()
    # A vague form whose own words hold a stronger sign that says it all: "aching down both
    # legs" is the both-legs emergency; with no level given it is not also pain below the knee.
    said_by_inner: tuple[str, ...] = ()


@dataclass(frozen=True)
class TargetSpec:
    """One matcher rule for a concept: a literal phrase or one expanded token pattern."""

    concept: str
    literal: str
    pattern: TokenPattern | None
    score: int | None = None
    pain_class: str | None = None


@dataclass(frozen=True)
class SuppressorSpec:
    """A phrase that cancels overlapping targets of some concepts ("can't stand this pain")."""

    literal: str
    pattern: TokenPattern | None
    suppresses: tuple[str, ...]


@dataclass(frozen=True)
class ContextSpec:
    """One ConText modifier rule, ready to become a medspaCy ConTextRule."""

    literal: str
    category: str
    direction: str
    pattern: TokenPattern | None
    allowed_types: frozenset[str] | None = None
    excluded_types: frozenset[str] | None = None
    max_scope: int | None = None
    max_targets: int | None = None
    terminated_by: frozenset[str] | None = None
    within_list: bool = False
    unless_owned: bool = False
    # "it went straight away once I got out": when the rule's "it" finds no sign in its scope
    # (a clause break between), it means the last sign before it (extractor.py).
    refers_back: bool = False


@dataclass(frozen=True)
class ListWords:
    """The vocabularies of the `within_list` check (list_scope.py)."""

    separators: frozenset[str]
    joins: frozenset[str]
    breakers: frozenset[str]
    endings: frozenset[str]
    adjectives: frozenset[str]
    places: frozenset[str]


@dataclass(frozen=True)
class OwnerWords:
    """The vocabularies of the `unless_owned` check (own_report.py)."""

    owners: frozenset[str]
    others: frozenset[str]
    vetoes: frozenset[str]
    breaks: frozenset[str]


@dataclass(frozen=True)
class Lexicon:
    """Everything the pipeline is built from."""

    concepts: dict[str, Concept]
    targets: list[TargetSpec]
    suppressors: list[SuppressorSpec]
    counting: dict[str, bool]
    context: list[ContextSpec]
    words: frozenset[str]
    list_words: ListWords
    owner_words: OwnerWords
    carer_phrases: tuple[str, ...] = ()
    unsure_categories: frozenset[str] = frozenset()  # hedges: counted, read as unsure (v3)
    hedge_words: frozenset[str] = frozenset()  # just before a sign: read as unsure
    joke_words: frozenset[str] = frozenset()  # anywhere in a sign's sentence: read as unsure
    near_miss_words: frozenset[str] = frozenset()  # "nearly": with a shock at a sight, a figure
    shock_sight_words: frozenset[str] = frozenset()  # "saw", "bill": what the shock was at
    below_knee_words: frozenset[str] = frozenset()  # "calf", "foot": a level below the knee
    strength_normal: tuple[str, ...] = ()  # "as strong as ever": a strength test found normal
    feels_weak_words: frozenset[str] = frozenset()  # "jelly": a weakness only felt
    gives_way_words: frozenset[str] = frozenset()  # "gave": a leg giving way
    carer_subjects: frozenset[str] = frozenset()
    carer_body: frozenset[str] = frozenset()
    carer_body_nouns: frozenset[str] = frozenset()  # "back", "spine": whose back (extractor)
    other_subjects: frozenset[str] = frozenset()  # "he", "she": another person's back
    self_words: frozenset[str] = frozenset()
    carer_report: frozenset[str] = frozenset()
    # The anchor of every token pattern, by `anchors.pattern_key` (see anchors.py).
    anchors: dict[str, Anchor] = dataclass_field(default_factory=dict)
    # The lower-case tokens of every literal phrase, by its lower-case text (literals.py).
    literal_tokens: dict[str, tuple[str, ...]] = dataclass_field(default_factory=dict)

    @cached_property
    def pain_words(self) -> dict[str, tuple[int, str]]:
        """Pain-word phrase (lower case, single spaces) -> (score, class)."""
        return {
            " ".join(t.literal.split()): (t.score, t.pain_class)
            for t in self.targets
            if t.score is not None and t.pain_class is not None
        }


class PatternExpander:
    """Turns the shorthand patterns into plain spaCy token patterns."""

    def __init__(self, vocab: dict[str, list[str]], tokenize: Tokenize) -> None:
        self.vocab = vocab
        # The same words recur across many rules (word lists are shared by "@NAME"); spaCy's
        # tokenizer is the slow part of loading, so each distinct text is tokenized once.
        self.tokenize = functools.lru_cache(maxsize=None)(tokenize)
        self.words: set[str] = set()

    def phrases(self, items: str | list[str], where: str) -> list[str]:
        """Resolve "@NAME" references in a list of phrases."""
        items = [items] if isinstance(items, str) else string_list(items, where)
        out: list[str] = []
        for item in items:
            if item.startswith("@"):
                check_name(item[1:], self.vocab, "vocabulary", where)
                out.extend(self.vocab[item[1:]])
            else:
                out.append(item)
        for phrase in out:
            self.words.update(phrase.lower().split())
        return out

    def single_tokens(self, items: str | list[str], where: str) -> list[str]:
        """Resolve a list for IN/NOT_IN: every entry must be exactly one token."""
        words = [w.lower() for w in self.phrases(items, where)]
        for word in words:
            # A clitic like "'ve" tokenizes alone as two pieces but is one token in "I've".
            if not word.startswith("'") and len(self.tokenize(word)) != 1:
                raise LexiconError(f"{where}: {word!r} is not a single token; use PHRASE")
        return sorted(set(words))

    def expand(self, raw: Any, where: str) -> list[Expansion]:
        """All plain spaCy patterns a shorthand pattern stands for, each with its literal
        text when it is a plain word sequence (those go to the faster PhraseMatcher)."""
        if not isinstance(raw, list) or not raw:
            raise LexiconError(f"{where}: a pattern must be a non-empty list")
        choices = [self._element(el, f"{where}[{i}]") for i, el in enumerate(raw)]
        count = 1
        for options in choices:
            count *= len(options)
        if count > MAX_EXPANSIONS:
            raise LexiconError(f"{where}: expands to {count} patterns (limit {MAX_EXPANSIONS})")
        expansions = [_join(combo) for combo in itertools.product(*choices)]
        return [e for e in expansions if e.pattern]

    def _element(self, element: Any, where: str) -> list[Expansion]:
        if not isinstance(element, dict):
            raise LexiconError(f"{where}: a pattern element must be an object")
        if "PHRASE" in element:
            return self._phrase(element, where)
        if "ANY_OF" in element:
            check_keys(element, {"ANY_OF"}, set(), where)
            if not isinstance(element["ANY_OF"], list) or not element["ANY_OF"]:
                raise LexiconError(f"{where}: ANY_OF takes a non-empty list of patterns")
            return [
                e
                for i, sub in enumerate(element["ANY_OF"])
                for e in self.expand(sub, f"{where}.ANY_OF[{i}]")
            ]
        if "GAP" in element:
            check_keys(element, {"GAP"}, {"STOP"}, where)
            stop = self.single_tokens(element.get("STOP", "@" + DEFAULT_STOP), where)
            gap = {"LOWER": {"NOT_IN": stop}, "OP": f"{{0,{int(element['GAP'])}}}"}
            return [Expansion([gap], None)]
        token = self._token(element, where)
        plain = set(token) == {"LOWER"} and isinstance(token["LOWER"], str)
        return [Expansion([token], token["LOWER"] if plain else None)]

    def _phrase(self, element: dict[str, Any], where: str) -> list[Expansion]:
        check_keys(element, {"PHRASE"}, {"OP"}, where)
        if element.get("OP") not in (None, "?"):
            raise LexiconError(f"{where}: PHRASE only takes OP '?'")
        options = [
            Expansion([{"LOWER": t.lower()} for t in self.tokenize(p.lower())], p.lower())
            for p in self.phrases(element["PHRASE"], where)
        ]
        return options + ([Expansion([], "")] if element.get("OP") == "?" else [])

    def _token(self, element: dict[str, Any], where: str) -> dict[str, Any]:
        for key in element:
            check_name(key, TOKEN_KEYS, "token attribute", where)
        token = dict(element)
        for key in ("LOWER", "TEXT"):
            value = token.get(key)
            if isinstance(value, str):
                self.words.add(value.lower())
            elif isinstance(value, dict):
                check_keys(value, set(), {"IN", "NOT_IN"}, where)
                token[key] = {op: self.single_tokens(items, where) for op, items in value.items()}
        return token


@dataclass(frozen=True)
class Expansion:
    """One plain spaCy pattern, and its text when it is just a sequence of words."""

    pattern: TokenPattern
    text: str | None


def _join(parts: Iterable[Expansion]) -> Expansion:
    parts = list(parts)
    texts = [p.text for p in parts]
    text = None if None in texts else " ".join(t for t in texts if t)
    return Expansion([tok for p in parts for tok in p.pattern], text)


def load_vocab(data: dict[str, Any]) -> dict[str, list[str]]:
    """The named word lists of vocab.json."""
    check_keys(data, {"vocab"}, {"comment"}, "vocab.json")
    vocab: dict[str, list[str]] = {}
    for name, entry in data["vocab"].items():
        where = f"vocab.json {name}"
        check_keys(entry, {"comment", "words"}, {"include"}, where)
        vocab[name] = list(string_list(entry["words"], where))
    for name in data["vocab"]:
        for other in _included(name, data["vocab"], ()):
            vocab[name].extend(data["vocab"][other]["words"])
    return vocab


def _included(name: str, entries: dict[str, Any], seen: tuple[str, ...]) -> list[str]:
    """The lists `name` includes, directly or through other includes."""
    found: list[str] = []
    for other in entries[name].get("include", []):
        where = f"vocab.json {name} include"
        check_name(other, entries, "vocabulary", where)
        if other in seen or other == name:
            raise LexiconError(f"{where}: {other!r} includes itself")
        found += [other, *_included(other, entries, (*seen, name))]
    return found


def _rule_bodies(
    entry: dict[str, Any], expander: PatternExpander, where: str
) -> list[tuple[str, TokenPattern | None]]:
    """(literal, pattern) pairs for an entry with either "literal" or "pattern"."""
    if ("literal" in entry) == ("pattern" in entry):
        raise LexiconError(f"{where}: give exactly one of 'literal' or 'pattern'")
    if "literal" in entry:
        return [(phrase.lower(), None) for phrase in expander.phrases(entry["literal"], where)]
    label = entry.get("name") or where
    expansions = expander.expand(entry["pattern"], where)
    literals = [(e.text, None) for e in expansions if e.text]
    patterns = merge_patterns([e.pattern for e in expansions if not e.text])
    return literals + [(label, pattern) for pattern in patterns]


def merge_patterns(patterns: list[TokenPattern]) -> list[TokenPattern]:
    """Fewer, equivalent spaCy patterns: two that differ only in one token's word set become
    one with the union of both sets ("feels funny" + "feels weird" -> feels {funny, weird}).

    spaCy's Matcher tries every pattern at every token, so its time grows with the number
    of patterns; PHRASE and ANY_OF expansions multiply them (one saddle rule made 1,296).
    The merge is exact: the merged pattern matches exactly what the two did.
    """
    merged = [list(p) for p in patterns]
    changed = True
    while changed and len(merged) > 1:
        changed = False
        for position in range(max(len(p) for p in merged)):
            before = len(merged)
            merged = _merge_at(merged, position)
            changed = changed or len(merged) < before
    return merged


def _merge_at(patterns: list[TokenPattern], position: int) -> list[TokenPattern]:
    """Merge, at one position, all patterns that are the same everywhere else."""
    groups: dict[str, list[TokenPattern]] = {}
    kept: list[TokenPattern] = []
    for pattern in patterns:
        if position >= len(pattern) or _word_set(pattern[position]) is None:
            kept.append(pattern)
            continue
        groups.setdefault(_signature(pattern, position), []).append(pattern)
    for members in groups.values():
        words = sorted(set().union(*(_word_set(m[position]) or set() for m in members)))
        first = list(members[0])
        first[position] = {**first[position], "LOWER": {"IN": words}}
        kept.append(first)
    return kept


def _word_set(token: dict[str, Any]) -> set[str] | None:
    """The words a token accepts when it is only a LOWER word or IN set (OP aside)."""
    lower = token.get("LOWER")
    if set(token) - {"LOWER", "OP"}:
        return None
    if isinstance(lower, str):
        return {lower}
    if isinstance(lower, dict) and set(lower) == {"IN"}:
        return set(lower["IN"])
    return None


def _signature(pattern: TokenPattern, position: int) -> str:
    rest = [pattern[i] for i in range(len(pattern)) if i != position]
    return json.dumps([len(pattern), pattern[position].get("OP"), rest], sort_keys=True)


def _load_concepts(data: dict[str, Any]) -> dict[str, Concept]:
    concepts: dict[str, Concept] = {}
    for name, entry in data.items():
        where = f"targets.json concepts.{name}"
        optional = {
            "yields_to",
            "check",
            "lasting",
            "also",
            "unsure",
            "settled_by_denied",
            "said_by_inner",
        }
        check_keys(entry, {"field", "comment"}, optional, where)
        check_name(entry["field"], ALL_FIELDS, "field", where)
        for extra in entry.get("also", ()):
            check_name(extra, ALL_FIELDS, "field", f"{where}.also")
        if "check" in entry:
            check_name(entry["check"], CHECKS, "check", where)
        concepts[name] = Concept(
            name,
            entry["field"],
            tuple(entry.get("yields_to", ())),
            entry.get("check"),
            _flag(entry, "lasting", where),
            tuple(entry.get("also", ())),
            _flag(entry, "unsure", where),
            tuple(entry.get("settled_by_denied", ())),
            tuple(entry.get("said_by_inner", ())),
        )
    for concept in concepts.values():
        for key in ("yields_to", "settled_by_denied", "said_by_inner"):
            for other in getattr(concept, key):
                check_name(
                    other, concepts, "concept", f"targets.json concepts.{concept.name}.{key}"
                )
    return concepts


def _load_targets(
    entries: list[Any], concepts: dict[str, Concept], expander: PatternExpander
) -> list[TargetSpec]:
    specs: list[TargetSpec] = []
    for i, entry in enumerate(entries):
        where = f"targets.json rules[{i}]"
        optional = {"literal", "pattern", "name", "score", "class"}
        check_keys(entry, {"concept", "comment"}, optional, where)
        check_name(entry["concept"], concepts, "concept", where)
        score, pain_class = _pain_score_keys(entry, concepts[entry["concept"]], where)
        for literal, pattern in _rule_bodies(entry, expander, where):
            specs.append(TargetSpec(entry["concept"], literal, pattern, score, pain_class))
    return specs


def _pain_score_keys(
    entry: dict[str, Any], concept: Concept, where: str
) -> tuple[int | None, str | None]:
    is_pain_word = concept.field == "pain_score"
    if is_pain_word != ("score" in entry) or is_pain_word != ("class" in entry):
        raise LexiconError(f"{where}: 'score' and 'class' go together, on pain_score concepts")
    if is_pain_word and "literal" not in entry:
        raise LexiconError(f"{where}: pain words must be literal phrases (scores are looked up)")
    if not is_pain_word:
        return None, None
    score = entry["score"]
    if not isinstance(score, int) or not 0 <= score <= 10:
        raise LexiconError(f"{where}: score must be an integer 0-10")
    check_name(entry["class"], PAIN_CLASSES, "pain word class", where)
    return score, entry["class"]


def _load_suppressors(
    entries: list[Any], concepts: dict[str, Concept], expander: PatternExpander
) -> list[SuppressorSpec]:
    specs: list[SuppressorSpec] = []
    for i, entry in enumerate(entries):
        where = f"targets.json suppressors[{i}]"
        check_keys(entry, {"suppresses", "comment"}, {"literal", "pattern", "name"}, where)
        for concept in string_list(entry["suppresses"], where):
            check_name(concept, concepts, "concept", where)
        for literal, pattern in _rule_bodies(entry, expander, where):
            specs.append(SuppressorSpec(literal, pattern, tuple(entry["suppresses"])))
    return specs


def _load_categories(data: dict[str, Any]) -> dict[str, bool]:
    counting: dict[str, bool] = {}
    for name, entry in data.items():
        where = f"context_rules.json categories.{name}"
        check_keys(entry, {"counts", "comment"}, {"reading"}, where)
        if entry.get("reading", "unsure") != "unsure":
            raise LexiconError(f"{where}: reading must be 'unsure' (the only one a rule can set)")
        if not isinstance(entry["counts"], bool):
            raise LexiconError(f"{where}: counts must be true or false")
        counting[name] = entry["counts"]
    return counting


def _type_set(
    entry: dict[str, Any], key: str, known: Iterable[str], where: str
) -> frozenset[str] | None:
    if key not in entry:
        return None
    names = string_list(entry[key], f"{where} {key}")
    for name in names:
        check_name(name, list(known), "name", f"{where} {key}")
    return frozenset(names)


def _flag(entry: dict[str, Any], key: str, where: str) -> bool:
    value = entry.get(key, False)
    if not isinstance(value, bool):
        raise LexiconError(f"{where}: {key} must be true or false")
    return value


def _load_list_words(expander: PatternExpander) -> ListWords:
    """The LIST_* vocabularies of vocab.json."""

    def words(name: str) -> frozenset[str]:
        return frozenset(expander.single_tokens("@" + name, f"vocab.json {name}"))

    return ListWords(
        words("LIST_SEPARATOR"),
        words("LIST_JOIN"),
        words("LIST_ITEM_BREAK"),
        words("LIST_ITEM_BREAK_ENDING"),
        words("LIST_ITEM_ADJECTIVE"),
        words("LIST_ITEM_PLACE"),
    )


def _load_owner_words(expander: PatternExpander) -> OwnerWords:
    """The OWNER* vocabularies of vocab.json (and FAMILY, the other people)."""

    def words(name: str) -> frozenset[str]:
        return frozenset(expander.single_tokens("@" + name, f"vocab.json {name}"))

    return OwnerWords(
        words("OWNER"), words("FAMILY"), words("OWNER_VETO"), words("OWNER_CLAUSE_BREAK")
    )


def _load_context(
    entries: list[Any],
    concepts: dict[str, Concept],
    counting: dict[str, bool],
    expander: PatternExpander,
) -> list[ContextSpec]:
    specs: list[ContextSpec] = []
    optional = {
        "literal",
        "pattern",
        "name",
        "allowed_types",
        "excluded_types",
        "max_scope",
        "max_targets",
        "terminated_by",
        "within_list",
        "unless_owned",
        "refers_back",
    }
    for i, entry in enumerate(entries):
        where = f"context_rules.json context_rules[{i}]"
        check_keys(entry, {"category", "direction", "comment"}, optional, where)
        check_name(entry["category"], counting, "category", where)
        check_name(entry["direction"], DIRECTIONS, "direction", where)
        common = {
            "category": entry["category"],
            "direction": entry["direction"],
            "allowed_types": _type_set(entry, "allowed_types", concepts, where),
            "excluded_types": _type_set(entry, "excluded_types", concepts, where),
            "max_scope": entry.get("max_scope"),
            "max_targets": entry.get("max_targets"),
            "terminated_by": _type_set(entry, "terminated_by", counting, where),
            "within_list": _flag(entry, "within_list", where),
            "unless_owned": _flag(entry, "unless_owned", where),
            "refers_back": _flag(entry, "refers_back", where),
        }
        if common["within_list"] and common["unless_owned"]:
            raise LexiconError(f"{where}: a rule takes within_list or unless_owned, not both")
        for literal, pattern in _rule_bodies(entry, expander, where):
            specs.append(ContextSpec(literal=literal, pattern=pattern, **common))
    return _unique_literals(specs)


def _unique_literals(specs: list[ContextSpec]) -> list[ContextSpec]:
    """Drop exact repeats of a phrase; fail when a phrase has two different meanings.

    medspaCy keeps one of two modifiers over the same words, arbitrarily, so a phrase in
    two rules that behave differently would silently lose one of them.
    """
    seen: dict[str, ContextSpec] = {}
    unique: list[ContextSpec] = []
    for spec in specs:
        other = seen.setdefault(spec.literal, spec) if spec.pattern is None else spec
        if other is spec:
            unique.append(spec)
        elif (
            other.category,
            other.direction,
            other.allowed_types,
            other.excluded_types,
            other.within_list,
            other.unless_owned,
        ) != (
            spec.category,
            spec.direction,
            spec.allowed_types,
            spec.excluded_types,
            spec.within_list,
            spec.unless_owned,
        ):
            raise LexiconError(
                f"context_rules.json: {spec.literal!r} is in two rules "
                f"({other.category} {other.direction} and {spec.category} {spec.direction})"
            )
    return unique


def load_lexicon(tokenize: Tokenize, directory: Path = LEXICON_DIR) -> Lexicon:
    """Read and check vocab.json, targets.json and context_rules.json."""
    expander = PatternExpander(load_vocab(load_json("vocab.json", directory)), tokenize)
    targets = load_json("targets.json", directory)
    check_keys(targets, {"concepts", "rules", "suppressors"}, {"comment"}, "targets.json")
    concepts = _load_concepts(targets["concepts"])
    context = load_json("context_rules.json", directory)
    check_keys(context, {"categories", "context_rules"}, {"comment"}, "context_rules.json")
    counting = _load_categories(context["categories"])
    unsure = frozenset(k for k, v in context["categories"].items() if v.get("reading"))
    lexicon = Lexicon(
        unsure_categories=unsure,
        concepts=concepts,
        targets=_load_targets(targets["rules"], concepts, expander),
        suppressors=_load_suppressors(targets["suppressors"], concepts, expander),
        counting=counting,
        context=_load_context(context["context_rules"], concepts, counting, expander),
        list_words=_load_list_words(expander),
        owner_words=_load_owner_words(expander),
        carer_phrases=tuple(p.lower() for p in expander.phrases("@CARER", "vocab.json CARER")),
        carer_subjects=frozenset(expander.single_tokens("@CARER_SUBJECT", "vocab.json")),
        other_subjects=frozenset(expander.single_tokens("@OTHER_SUBJECT", "vocab.json")),
        carer_body=frozenset(expander.single_tokens("@CARER_BODY", "vocab.json")),
        carer_body_nouns=frozenset(expander.single_tokens("@BACK_NOUN", "vocab.json")),
        # "im" and "ive" are two tokens each ("i" + "m"); their "i" is already in the list.
        self_words=frozenset(expander.phrases("@SELF", "vocab.json SELF")),
        carer_report=frozenset(expander.single_tokens("@CARER_REPORT", "vocab.json")),
        hedge_words=frozenset(expander.single_tokens("@HEDGE_BEFORE", "vocab.json")),
        joke_words=frozenset(expander.single_tokens("@JOKE", "vocab.json")),
        near_miss_words=frozenset(expander.single_tokens("@NEAR_MISS", "vocab.json")),
        shock_sight_words=frozenset(expander.single_tokens("@SHOCK_SIGHT", "vocab.json")),
        below_knee_words=frozenset(expander.single_tokens("@BELOW_KNEE", "vocab.json")),
        strength_normal=tuple(
            p.lower() for p in expander.phrases("@STRENGTH_NORMAL", "vocab.json STRENGTH_NORMAL")
        ),
        feels_weak_words=frozenset(expander.single_tokens("@FEELS_WEAK", "vocab.json")),
        gives_way_words=frozenset(expander.single_tokens("@GIVES_WAY", "vocab.json")),
        words=frozenset(expander.words),
    )
    return replace(
        lexicon,
        anchors=choose_anchors(_token_patterns(lexicon)),
        literal_tokens=_literal_tokens(lexicon, expander.tokenize),
    )


def _literal_tokens(lexicon: Lexicon, tokenize: Tokenize) -> dict[str, tuple[str, ...]]:
    """Each literal phrase as spaCy's tokenizer splits it, lower-cased (as medspaCy does)."""
    specs: list[TargetSpec | SuppressorSpec | ContextSpec] = [
        *lexicon.targets,
        *lexicon.suppressors,
        *lexicon.context,
    ]
    texts = {spec.literal.lower() for spec in specs if spec.pattern is None}
    return {text: tuple(word.lower() for word in tokenize(text)) for text in sorted(texts)}


def _token_patterns(lexicon: Lexicon) -> list[TokenPattern]:
    """Every token pattern the matchers get (the literals go to PhraseMatchers)."""
    specs: list[TargetSpec | SuppressorSpec | ContextSpec] = [
        *lexicon.targets,
        *lexicon.suppressors,
        *lexicon.context,
    ]
    return [spec.pattern for spec in specs if spec.pattern is not None]
