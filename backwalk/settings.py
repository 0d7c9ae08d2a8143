"""Settings every face shares, read and checked in one place.

This module is the only one in backwalk that reads the process environment. `current()` is
the typed `Settings` of this process, read once; a CLI run calls `reload()` at its start (so
an in-process test's environment applies), and every other module asks this module for what
it needs: `current()` for the common settings, `environ()` for the BACKWALK_* variables that
hosted mode checks itself (backwalk.hosted.config).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import NamedTuple

from backwalk.errors import InputError
from backwalk.rules import Rulebook

PREFIX = "BACKWALK_"


class Settings(NamedTuple):
    """The process's settings, as the environment gave them (checked where they are used).
    A NamedTuple, not a dataclass: `dataclasses` would add 10 ms to every command's start."""

    db_url: str | None = None  # BACKWALK_DB
    emergency_number: str | None = None  # BACKWALK_EMERGENCY_NUMBER
    speech_command: str | None = None  # BACKWALK_SPEECH_COMMAND
    admin_db: str | None = None  # BACKWALK_ADMIN_DB
    nlp_cache: bool = True  # BACKWALK_NLP_CACHE=0 turns the lexicon cache off
    nlp_light_import: bool = True  # BACKWALK_NLP_LIGHT_IMPORT=0 imports spaCy in full
    no_color: bool = False  # NO_COLOR, any non-empty value (https://no-color.org)
    lang: str | None = None  # BACKWALK_LANG: the CLI's language (en, es); --lang overrides it
    variables: Mapping[str, str] = MappingProxyType({})  # every BACKWALK_* variable


def from_environ(environ: Mapping[str, str]) -> Settings:
    """The settings from an environment mapping."""

    def text(name: str) -> str | None:
        value = environ.get(PREFIX + name, "").strip()
        return value or None

    return Settings(
        db_url=text("DB"),
        emergency_number=text("EMERGENCY_NUMBER"),
        speech_command=text("SPEECH_COMMAND"),
        admin_db=text("ADMIN_DB"),
        nlp_cache=environ.get(PREFIX + "NLP_CACHE") != "0",
        nlp_light_import=environ.get(PREFIX + "NLP_LIGHT_IMPORT") != "0",
        no_color=bool(environ.get("NO_COLOR")),
        lang=text("LANG"),
        variables={k: v for k, v in environ.items() if k.startswith(PREFIX)},
    )


_CURRENT: Settings | None = None


def reload() -> Settings:
    """Read the environment again (a CLI run's start; tests)."""
    global _CURRENT
    _CURRENT = from_environ(os.environ)
    return _CURRENT


def current() -> Settings:
    """This process's settings, read once."""
    return _CURRENT if _CURRENT is not None else reload()


def environ() -> Mapping[str, str]:
    """The BACKWALK_* variables of this process (hosted mode checks its own)."""
    return current().variables


MODE_ENV = PREFIX + "MODE"


def hosted_requested(environ: Mapping[str, str] | None = None) -> bool:
    """True when BACKWALK_MODE says hosted (the same as `serve --hosted`)."""
    from backwalk.errors import HostedConfigError

    mode = (current().variables if environ is None else environ).get(MODE_ENV, "")
    mode = mode.strip().lower()
    if mode not in ("", "local", "hosted"):
        raise HostedConfigError(f"{MODE_ENV} must be 'local' or 'hosted', got {mode!r}")
    return mode == "hosted"


def publish_db_url(url: str) -> None:
    """Hand the diary URL to worker processes started after this (hosted serve): the one
    place backwalk writes to the environment, and this process's settings follow."""
    os.environ[PREFIX + "DB"] = url
    reload()


LANG_ENV = PREFIX + "LANG"


def language(chosen: str | None = None) -> str:
    """The language of a CLI run: `chosen` (--lang), else BACKWALK_LANG, else English. A
    language backwalk does not speak is an error that names the ones it does."""
    from backwalk import i18n

    given = chosen or current().lang
    if given is None:
        return i18n.DEFAULT
    found = i18n.supported(given)
    if found is None:
        where = "--lang" if chosen else LANG_ENV
        spoken = ", ".join(i18n.LANGUAGES)
        raise InputError(where, f"'{given}' is not a language backwalk speaks ({spoken})")
    return found


EMERGENCY_NUMBER_ENV = "BACKWALK_EMERGENCY_NUMBER"
# A number a phone can dial from a tel: link: digits, optionally a leading +.
_DIALLABLE = re.compile(r"\+?[0-9]{2,15}")


def emergency_number(
    rb: Rulebook, configured: str | None = None, environ: Mapping[str, str] | None = None
) -> str:
    """The number to call in an emergency: the argument, else the environment setting, else
    the rulebook's default. A number a phone cannot dial is an error: a broken call button on
    the emergency result is worse than none."""
    env = current().variables if environ is None else environ
    number = (configured or env.get(EMERGENCY_NUMBER_ENV) or rb.emergency_number).strip()
    if not _DIALLABLE.fullmatch(number):
        raise InputError(
            EMERGENCY_NUMBER_ENV, f"'{number}' is not a phone number (digits, optionally a +)"
        )
    return number


def headline(rb: Rulebook, assessment: Mapping[str, object], number: str) -> str:
    """The assessment's headline with the emergency number in force (the stored one names the
    default number)."""
    if assessment.get("disposition") == "seek_care_now" and assessment.get("urgency"):
        flags = assessment.get("red_flags") or ()
        return rb.seek_care_headline(str(assessment["urgency"]), flags, number)
    return str(assessment.get("headline", ""))
