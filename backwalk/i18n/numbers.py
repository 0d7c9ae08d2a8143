"""Numbers for people, in the active language: English as backwalk always wrote them, other
languages with their own decimal sign from the Unicode CLDR data that ships with Babel
('4.5' in English, '4,5' in Spanish). Files for machines (CSV, JSON, FHIR) keep a decimal point
in every language, and so do not use this."""

from __future__ import annotations

from decimal import Decimal

from backwalk import i18n


def one_decimal(value: float) -> str:
    """At most one decimal: 4.3, and 4 rather than 4.0; in Spanish 4,3."""
    text = f"{value:.1f}"
    text = text[:-2] if text.endswith(".0") else text
    if text == "-0":
        text = "0"
    lang = i18n.active()
    if lang == i18n.DEFAULT:
        return text
    from babel.numbers import format_decimal

    # no grouping, as in English: these are minutes and scores, never thousands
    return str(format_decimal(Decimal(text), format="0.#", locale=lang))


def number(value: float) -> str:
    """A number as it is ('{:g}': 4, 2.5, 0.25), with the language's decimal sign: 2,5."""
    text = f"{value:g}"
    lang = i18n.active()
    if lang == i18n.DEFAULT or "e" in text or text in ("inf", "-inf", "nan"):
        return text
    from babel.numbers import format_decimal

    return str(format_decimal(Decimal(text), format="0.######", locale=lang))
