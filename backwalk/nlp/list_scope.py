"""How far a denial reaches along a list: the `within_list` check of a ConText rule.

A denial carries over a comma so that "no fever, chills or sweats" denies all three.
It must not carry over to an item that is a statement of its own: "no fever, numb
foot", "not numb, leg's weak though", "no numbness, lost 5kg", "no chills, fell down
the stairs". medspaCy calls this check (a ConTextRule's `on_modifies`) for each target
in a `within_list` rule's scope; the words come from vocab.json:

* LIST_SEPARATOR - what splits a list into items ("," and a spaced dash);
* LIST_ITEM_BREAK - words that give an item its own predicate or construction (verbs,
  state adjectives such as "numb" or "weak", "myself", "yes", "though"); so do a number and
  a word of five letters or more with a LIST_ITEM_BREAK_ENDING ("-ed": "rear-ended"),
  unless it is a LIST_ITEM_ADJECTIVE ("unexplained weight loss");
* LIST_ITEM_PLACE - body parts: an item naming one is a statement of its own ("numb
  foot", "bum feels numb") unless it closes the list with LIST_JOIN ("no numbness,
  tingling or weakness in my legs");
* LIST_JOIN - "or", "nor", "and".

The second of only two items with no LIST_JOIN ("no weight loss, night sweats") is read as
its own statement: the cautious reading of an ambiguous list. Otherwise only the items
beyond the first separator are looked at (the one right after the denial
is what it denies), up to the end of the target's own item, so a trailing "though" or
"yes" counts ("fever no, numbness yes"). The check never makes a denial reach further;
when in doubt the target is left counted, which is the cautious side for a red flag.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

    from backwalk.nlp.lexicon import ListWords

ENDING_MIN_LENGTH = 5  # "-ed" marks a past tense in "slipped", not in "bed"
ITEM_TAIL = 6  # tokens after a target still read as part of its item ("..., leg's weak though")


@dataclass(frozen=True)
class ListScope:
    """The `on_modifies` callback for rules marked `within_list`."""

    words: ListWords

    def __call__(self, target: Span, modifier: Span, between: Span) -> bool:
        """True if the modifier still reaches the target (medspaCy's `on_modifies`)."""
        doc = target.doc
        if modifier.start < target.start:
            region = doc[modifier.end : self._item_end(doc, target.end)]
            cuts = [t.i for t in region if self._separates(t)]
            far_side = doc[cuts[0] + 1 : region.end] if cuts else None
            if far_side is not None and self._pair_only(far_side):
                return False
        else:
            region = doc[self._item_start(doc, target.start) : modifier.start]
            cuts = [t.i for t in region if self._separates(t)]
            far_side = doc[region.start : cuts[-1]] if cuts else None
        if far_side is None:
            return True
        return all(self._continues(item) for item in self._items(far_side))

    def _separates(self, token: Token) -> bool:
        if token.lower_ not in self.words.separators:
            return False
        # "rear-ended" is split into three tokens: only a dash with a space before separates.
        return token.lower_ == "," or token.i == 0 or bool(token.doc[token.i - 1].whitespace_)

    def _item_end(self, doc: Doc, end: int) -> int:
        limit = min(len(doc), end + ITEM_TAIL)
        while end < limit and not self._separates(doc[end]) and not doc[end].is_sent_start:
            end += 1
        return end

    def _item_start(self, doc: Doc, start: int) -> int:
        while start > 0 and not self._separates(doc[start - 1]) and not doc[start].is_sent_start:
            start -= 1
        return start

    def _items(self, span: Span) -> list[Span]:
        items, start = [], span.start
        for token in span:
            if self._separates(token):
                items.append(span.doc[start : token.i])
                start = token.i + 1
        items.append(span.doc[start : span.end])
        return [item for item in items if len(item)]

    def _ends_like_a_verb(self, token: Token) -> bool:
        word = token.lower_
        return (
            len(word) >= ENDING_MIN_LENGTH
            and word.endswith(tuple(self.words.endings))
            and word not in self.words.adjectives
        )

    def _pair_only(self, far_side: Span) -> bool:
        """Is this the second of only two items, with no "or" to join them?

        "no weight loss, night sweats" may deny both or report the sweats: the cautious
        reading reports them. A list of three or more ("denies fever, chills, weight
        loss") or one closed by "or" ("no fever, chills or sweats") stays denied.
        """
        doc = far_side.doc
        if len(self._items(far_side)) != 1 or {t.lower_ for t in far_side} & self.words.joins:
            return False
        end = far_side.end
        if end >= len(doc) or not self._separates(doc[end]):
            return True
        following = self._items(doc[end + 1 : self._item_end(doc, end + 1)])
        return not (
            following and self._continues(following[0]) and not following[0][0].is_sent_start
        )

    def _continues(self, item: Span) -> bool:
        """Is this item one more bare member of the denied list?"""
        words = {t.lower_ for t in item}
        verb_like = any(t.like_num or self._ends_like_a_verb(t) for t in item)
        if words & self.words.breakers or verb_like:
            return False
        return not (words & self.words.places) or bool(words & self.words.joins)
