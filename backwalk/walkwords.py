"""The words a walk's end says on every face: the terminal's guided walk and the phone's (walk.js
reads them from engine.js, which backwalk.web.enginejs writes). One source, so the two ends of
a walk say the same thing in every language."""

from __future__ import annotations

from backwalk.i18n import N_

TIME_UP = N_("Time is up. Well done.")
TIME_UP_SAY = N_("Time is up. Well done. Tell backwalk how your back feels now.")
WALKED_TEXT = N_("You walked {walked} of {planned}. Pain before: {before}/10.")
PAIN_AFTER = N_(" Pain after: {after}/10.")
