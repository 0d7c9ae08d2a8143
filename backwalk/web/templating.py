"""Jinja2 set-up: the page renderer, and the filters the templates use.

Pages are rendered with autoescaping on. The only raw HTML that reaches a page is the inline SVG
illustrations and charts, which are the app's own files, and text highlighting, whose every piece
of user text is escaped here.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from backwalk import __version__, i18n
from backwalk.engine import MAX_TEXT_CHARS
from backwalk.i18n import N_
from backwalk.i18n.dates import day_and_time, day_month_time, weekday_short
from backwalk.i18n.rulebook import in_language
from backwalk.rules import Rulebook
from backwalk.web.security import CSRF_FIELD, Csrf, set_csrf_cookie

WEB_DIR = Path(__file__).resolve().parent
TEMPLATES_DIR = WEB_DIR / "templates"
STATIC_DIR = WEB_DIR / "static"
IMG_DIR = STATIC_DIR / "img"

# Each entry's label is its English words, translated where the menu is drawn (base.html);
# the current page is marked by `section`, the English label in lower case.
NAV = (
    ("/", N_("Home")),
    ("/check", N_("Check")),
    ("/walk", N_("Walk")),
    ("/history", N_("History")),
    ("/learn", N_("Learn")),
)
_SVG_ID = re.compile(r'\bid="([^"]+)"')
_SVG_ROOT = re.compile(r"<svg\b")
_SVG_TITLE = re.compile(r"(<title\b[^>]*>)([^<]+)(</title>)")  # in the page's language
_XML_PROLOGUE = re.compile(r"<\?xml[^>]*>\s*|<!--.*?-->\s*", re.S)


class Pages:
    """Renders templates into responses, adding the CSRF token every form needs; in the
    request's language (backwalk.i18n), each language with its own template environment."""

    def __init__(self, rb: Rulebook, csrf: Csrf, emergency_number: str | None = None) -> None:
        self.csrf = csrf
        self.rb = rb
        self.emergency_number = emergency_number or rb.emergency_number
        self._envs: dict[str, jinja2.Environment] = {}
        self._globals: dict[str, Any] = {}  # what a face adds to every language's templates
        # The menu for this request's visitor, where it differs from the default (hosted mode:
        # a clinician's menu leads to their people, not to a diary of their own).
        self.nav_for: Callable[[Request], Any] | None = None
        # Whose updates this browser's outbox may send (queue.js): one diary in local mode;
        # hosted mode names the signed-in person, so a queued item never uploads into another
        # account on a shared phone.
        self.owner_for: Callable[[Request], str] = lambda request: LOCAL_OWNER

    @property
    def env(self) -> jinja2.Environment:
        """The templates in the active language (made the first time it is asked for)."""
        lang = i18n.active()
        env = self._envs.get(lang)
        if env is None:
            env = make_environment(in_language(self.rb, lang), self.emergency_number, lang)
            env.globals.update(self._globals)
            self._envs[lang] = env
        return env

    def set_globals(self, **values: Any) -> None:
        """Values every template sees, in every language (hosted mode's menu, for one)."""
        self._globals.update(values)
        for env in self._envs.values():
            env.globals.update(values)

    def page(self, path: str, name: str, **context: Any) -> str:
        """A page as HTML text that can be reused: where a form needs this browser's CSRF
        token (or a fresh id), the text holds a marker that `send` fills in per request."""
        return self.env.get_template(name).render(
            path=path,
            csrf_field=CSRF_FIELD,
            csrf_token=TOKEN_MARKER,
            owner_tag=OWNER_MARKER,
            **context,
        )

    def fixed_page(self, name: str, **context: Any) -> bytes:
        """A page made once, for no request in particular (the 500 page): no form, no owner."""
        html = self.page("", name, **context)
        return html.replace(OWNER_MARKER, NO_OWNER).replace(TOKEN_MARKER, "").encode()

    def send(self, request: Request, html: str) -> HTMLResponse:
        """A reusable page for this request: its own CSRF token and fresh ids filled in. A
        browser without a CSRF cookie gets one with any page, so that the forms it opens next
        (perhaps several at once, when the service worker fills its cache) share one."""
        html = html.replace(OWNER_MARKER, self.owner_for(request))
        has_markers = TOKEN_MARKER in html or FRESH_ID_MARKER in html
        if not has_markers and request.cookies.get(self.csrf.cookie_name(request)):
            return HTMLResponse(html)
        token = self.csrf.token_for(request)
        html = html.replace(TOKEN_MARKER, token.form_value)
        html = html.replace(FRESH_ID_MARKER, uuid.uuid4().hex)
        response = HTMLResponse(html)
        set_csrf_cookie(response, token)
        return response

    def render(
        self, request: Request, name: str, *, status_code: int = 200, **context: Any
    ) -> HTMLResponse:
        token = self.csrf.token_for(request)
        menu = self.nav_for(request) if self.nav_for is not None else None
        if menu is not None:
            context.setdefault("nav", menu)
        html = self.env.get_template(name).render(
            path=request.url.path,
            csrf_field=CSRF_FIELD,
            csrf_token=token.form_value,
            owner_tag=self.owner_for(request),
            **context,
        )
        response = HTMLResponse(html, status_code=status_code)
        set_csrf_cookie(response, token)
        return response


# Markers no text of ours can contain (they are not even valid UTF-8 text for a form to echo).
TOKEN_MARKER = "\x00csrf-token\x00"
FRESH_ID_MARKER = "\x00fresh-id\x00"
OWNER_MARKER = "\x00owner\x00"
LOCAL_OWNER = "local"
NO_OWNER = "none"  # the 500 page is nobody's (queue.js, which reads the owner, is not on it)


def make_environment(
    rb: Rulebook, emergency_number: str, lang: str = i18n.DEFAULT
) -> jinja2.Environment:
    """The templates with `rb`'s words, and their own words, in `lang`."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
        auto_reload=False,  # templates ship with the package; no stat() per render
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_translations(i18n.translations(lang), newstyle=True)  # type: ignore[attr-defined]
    env.globals.update(
        lang=lang,
        languages=i18n.NAMES,
        rb=rb,
        emergency_number=emergency_number,
        nav=NAV,
        version=__version__,
        disposition_names={d.id: d.short for d in rb.dispositions},
        status_names={w.id: w.label for w in rb.walk_statuses},
        text_max_chars=MAX_TEXT_CHARS,
        diary_place=N_("in your diary on this computer"),  # hosted mode says where its diary is
    )
    env.filters.update(
        illustration=illustration,
        highlight=highlight,
        local_time=local_time,
        iso=iso_time,
        minutes=minutes_text,
        short_time=short_time,
        weekday=weekday_short,
        source=source_title(rb),
    )
    return env


def source_title(rb: Rulebook) -> Any:
    def title(source_id: str) -> str:
        return rb.sources[source_id].title if source_id in rb.sources else source_id

    return title


@cache
def _svg_text(name: str) -> str | None:
    if not re.fullmatch(r"[a-z0-9_]+", name):
        return None
    path = IMG_DIR / f"{name}.svg"
    try:
        text = path.read_text("utf-8")
    except OSError:
        return None
    return _XML_PROLOGUE.sub("", text).strip()


def illustration(name: str | None, key: str = "") -> Markup:
    """The named illustration as inline SVG, its ids prefixed with `key` to stay unique.

    Missing drawings render nothing rather than break the page.
    """
    svg = _svg_text(name) if name else None
    if svg is None:
        return Markup("")
    if key:
        for old in set(_SVG_ID.findall(svg)):
            new = f"{key}-{old}"
            svg = re.sub(rf'(?<=["\s#]){re.escape(old)}(?=["\s)])', new, svg)
    svg = _SVG_ROOT.sub('<svg class="illustration" focusable="false"', svg, count=1)
    svg = _SVG_TITLE.sub(lambda m: m[1] + str(escape(i18n.gettext(m[2].strip()))) + m[3], svg)
    return Markup(svg)  # noqa: S704 - our own static file, not user input


def highlight(text: str | None, findings: Iterable[Mapping[str, Any]] | None) -> Markup:
    """`text` HTML-escaped, with each finding's start/end span wrapped in <mark>."""
    if not text:
        return Markup("")
    spans = sorted(
        (f["start"], f["end"])
        for f in findings or ()
        if isinstance(f.get("start"), int)
        and isinstance(f.get("end"), int)
        and 0 <= f["start"] < f["end"] <= len(text)
    )
    parts: list[str] = []
    pos = 0
    for start, end in spans:
        if start < pos:  # overlapping spans: the first one wins
            continue
        parts.append(escape(text[pos:start]))
        parts.append(Markup("<mark>") + escape(text[start:end]) + Markup("</mark>"))
        pos = end
    parts.append(escape(text[pos:]))
    return Markup("").join(parts)


def local_time(value: datetime | None) -> str:
    """A short, friendly time in the machine's time zone (the app runs on the person's own)."""
    if value is None:
        return ""
    return day_and_time(value)


def short_time(value: datetime | None) -> str:
    """A compact time for tables: '5 Jan 09:00' ('5 ene 09:00' in Spanish)."""
    if value is None:
        return ""
    return day_month_time(value)


def iso_time(value: datetime | None) -> str:
    return value.isoformat(timespec="seconds") if value else ""


def minutes_text(seconds: float | None) -> str:
    """Elapsed seconds as 'm:ss'."""
    total = max(0, int(seconds or 0))
    return f"{total // 60}:{total % 60:02d}"
