"""backwalk: a self-care coach for back spasms.

`assess(answers)` screens for red flags and decides walk gently / rest first / seek care now;
`checkin(data)` decides whether a walk in progress should go on. Both speak CONTRACT.md.
backwalk is a self-care guide and does not replace a clinician.
"""

from backwalk.engine import assess, checkin
from backwalk.errors import BackwalkError, InputError, RulebookError

__version__ = "0.1.0"

__all__ = ["assess", "checkin", "BackwalkError", "InputError", "RulebookError", "__version__"]
