"""Settings every face shares, read and checked in one place."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping

from backwalk.errors import InputError
from backwalk.rules import Rulebook

EMERGENCY_NUMBER_ENV = "BACKWALK_EMERGENCY_NUMBER"
# A number a phone can dial from a tel: link: digits, optionally a leading +.
_DIALLABLE = re.compile(r"\+?[0-9]{2,15}")


def emergency_number(
    rb: Rulebook, configured: str | None = None, environ: Mapping[str, str] | None = None
) -> str:
    """The number to call in an emergency: the argument, else the environment setting, else
    the rulebook's default. A number a phone cannot dial is an error: a broken call button on
    the emergency result is worse than none."""
    env = os.environ if environ is None else environ
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
