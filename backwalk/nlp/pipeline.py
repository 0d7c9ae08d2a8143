"""Builds the medspaCy pipeline once per process.

A blank English spaCy pipeline (no model download) with spaCy's rule-based sentencizer,
medspaCy's TargetMatcher (our target rules, all overlaps kept), a small filter that
applies suppressors, number checks and precedence between concepts, and medspaCy's
ConText with our own modifier rules. spaCy and medspaCy are imported here only, so that
importing `backwalk.nlp` stays cheap.
"""

from __future__ import annotations

import gc
import re
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from .age import AgeParser, load_age_parser
from .anchors import AnchoredMatcher
from .lexicon import Concept, Lexicon
from .lexicon_cache import cached_lexicon
from .light_import import import_spacy_and_medspacy
from .list_scope import ListScope
from .literals import LiteralMatcher, PretokenizedLiterals
from .normalise import Normaliser, TypoCorrector, fuzzy_settings, load_normaliser
from .onset import OnsetParser, load_onset_parser
from .own_report import OwnReport
from .pain_score import PainScoreParser, load_pain_score_parser

if TYPE_CHECKING:
    from medspacy.context import ConText
    from medspacy.target_matcher import TargetMatcher
    from spacy.language import Language
    from spacy.tokens import Doc, Span, Token

CANDIDATES = "backwalk_candidates"
TARGETS = "backwalk_targets"
# A suppressor's label names the concepts it cancels: "SUPPRESS|TRAUMA|SADDLE". Labels,
# not span extensions, carry this because spaCy keys span extensions by character
# offsets, so two spans over the same characters would share them.
SUPPRESS_PREFIX = "SUPPRESS|"
# medspaCy's names for the spaCy matchers inside its MedspacyMatcher (name-mangled).
SPACY_MATCHER = "_MedspacyMatcher__matcher"
PHRASE_MATCHER = "_MedspacyMatcher__phrase_matcher"
SENTENCE_ENDS = [".", "!", "?", ";", "\n", "...", "!!", "??", "?!"]
FEVER_CELSIUS = (37.8, 43.5)
FEVER_FAHRENHEIT = (100.0, 110.0)


@dataclass(frozen=True)
class Pipeline:
    """Everything `extract` needs, built once."""

    nlp: Language
    normaliser: Normaliser
    lexicon: Lexicon
    pain_scores: PainScoreParser
    onsets: OnsetParser
    ages: AgeParser
    lock: threading.Lock


_BUILD_LOCK = threading.Lock()
_PIPELINE: Pipeline | None = None


def get_pipeline() -> Pipeline:
    """The process-wide pipeline, built on first use (safe to call from many threads)."""
    global _PIPELINE
    if _PIPELINE is None:
        with _BUILD_LOCK, _cyclic_gc_paused():
            if _PIPELINE is None:
                _PIPELINE = build_pipeline()
    return _PIPELINE


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """Pause Python's cycle collector while spaCy and the pipeline load.

    Importing and building allocate some 200,000 long-lived objects, which set off
    repeated full collections that find nothing to free: pausing them takes about 0.08 s
    off the first text. Reference counting still frees everything as usual, and the
    collector resumes (if it was on) as soon as the pipeline is built.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def build_pipeline() -> Pipeline:
    """Build a fresh pipeline from the lexicon files (fails loudly on a bad lexicon)."""
    import_spacy_and_medspacy()
    import spacy
    from spacy.lang.en.stop_words import STOP_WORDS

    _register_filter()
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer", config={"punct_chars": SENTENCE_ENDS})
    lexicon = cached_lexicon(lambda text: [t.text for t in nlp.tokenizer(text)])
    _add_target_matcher(nlp, lexicon)
    cast(TargetFilter, nlp.add_pipe("backwalk_target_filter")).configure(
        lexicon.concepts, lexicon.below_knee_words
    )
    _add_context(nlp, lexicon)
    pain_scores = load_pain_score_parser()
    return Pipeline(
        nlp=nlp,
        normaliser=load_normaliser(_typo_corrector(lexicon.words | STOP_WORDS)),
        lexicon=lexicon,
        pain_scores=pain_scores,
        onsets=load_onset_parser(pain_scores.number_words),
        ages=load_age_parser(pain_scores.number_words),
        lock=threading.Lock(),
    )


def _typo_corrector(known_words: Iterable[str]) -> TypoCorrector:
    settings = fuzzy_settings()
    return TypoCorrector(
        settings.keywords, set(known_words) | set(settings.protected), settings.min_length
    )


def _add_target_matcher(nlp: Language, lexicon: Lexicon) -> None:
    from medspacy.target_matcher import TargetRule

    matcher = cast(
        "TargetMatcher",
        nlp.add_pipe(
            "medspacy_target_matcher",
            config={"result_type": "group", "span_group_name": CANDIDATES, "prune": False},
        ),
    )
    _swap_matchers(matcher, "_TargetMatcher__matcher", nlp, lexicon)
    rules = [
        TargetRule(spec.literal, spec.concept, pattern=spec.pattern) for spec in lexicon.targets
    ]
    rules += [
        TargetRule(spec.literal, SUPPRESS_PREFIX + "|".join(spec.suppresses), pattern=spec.pattern)
        for spec in lexicon.suppressors
    ]
    matcher.add(rules)


def _swap_matchers(component: object, owner: str, nlp: Language, lexicon: Lexicon) -> bool:
    """Give a medspaCy component our matchers in place of spaCy's, before rules are added.

    * an `AnchoredMatcher` for its spaCy Matcher: each token pattern runs only on texts
      holding its anchor words (anchors.py), the same matches at a fraction of the time,
      and no re-validation of our patterns at start-up (tests/nlp validate every expanded
      pattern with spaCy's own validator);
    * a `LiteralMatcher` for its PhraseMatcher, fed the literals' tokens from the lexicon
      cache instead of tokenizing them again (literals.py): about 0.2 s off the start.

    medspaCy (pinned to 1.3.1) does not expose its matchers, so this reaches in by name
    (`owner` is the component's mangled attribute). Should the names change, the
    component keeps its own matchers (slower, same results) and this returns False;
    tests/nlp/test_nlp_anchors.py checks that both components have ours.
    """
    from spacy.matcher import Matcher, PhraseMatcher

    medspacy_matcher: Any = getattr(component, owner, None)
    matcher = getattr(medspacy_matcher, SPACY_MATCHER, None)
    phrase_matcher = getattr(medspacy_matcher, PHRASE_MATCHER, None)
    on_lower = getattr(medspacy_matcher, PHRASE_MATCHER + "_attr", None) == "LOWER"
    if not (isinstance(matcher, Matcher) and isinstance(phrase_matcher, PhraseMatcher)):
        return False
    if not (on_lower and hasattr(medspacy_matcher, "nlp")):
        return False
    setattr(medspacy_matcher, SPACY_MATCHER, AnchoredMatcher(nlp.vocab, lexicon.anchors))
    setattr(medspacy_matcher, PHRASE_MATCHER, LiteralMatcher(nlp.vocab))
    medspacy_matcher.nlp = PretokenizedLiterals(lexicon.literal_tokens, nlp.tokenizer)
    return True


def _spans_overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """Do two [start, end) token ranges share a token (containment included)?"""
    return a[0] < b[1] and b[0] < a[1]


def _fix_scope_overlap() -> None:
    """Make medspaCy's scope checks see a range lying strictly inside another.

    medspaCy 1.3.1's `tuple_overlaps` misses containment of the first range in the second:
    a "family" scope cut short by its max_scope, (2, 14), inside the sentence-wide scope
    of an "I" or a clause break, (0, 16), was not ended by them ("my husband says I have
    lost weight and I haven't been eating any different" lost the flag). ConTextModifier
    looks the name up in its own module, so only ConText's use of it changes.
    """
    from medspacy.context import context_modifier

    context_modifier.tuple_overlaps = _spans_overlap  # type: ignore[attr-defined]


def _add_context(nlp: Language, lexicon: Lexicon) -> None:
    from medspacy.context import ConTextRule

    _fix_scope_overlap()

    within_list = ListScope(lexicon.list_words)
    unless_owned = OwnReport(lexicon.owner_words)
    context = cast(
        "ConText",
        nlp.add_pipe(
            "medspacy_context",
            config={
                "rules": None,
                "input_span_type": "group",
                "span_group_name": TARGETS,
                # A modifier word inside a target ("can't" in "can't feel my toes") belongs to
                # the symptom, so it must not modify that target or any other.
                "prune_on_target_overlap": True,
                "span_attrs": None,
            },
        ),
    )
    _swap_matchers(context, "_ConText__matcher", nlp, lexicon)
    context.add(
        [
            ConTextRule(
                spec.literal,
                spec.category,
                pattern=spec.pattern,
                direction=spec.direction,
                allowed_types=set(spec.allowed_types) if spec.allowed_types else None,
                excluded_types=set(spec.excluded_types) if spec.excluded_types else None,
                max_scope=spec.max_scope,
                max_targets=spec.max_targets,
                terminated_by=set(spec.terminated_by) if spec.terminated_by else None,
                metadata={"refers_back": True} if spec.refers_back else None,
                on_modifies=(
                    within_list if spec.within_list else unless_owned if spec.unless_owned else None
                ),
            )
            for spec in lexicon.context
        ]
    )


# How far after a vague leg pain a level may follow: "runs down both legs to his calves".
LEVEL_WINDOW = 4


class TargetFilter:
    """Turns all target matches into the targets ConText sees.

    1. drops targets overlapping a suppressor for their concept ("can't stand this pain");
    2. drops fever readings whose number is not a fever;
    3. keeps the longest of overlapping matches of one concept;
    4. drops a target lying inside one of a concept it yields to (the "numb" of
       "numb bum" is saddle numbness; "numb bum and legs" still reports the legs);
    5. drops a vague target whose words hold a stronger sign that says it all ("aching down
       both legs" is the both-legs sign, not also pain below the knee).
    """

    def __init__(self) -> None:
        self.concepts: dict[str, Concept] = {}
        self.levels: frozenset[str] = frozenset()

    def configure(self, concepts: dict[str, Concept], levels: frozenset[str]) -> TargetFilter:
        """Give the filter the lexicon's concepts, and the words of a level below the knee
        (which keep a vague leg pain that holds a stronger sign: "down both legs to his
        calves" is both)."""
        self.concepts = concepts
        self.levels = levels
        return self

    def __call__(self, doc: Doc) -> Doc:
        candidates = list(doc.spans[CANDIDATES]) if CANDIDATES in doc.spans else []
        suppressors = [s for s in candidates if s.label_.startswith(SUPPRESS_PREFIX)]
        targets = [s for s in candidates if not s.label_.startswith(SUPPRESS_PREFIX)]
        targets = [t for t in targets if not _suppressed(t, suppressors) and self._passes(t)]
        targets = _longest_per_concept(targets)
        targets = [t for t in targets if not self._yields(t, targets)]
        targets = [t for t in targets if not self._said_by_inner(t, targets)]
        doc.spans[TARGETS] = sorted(targets, key=lambda s: (s.start, s.end))
        return doc

    def _passes(self, target: Span) -> bool:
        check = self.concepts[target.label_].check
        return check is None or _is_fever_reading(target)

    def _yields(self, target: Span, targets: list[Span]) -> bool:
        stronger = self.concepts[target.label_].yields_to
        return any(
            o.label_ in stronger and o.start <= target.start and target.end <= o.end
            for o in targets
        )

    def _said_by_inner(self, target: Span, targets: list[Span]) -> bool:
        inner = self.concepts[target.label_].said_by_inner
        if not inner:
            return False
        reach = target.doc[target.start : target.end + LEVEL_WINDOW]
        if any(t.lower_ in self.levels for t in reach):
            return False
        return any(
            o.label_ in inner and target.start <= o.start and o.end <= target.end for o in targets
        )


def _overlap(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end


def _suppressed(target: Span, suppressors: list[Span]) -> bool:
    return any(
        target.label_ in s.label_.split("|")[1:] and _overlap(s, target) for s in suppressors
    )


def _longest_per_concept(targets: list[Span]) -> list[Span]:
    from spacy.util import filter_spans

    by_concept: dict[str, list[Span]] = {}
    for target in targets:
        by_concept.setdefault(target.label_, []).append(target)
    return [kept for spans in by_concept.values() for kept in filter_spans(spans)]


def _is_fever_reading(span: Span) -> bool:
    for token in span:
        match = re.fullmatch(r"\d+(?:\.\d+)?", token.text)
        if match:
            value = float(match.group(0))
            in_c = FEVER_CELSIUS[0] <= value <= FEVER_CELSIUS[1]
            in_f = FEVER_FAHRENHEIT[0] <= value <= FEVER_FAHRENHEIT[1]
            # A unit letter decides the scale: "42F" is a 42-year-old woman, not 42 C.
            unit = _word_after(token)
            if unit in ("c", "celsius", "centigrade"):
                return in_c
            if unit in ("f", "fahrenheit"):
                return in_f
            return in_c or in_f
    return False


def _word_after(token: Token) -> str:
    return token.nbor(1).lower_ if token.i + 1 < len(token.doc) else ""


def _register_filter() -> None:
    from spacy.language import Language

    if not Language.has_factory("backwalk_target_filter"):
        Language.factory("backwalk_target_filter")(_make_filter)


def _make_filter(nlp: Any, name: str) -> TargetFilter:
    return TargetFilter()
