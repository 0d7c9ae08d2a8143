"""Strict checking of answers and check-in input (CONTRACT sections 1, 2 and 4).

Every problem becomes an InputError naming the field. Unknown keys are errors, never ignored: a
misspelt red-flag key must not quietly turn into "no red flag".
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

from backwalk.errors import InputError
from backwalk.i18n import N_
from backwalk.i18n import gettext as _
from backwalk.rules import Question, default_rulebook, did_you_mean

# The pain scale is the rulebook's pain_score question; every face and the diary read it here.
_PAIN = default_rulebook().question_by_id["pain_score"]
PAIN_MIN, PAIN_MAX = int(_PAIN.min or 0), int(_PAIN.max if _PAIN.max is not None else 10)


def parse_json(raw: str | bytes, field: str, empty: str) -> Any:
    """Decoded JSON, or InputError(field, ...) saying in plain words why it is not JSON.

    Shared by the CLI (stdin lines) and the web API (request bodies). NaN and Infinity are
    refused: they are not JSON, and no answer should be "not a number".
    """
    if not raw.strip():
        raise InputError(field, empty)
    if isinstance(raw, str) and not is_utf8(raw):
        raise InputError(field, _(NOT_UTF8))
    try:
        return json.loads(raw, parse_constant=_reject_constant, object_pairs_hook=_no_repeats)
    except UnicodeDecodeError:
        raise InputError(field, _(NOT_UTF8)) from None
    except json.JSONDecodeError as err:
        message = _("not valid JSON ({why} at line {line} column {column})")
        raise InputError(
            field, message.format(why=err.msg, line=err.lineno, column=err.colno)
        ) from None
    except RecursionError:
        raise InputError(field, _("not valid JSON (nested too deeply)")) from None
    except InputError:
        raise
    except ValueError:  # an integer of more than 4,300 digits: Python will not read it
        raise InputError(field, _("not valid JSON here (a number is far too long)")) from None


NOT_UTF8 = N_("not valid JSON (not UTF-8 text)")


def is_utf8(text: str) -> bool:
    """False when the text holds lone surrogates: bytes that were not valid UTF-8."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _no_repeats(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object whose keys are all different: a repeated key is an error, never a silent
    "the last one wins" (a red flag answered twice must not be dropped)."""
    obj: dict[str, Any] = {}
    for key, value in pairs:
        if key in obj:
            raise InputError(key, _("appears more than once in the same object; give it once"))
        obj[key] = value
    return obj


def _reject_constant(name: str) -> Any:
    raise json.JSONDecodeError(f"{name} is not allowed in JSON", name, 0)


def require_object(raw: Any) -> Mapping[str, Any]:
    if not isinstance(raw, Mapping):
        raise InputError("input", _("expected a JSON object, got {kind}").format(kind=_kind(raw)))
    return raw


def check_known_keys(raw: Mapping[str, Any], known: Mapping[str, Any]) -> None:
    for key in raw:
        if key not in known:
            if not isinstance(key, str):
                raise InputError(str(key), _("field names must be strings"))
            raise InputError(key, _("unknown field") + did_you_mean(key, known))


def check_bool(name: str, value: Any) -> bool:
    if value is True or value is False:
        return value
    raise InputError(name, _("must be true or false, got {value}").format(value=_show(value)))


def check_int(name: str, value: Any, lo: float | None, hi: float | None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # JSON writers may send 4.0 for 4; same number, accept it
        else:
            raise InputError(name, _must_be(_("a whole number"), lo, hi, value))
    _check_range(name, value, lo, hi, whole=True)
    return value


def check_number(name: str, value: Any, lo: float | None, hi: float | None) -> float | int:
    if isinstance(value, bool) or not isinstance(value, int | float) or not _finite(value):
        raise InputError(name, _must_be(_("a number"), lo, hi, value))
    _check_range(name, value, lo, hi, whole=False)
    return value


def check_text(name: str, value: Any) -> str:
    if not isinstance(value, str):
        raise InputError(name, _("must be a string, got {value}").format(value=_show(value)))
    if not is_utf8(value):
        raise InputError(name, _("is not valid text (it holds bytes that are not UTF-8)"))
    return value


def check_question(question: Question, value: Any) -> Any:
    """Check one answer against its question's type and range."""
    if question.type == "bool":
        return check_bool(question.id, value)
    if question.type == "int":
        return check_int(question.id, value, question.min, question.max)
    return check_number(question.id, value, question.min, question.max)


def _finite(value: float) -> bool:
    try:
        return math.isfinite(value)
    except OverflowError:  # an integer too big to be a float is not an amount of anything
        return False


def _check_range(name: str, value: float, lo: float | None, hi: float | None, whole: bool) -> None:
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        kind = _("a whole number") if whole else _("a number")
        raise InputError(name, _must_be(kind, lo, hi, value))


def _must_be(kind: str, lo: float | None, hi: float | None, value: Any) -> str:
    """'must be a whole number from 0 to 10, got 11', each part in the active language."""
    if lo is not None and hi is not None:
        message = _("must be {kind} from {lo} to {hi}, got {value}")
    elif lo is not None:
        message = _("must be {kind} of at least {lo}, got {value}")
    else:
        message = _("must be {kind}, got {value}")
    low = _num(lo) if lo is not None else ""
    high = _num(hi) if hi is not None else ""
    return message.format(kind=kind, lo=low, hi=high, value=_show(value))


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def _kind(value: Any) -> str:
    names = {list: _("a list"), str: _("a string"), bool: "true/false", type(None): "null"}
    return names.get(type(value), _("a number") if isinstance(value, int | float) else _("a value"))


def _show(value: Any) -> str:
    if isinstance(value, str):
        shown = value if len(value) <= 30 else value[:27] + "..."
        return f'"{shown}"'
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        shown = repr(value) if not isinstance(value, int) or value.bit_length() < 64 else ""
        return shown or _("a number far too large")
    return _kind(value)
