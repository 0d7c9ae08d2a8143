"""Imports spaCy and medspaCy without the parts of them the pipeline never uses.

A fresh process spends most of its time to the first text importing libraries. Two
imports buy nothing here:

* `import spacy` runs `from .cli.info import info`, and `spacy.cli` imports every
  command-line command (typer, requests, the model downloader): about 0.12 s;
* `import medspacy` runs `medspacy.util`, which imports QuickUMLS (and with it NLTK)
  only to register a UMLS component we never add: about 0.19 s;
* `spacy.util` imports langcodes (about 0.04 s of language tables) for looking up
  languages by name, which `spacy.blank("en")` never needs; `medspacy.sentence_splitting`
  imports PyRuSH (with loguru, about 0.03 s) for a sentence splitter we never add (the
  pipeline uses spaCy's own sentencizer).

langcodes and PyRuSH are stood in for by lazy placeholders: the first use of any of their
names imports the real package and hands that name over, so a late caller still gets the
real thing.

While those two packages load, an empty placeholder stands in for `spacy.cli` /
`quickumls` in `sys.modules`; it is taken out again straight after, so any later import
of them gets the real package (and `spacy.info()` imports the real command on first
call). Nothing is replaced when a package is already loaded (then there is nothing left
to save). Set BACKWALK_NLP_LIGHT_IMPORT=0 to import both in full.
"""

from __future__ import annotations

import sys
import threading
import types
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from backwalk import settings as bw_settings

_LOCK = threading.Lock()


def import_spacy_and_medspacy() -> None:
    """Import spaCy, medspaCy's target matcher and ConText (registering their factories)."""
    with _LOCK:
        light = bw_settings.current().nlp_light_import
        if light and "spacy" not in sys.modules:
            with _placeholders(_spacy_cli() | {"langcodes": _LazyModule("langcodes")}):
                import spacy  # noqa: F401
        if light and "medspacy" not in sys.modules:
            with _placeholders(_quickumls() | _sentence_splitters()):
                import medspacy  # noqa: F401
    import medspacy.context  # noqa: F401
    import medspacy.target_matcher  # noqa: F401


@contextmanager
def _placeholders(modules: dict[str, types.ModuleType]) -> Iterator[None]:
    """Put placeholder modules in sys.modules for the duration, unless names are taken."""
    added = {name: module for name, module in modules.items() if name not in sys.modules}
    sys.modules.update(added)
    try:
        yield
    finally:
        for name, module in added.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]


def _spacy_cli() -> dict[str, types.ModuleType]:
    cli = types.ModuleType("spacy.cli")
    info = types.ModuleType("spacy.cli.info")
    info.info = _real_spacy_info  # type: ignore[attr-defined]
    cli.info = info  # type: ignore[attr-defined]
    return {"spacy.cli": cli, "spacy.cli.info": info}


def _real_spacy_info(*args: Any, **kwargs: Any) -> Any:
    """`spacy.info`, importing the real command when someone first calls it."""
    from spacy.cli.info import info

    return info(*args, **kwargs)


def _quickumls() -> dict[str, types.ModuleType]:
    quickumls = types.ModuleType("quickumls")
    quickumls.spacy_component = types.ModuleType(  # type: ignore[attr-defined]
        "quickumls.spacy_component"
    )
    return {"quickumls": quickumls}


class _LazyModule(types.ModuleType):
    """A stand-in that imports the real module on first use of any name in it."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):  # import machinery probing (__path__, __spec__...)
            raise AttributeError(name)
        import importlib

        if sys.modules.get(self.__name__) is self:
            del sys.modules[self.__name__]
        return getattr(importlib.import_module(self.__name__), name)


class _LazyClass:
    """A stand-in for a class imported by name: builds the real one when called."""

    def __init__(self, module: str, name: str) -> None:
        self._module, self._name = module, name

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        import importlib

        return getattr(importlib.import_module(self._module), self._name)(*args, **kwargs)


def _sentence_splitters() -> dict[str, types.ModuleType]:
    # `from PyRuSH import PyRuSHSentencizer` reads the name while medspaCy loads, so the
    # name must be there without importing PyRuSH: a class stand-in that defers to it.
    pyrush = _LazyModule("PyRuSH")
    pyrush.PyRuSHSentencizer = _LazyClass("PyRuSH", "PyRuSHSentencizer")  # type: ignore[attr-defined]
    return {"PyRuSH": pyrush}
