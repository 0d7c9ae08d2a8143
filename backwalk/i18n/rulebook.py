"""The rulebook's words in another language: the same rules, ids and numbers, each text looked up
in the language's catalogue (its English is the message id, so one rulebook is the one source).

Which fields are words is decided here, once, for the extractor (what translators see) and for the
translation (what the app shows): every string field is a text, except the identifiers and
references below. A new identifier field must be added to IDENTIFIERS (a test fails otherwise).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from backwalk.i18n import DEFAULT, translate_in
from backwalk.rules import Rulebook, is_record

# String fields that name things rather than say them: ids, references to other entries, enums.
IDENTIFIERS = frozenset(
    {
        "id",
        "source",
        "ask",
        "group",
        "type",
        "kind",
        "urgency",
        "question",
        "all_of",
        "for_dispositions",
        "aliases",
        "illustration",
        "pregnancy",
        "version",
        "emergency_number",
        "lang",
        "change",
    }
)
DERIVED = frozenset({"question_by_id", "aliases"})  # the Rulebook's lookups, rebuilt after


def is_text_field(name: str) -> bool:
    return name not in IDENTIFIERS and not name.endswith("_source")


def texts(rb: Rulebook) -> Iterator[tuple[str, str]]:
    """Every user-facing text of the rulebook with where it is, e.g.
    ('red_flags.chest_pain.why', 'Back pain with chest pain ...'), in the file's order."""
    found: list[tuple[str, str]] = []

    def keep(where: str, text: str) -> str:
        found.append((where, text))
        return text

    _map_record(rb, "", keep)
    return iter(found)


def translated(rb: Rulebook, lang: str, translate: Callable[[str], str]) -> Rulebook:
    """The rulebook with every text put through `translate` (its lookups rebuilt to match)."""
    out: Rulebook = _map_record(rb, "", lambda _where, text: translate(text))
    return out._replace(
        lang=lang,
        question_by_id={q.id: q for q in out.questions},
    )


# A base rulebook and its translation, by (id of the base, language): a handful of entries.
_translations: dict[tuple[int, str], tuple[Rulebook, Rulebook]] = {}


def in_language(rb: Rulebook, lang: str) -> Rulebook:
    """`rb` (as written, in English) in `lang`, translated once per process and language."""
    if lang == rb.lang:
        return rb
    if rb.lang != DEFAULT:
        raise ValueError(f"only an English rulebook can be translated, not one in {rb.lang!r}")
    hit = _translations.get((id(rb), lang))
    if hit is not None and hit[0] is rb:
        return hit[1]
    out = translated(rb, lang, lambda text: translate_in(lang, text))
    _translations[(id(rb), lang)] = (rb, out)
    return out


Mapper = Callable[[str, str], str]


def _map_record(record: Any, where: str, fn: Mapper) -> Any:
    changes: dict[str, Any] = {}
    for name in record._fields:
        if isinstance(record, Rulebook) and name in DERIVED:
            continue
        value = getattr(record, name)
        new = _map_value(value, _join(where, name), name, fn)
        if new is not value:
            changes[name] = new
    return record._replace(**changes) if changes else record


def _map_value(value: Any, where: str, name: str, fn: Mapper) -> Any:
    if isinstance(value, str):
        return fn(where, value) if is_text_field(name) and value else value
    if is_record(type(value)):
        return _map_record(value, where, fn)
    if isinstance(value, dict):  # the sources, by id
        return {key: _map_value(item, f"{where}.{key}", name, fn) for key, item in value.items()}
    if isinstance(value, tuple):
        return tuple(
            _map_value(item, _item_where(where, i, item), name, fn) for i, item in enumerate(value)
        )
    return value


def _item_where(where: str, index: int, item: Any) -> str:
    item_id = getattr(item, "id", None)
    return f"{where}.{item_id}" if isinstance(item_id, str) else f"{where}[{index}]"


def _join(where: str, name: str) -> str:
    return f"{where}.{name}" if where else name
