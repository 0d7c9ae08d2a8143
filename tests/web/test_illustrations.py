"""Checks for the inline SVG illustrations in backwalk/web/static/img.

The drawings are inlined into pages served with a strict CSP
(``style-src 'self'``), follow the page's text colour via ``currentColor`` and
must stay accessible (``role="img"`` plus a ``<title>`` named by
``aria-labelledby``).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

IMG_DIR = Path(__file__).resolve().parents[2] / "backwalk" / "web" / "static" / "img"

ILLUSTRATIONS = [
    "knee_to_chest.svg",
    "pelvic_tilt.svg",
    "rest_knees_bent.svg",
    "fetal_position.svg",
    "walking_posture.svg",
]

SVG_NS = "http://www.w3.org/2000/svg"
MAX_BYTES = 3 * 1024

# Paint values allowed anywhere in a drawing: the page's text colour, nothing,
# or a single accent given as a CSS custom property with a hex fallback.
PLAIN_PAINTS = {"currentColor", "none"}
ACCENT_RE = re.compile(r"^var\(--[a-z][a-z0-9-]*,\s*#[0-9a-fA-F]{3,6}\)$")
FORBIDDEN_TAGS = {"script", "style", "text", "tspan", "textPath", "foreignObject", "image"}


def _local(name: str) -> str:
    """Strip an ``{namespace}`` prefix from an element or attribute name."""
    return name.rsplit("}", 1)[-1]


def _load(name: str) -> tuple[str, ET.Element]:
    path = IMG_DIR / name
    text = path.read_text(encoding="utf-8")
    return text, ET.fromstring(text)


@pytest.fixture(params=ILLUSTRATIONS)
def svg(request: pytest.FixtureRequest) -> tuple[str, str, ET.Element]:
    name = request.param
    text, root = _load(name)
    return name, text, root


def test_file_is_small(svg: tuple[str, str, ET.Element]) -> None:
    name, _, _ = svg
    size = (IMG_DIR / name).stat().st_size
    assert size < MAX_BYTES, f"{name} is {size} bytes"


def test_root_is_inlineable_svg(svg: tuple[str, str, ET.Element]) -> None:
    name, text, root = svg
    assert root.tag == f"{{{SVG_NS}}}svg"
    # Inlined straight into HTML: no XML declaration or doctype in front.
    assert text.lstrip().startswith("<svg"), name


def test_viewbox_without_fixed_size(svg: tuple[str, str, ET.Element]) -> None:
    _, _, root = svg
    view_box = root.get("viewBox")
    assert view_box is not None
    numbers = [float(n) for n in view_box.replace(",", " ").split()]
    assert len(numbers) == 4
    assert numbers[2] > 0 and numbers[3] > 0
    assert "width" not in root.attrib
    assert "height" not in root.attrib


def test_accessible_name(svg: tuple[str, str, ET.Element]) -> None:
    name, _, root = svg
    assert root.get("role") == "img"
    labelledby = root.get("aria-labelledby")
    assert labelledby, name
    titles = [el for el in root.iter() if _local(el.tag) == "title"]
    assert len(titles) == 1, name
    title = titles[0]
    assert title.get("id") == labelledby
    assert (title.text or "").strip(), f"{name} has an empty <title>"
    # The title should be the first child so assistive tech finds it.
    assert _local(root[0].tag) == "title"


def test_no_scripts_styles_or_text(svg: tuple[str, str, ET.Element]) -> None:
    name, _, root = svg
    tags = {_local(el.tag) for el in root.iter()}
    assert not tags & FORBIDDEN_TAGS, f"{name} uses {sorted(tags & FORBIDDEN_TAGS)}"


def test_no_inline_style_or_handlers(svg: tuple[str, str, ET.Element]) -> None:
    name, text, root = svg
    assert "style=" not in text, name
    for el in root.iter():
        for attr in el.attrib:
            local = _local(attr)
            assert local != "style", f"{name}: style attribute on <{_local(el.tag)}>"
            assert not local.lower().startswith("on"), f"{name}: event handler {local}"


def test_no_external_references(svg: tuple[str, str, ET.Element]) -> None:
    name, text, root = svg
    for el in root.iter():
        for attr, value in el.attrib.items():
            if _local(attr) == "href":
                assert value.startswith("#"), f"{name}: external href {value!r}"
            assert "url(" not in value or "url(#" in value, f"{name}: {attr}={value!r}"
    assert not re.search(r"href\s*=\s*[\"']\s*https?:", text, re.IGNORECASE), name


def test_ids_are_prefixed_and_unique(svg: tuple[str, str, ET.Element]) -> None:
    name, _, root = svg
    ids = [el.get("id") for el in root.iter() if el.get("id")]
    assert len(ids) == len(set(ids)), name
    for element_id in ids:
        assert element_id.startswith("svg-"), f"{name}: id {element_id!r}"


def test_ids_unique_across_files() -> None:
    seen: dict[str, str] = {}
    for name in ILLUSTRATIONS:
        _, root = _load(name)
        for el in root.iter():
            element_id = el.get("id")
            if element_id:
                assert element_id not in seen, f"{element_id!r} in {name} and {seen[element_id]}"
                seen[element_id] = name


def test_colours_follow_text_colour(svg: tuple[str, str, ET.Element]) -> None:
    name, _, root = svg
    assert root.get("stroke") == "currentColor", name
    accents: set[str] = set()
    for el in root.iter():
        for attr in ("stroke", "fill", "color"):
            value = el.get(attr)
            if value is None or value in PLAIN_PAINTS:
                continue
            assert ACCENT_RE.match(value), f"{name}: {attr}={value!r}"
            accents.add(value)
    assert len(accents) <= 1, f"{name} uses several accents: {sorted(accents)}"


def test_line_style(svg: tuple[str, str, ET.Element]) -> None:
    name, _, root = svg
    assert root.get("stroke-linecap") == "round", name
    assert root.get("stroke-linejoin") == "round", name
    widths = [float(el.get("stroke-width")) for el in root.iter() if el.get("stroke-width")]
    assert widths, name
    for width in widths:
        assert 3 <= width <= 4, f"{name}: stroke-width {width}"
