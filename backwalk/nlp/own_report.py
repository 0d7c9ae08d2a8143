"""When a question is the writer's own report: the `unless_owned` check of a ConText rule.

"Is numbness a warning sign?" asks about a symptom in general, and "should I worry about
weight loss?" about one that may never come: both are HYPOTHETICAL. But a person asking
about their own symptom is reporting it: "what are pins and needles in my foot a sign
of", "should I worry that my foot drags?", "is it normal that I can't feel my bum?".
medspaCy calls this check (a ConTextRule's `on_modifies`) for each target in the scope of
a rule marked `unless_owned` (the "is it a sign of" / "is it normal" / "should I worry"
questions); it lets the question reach the target only when the target's side of the
clause does not show the writer as its owner. The words come from vocab.json:

* OWNER - the writer ("my", "I", "me", "myself"), unless the next word is another
  person ("my mum's foot", FAMILY);
* OWNER_VETO - words that keep the clause conditional, future or someone else's advice
  even with "my" in it ("the GP said numbness in my legs is a red flag", "would numbness
  in my legs be serious", "my GP checked for signs of numbness in my legs"), looked for
  from the start of the clause up to the end of the target, so an "if" after the symptom
  does not count ("is it normal that my leg goes numb if I sit?");
* OWNER_CLAUSE_BREAK - where the looked-at region stops (commas, contrast words,
  sentence ends).

The region is the target's side of the modifier, never the modifier itself ("should *I*
worry about numbness" is not owned): from the start of the target's clause up to the
modifier when the question comes after the symptom, from the modifier to the end of the
target's clause when it comes before. Rules for instructions and conditions ("watch out
for", "look out for", "if", "told me to") are never marked `unless_owned`, so "the
doctor told me to watch out for numbness in my legs" stays hypothetical.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

    from backwalk.nlp.lexicon import OwnerWords


@dataclass(frozen=True)
class OwnReport:
    """The `on_modifies` callback for rules marked `unless_owned`."""

    words: OwnerWords

    def __call__(self, target: Span, modifier: Span, between: Span) -> bool:
        """True if the question still reaches the target (medspaCy's `on_modifies`)."""
        doc = target.doc
        if modifier.start >= target.end:
            start = self._clause_start(doc, target.start)
            region = lead = doc[start : modifier.start]
        else:
            start = self._clause_start(doc, modifier.start)
            region = doc[modifier.end : self._clause_end(doc, target.end)]
            lead = doc[start : target.end]
        if any(t.lower_ in self.words.vetoes for t in lead):
            return True
        return not any(self._is_owner(t) for t in region)

    def _is_owner(self, token: Token) -> bool:
        if token.lower_ not in self.words.owners:
            return False
        following = token.doc[token.i + 1] if token.i + 1 < len(token.doc) else None
        return following is None or following.lower_ not in self.words.others

    def _clause_start(self, doc: Doc, start: int) -> int:
        while (
            start > 0
            and not doc[start].is_sent_start
            and doc[start - 1].lower_ not in self.words.breaks
        ):
            start -= 1
        return start

    def _clause_end(self, doc: Doc, end: int) -> int:
        while (
            end < len(doc)
            and doc[end].lower_ not in self.words.breaks
            and not doc[end].is_sent_start
        ):
            end += 1
        return end
