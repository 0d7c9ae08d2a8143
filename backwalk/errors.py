"""Errors a user can cause, and how every face of backwalk reports them."""

from __future__ import annotations

from backwalk.i18n import N_, gettext

# Each kind of missing record in a whole sentence, so each language can word it its own way.
_NOT_FOUND = {
    "check": N_("there is no check {id} in the diary"),
    "walk": N_("there is no walk {id} in the diary"),
    "person": N_("there is no person {id} in the diary"),
    "share": N_("there is no share {id} in the diary"),
    "account": N_("there is no account {id}"),
}


class BackwalkError(Exception):
    """Base class for errors that are the user's to fix; faces print them without a traceback."""


MAX_SHOWN_NAME = 80  # a field name is quoted back, but a megabyte of key is not


def shown(text: str) -> str:
    """Text safe to put in a one-line message: control characters, line breaks and lone
    surrogates (from invalid UTF-8) shown escaped, and a very long name cut short."""
    if text == "":
        return '""'
    escaped = printable(text)
    if len(escaped) > MAX_SHOWN_NAME:
        return escaped[: MAX_SHOWN_NAME - 3] + "..."
    return escaped


def printable(text: str) -> str:
    """The text on one line: control characters, line breaks and lone surrogates escaped."""
    return "".join(repr(c)[1:-1] if _breaks_a_line(c) else c for c in text)


def _breaks_a_line(c: str) -> bool:
    """Control characters, line and paragraph separators, and lone surrogates."""
    code = ord(c)
    return code < 0x20 or 0x7F <= code < 0xA0 or code in (0x2028, 0x2029) or 0xD800 <= code < 0xE000


class InputError(BackwalkError, ValueError):
    """Bad answers or check-in input: names the field, says what was wrong (CONTRACT section 4).

    Both are kept printable and on one line, whatever the input held, so that the error itself
    can always be written to a terminal, a log or a JSON body.
    """

    def __init__(self, field: str, message: str) -> None:
        field, message = shown(field), shown(message)
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message

    def to_dict(self) -> dict[str, str]:
        """The JSON shape used by `--jsonl` error lines and HTTP 422 bodies."""
        return {"field": self.field, "message": self.message}


class NotDue(InputError):
    """An answer to a question that is not being asked now (the monthly recurrence question
    before it is due, or a second answer to it): nothing is saved."""


class RulebookError(BackwalkError):
    """The rulebook data is malformed; raised at start-up, never mid-session."""


class DiaryError(BackwalkError):
    """Something about the diary; ``str(err)`` is a complete, user-facing message.

    Faces never catch this base class to decide what happened: each subclass below means one
    thing (an outage, a missing record, a walk already over), and each face maps each subclass
    once, in one table, to an exit code or an HTTP status. A bare DiaryError is a value the
    diary refused (a bad argument from the caller).
    """


class DiaryUnavailable(DiaryError):
    """The diary cannot be reached or used right now (a database outage, a locked file)."""


class NotFound(DiaryError):
    """There is no such check or walk (in this diary)."""

    def __init__(self, kind: str, record_id: object) -> None:
        message = _NOT_FOUND.get(kind)
        if message is None:
            super().__init__(f"there is no {kind} {record_id} in the diary")
        else:
            super().__init__(gettext(message).format(id=record_id))
        self.kind = kind
        self.record_id = record_id


class ReadOnlyDiary(DiaryError):
    """This diary may be read here but not changed (a clinician's view of a shared diary)."""

    def __init__(self) -> None:
        super().__init__(
            gettext("this diary is shared with you to read; it cannot be changed here")
        )


class WalkAlreadyEnded(DiaryError):
    """The walk is over, so it takes no more check-ins, heartbeats or endings."""

    def __init__(self, walk_id: int, status: str, ended_at: str) -> None:
        message = gettext("walk {id} already ended ({status}) at {when}")
        super().__init__(message.format(id=walk_id, status=status, when=ended_at))
        self.walk_id = walk_id
        self.status = status


class WalkInProgress(DiaryError):
    """Another walk is still in progress: one walk at a time (the database enforces it)."""

    def __init__(self, walk_id: int | None) -> None:
        super().__init__(
            gettext("a walk is already in progress: finish it before starting another")
        )
        self.walk_id = walk_id


class WalkRefused(BackwalkError):
    """The walk gate said no; `reason` is 'check_needed', 'seek_care' or 'rest_first'."""

    def __init__(self, reason: str, why: str) -> None:
        super().__init__(why)
        self.reason = reason
        self.why = why


class TextUnreadable(BackwalkError):
    """Free text was given but cannot be read on this install; nothing was saved."""


class NotSignedIn(BackwalkError):
    """This needs an account, and the request is not signed in (or its sign-in has ended)."""

    def __init__(self, what: str = N_("this")) -> None:
        super().__init__(gettext("sign in to use {what}").format(what=gettext(what)))


class BadCredentials(BackwalkError):
    """The username or the password is wrong; which one is never said (no user enumeration)."""

    def __init__(self) -> None:
        super().__init__(gettext("that username and password do not match an account"))


class UsernameTaken(BackwalkError):
    """Somebody already has this username."""

    def __init__(self) -> None:
        super().__init__(gettext("that username is taken; please pick another"))


class TooManyAttempts(BackwalkError):
    """A rate limit was reached; ``retry_after`` is in whole seconds. ``what`` names what there
    were too many of, in words ("attempts", "changes to your diary today")."""

    def __init__(self, retry_after: int, what: str = N_("attempts")) -> None:
        message = gettext("too many {what}; please wait {wait} and try again")
        super().__init__(message.format(what=gettext(what), wait=_wait(retry_after)))
        self.retry_after = retry_after


def _wait(seconds: int) -> str:
    minutes = max(1, -(-seconds // 60))
    if minutes <= 90:
        return gettext("{n} minute(s)").format(n=minutes)
    return gettext("about {n} hour(s)").format(n=-(-minutes // 60))


class NotAllowed(BackwalkError):
    """Signed in, but this account may not do this (a page for clinicians, say)."""


class HostedConfigError(BackwalkError):
    """Hosted mode cannot start with this configuration; the message says what to change."""
