"""The installable web app: the manifest, the service worker, and the pages it keeps for offline.

- `/manifest.webmanifest`: name, icons (static/icons/), start URL, standalone display, colours.
- `/sw.js`: the service worker, at the site root so its scope is the whole app. Its cache is
  named after a hash of the static files, so any change to them installs a new cache and the old
  one is deleted. It keeps the app shell (CSS, JS, icons) and the check's screens; pages are
  fetched from the network first and from the cache only when the network fails.
- `/offline/check/{slug}`: the check's later screens with nothing filled in, for the cache (the
  real ones lead back to the first screen when the draft cookie is missing).
- `/offline/result`: the shell for a result decided on the phone (static/js/offline.js fills it).
- `GzipStaticFiles`: static files compressed once and kept in memory, so the first visit sends
  little (they hold no personal data, so compressing them leaks nothing).
"""

from __future__ import annotations

import gzip
import hashlib
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

from backwalk import __version__, i18n
from backwalk.i18n import gettext as _
from backwalk.web.pages_common import error_page
from backwalk.web.state import get_state
from backwalk.web.templating import STATIC_DIR

router = APIRouter(include_in_schema=False)

THEME_COLOUR = "#1b6b5f"
BACKGROUND_COLOUR = "#f7f8f6"
# What the service worker keeps on install: enough to run a check and a walk offline.
SHELL_STATIC = (
    "css/app.css",
    "js/check.js",
    "js/engine.js",
    "js/queue.js",
    "js/pwa.js",
    "js/offline.js",
    "js/walk.js",
    "js/voice.js",
    "favicon.svg",
    "icons/icon-192.png",
)
SHELL_PAGES = ("/check", "/offline/result")
COMPRESSIBLE = (".css", ".js", ".svg", ".json", ".webmanifest", ".html", ".txt")


def manifest(rb_name: str = "backwalk") -> dict[str, Any]:
    return {
        "name": _("backwalk: walk off a back spasm, safely"),
        "short_name": rb_name,
        "description": _(
            "A self-care coach for back spasms: when to get help, whether to walk, "
            "and a guided walk."
        ),
        "id": "/",
        "start_url": "/?source=pwa",
        "scope": "/",
        "display": "standalone",
        "orientation": "portrait",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "lang": i18n.active(),
        "icons": [
            {"src": "/static/icons/icon-192.png", "sizes": "192x192", "type": "image/png"},
            {"src": "/static/icons/icon-512.png", "sizes": "512x512", "type": "image/png"},
            {
                "src": "/static/icons/icon-maskable-512.png",
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
            {"src": "/static/icons/icon.svg", "sizes": "any", "type": "image/svg+xml"},
        ],
    }


@router.get("/favicon.ico", include_in_schema=False)
async def favicon() -> Response:
    """Browsers ask for /favicon.ico whatever the page says (a printed or saved report has no
    link to follow): answer with the app's icon instead of a 404 in the console."""
    return FileResponse(
        STATIC_DIR / "icons" / "icon-192.png",
        media_type="image/png",
        headers={"Cache-Control": "public, max-age=86400"},
    )


@router.get("/manifest.webmanifest")
async def web_manifest() -> Response:
    body = json.dumps(manifest(), indent=1)
    return Response(body, media_type="application/manifest+json")


def static_version(root: Path = STATIC_DIR) -> str:
    """A hash of every static file (names and contents) and the app version."""
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@lru_cache(maxsize=4)
def _service_worker(version: str) -> str:
    shell = [*SHELL_PAGES, "/manifest.webmanifest", *(f"/static/{p}" for p in SHELL_STATIC)]
    template = (STATIC_DIR / "js" / "src" / "sw.template.js").read_text(encoding="utf-8")
    return template.replace("__VERSION__", json.dumps(version)).replace(
        "__SHELL__", json.dumps(shell)
    )


@router.get("/sw.js")
async def service_worker(request: Request) -> Response:
    state = get_state(request)
    if "static_version" not in state.cache:
        state.cache["static_version"] = static_version()
    body = _service_worker(state.cache["static_version"])
    return Response(
        body,
        media_type="text/javascript",
        headers={"cache-control": "no-cache", "service-worker-allowed": "/"},
    )


@router.get("/offline/check/{slug}")
async def offline_check_screen(request: Request, slug: str) -> Response:
    """A later screen of the check with nothing filled in, kept by the service worker."""
    from backwalk.web.forms import ParsedStep
    from backwalk.web.pages_check import Draft, _render_step

    state = get_state(request)
    if not any(s.slug == slug for s in state.steps[1:]):
        return error_page(request, 404)
    response = _render_step(request, state.step(slug), Draft({}, [], []), ParsedStep())
    return _gzip_page(request, response)


@router.get("/offline/result")
async def offline_result(request: Request) -> Response:
    """The page a check decided on the phone is shown on (filled in by offline.js)."""
    state = get_state(request)
    return _gzip_page(request, state.pages.render(request, "offline_result.html"))


def _gzip_page(request: Request, response: Response) -> Response:
    """The blank shells hold nothing the person typed, so compressing them leaks nothing."""
    if response.status_code != 200 or "gzip" not in request.headers.get("accept-encoding", ""):
        return response
    response.body = gzip.compress(bytes(response.body), mtime=0)
    response.headers["content-encoding"] = "gzip"
    response.headers["content-length"] = str(len(response.body))
    response.headers["vary"] = "Accept-Encoding"
    return response


# ------------------------------------------------------------------------------------------
# Static files, compressed
# ------------------------------------------------------------------------------------------


class GzipStaticFiles(StaticFiles):
    """StaticFiles that send text files gzip-compressed to browsers that accept it."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        if not isinstance(response, FileResponse) or response.status_code != 200:
            return response
        file = Path(str(response.path))
        if file.suffix not in COMPRESSIBLE or not _accepts_gzip(scope):
            return response
        stat = file.stat()
        body = _compressed(str(file), stat.st_mtime_ns, stat.st_size)
        headers = {
            k: v
            for k, v in response.headers.items()
            if k.lower() not in ("content-length", "content-type")
        }
        headers.update({"content-encoding": "gzip", "vary": "Accept-Encoding"})
        return Response(body, headers=headers, media_type=response.media_type)


def _accepts_gzip(scope: Scope) -> bool:
    for name, value in scope.get("headers", ()):
        if name == b"accept-encoding":
            return b"gzip" in value.lower()
    return False


@lru_cache(maxsize=128)
def _compressed(path: str, mtime_ns: int, size: int) -> bytes:
    return gzip.compress(Path(path).read_bytes(), compresslevel=9, mtime=0)
