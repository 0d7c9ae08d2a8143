"""A per-user cache of the loaded lexicon, so a fresh process skips expanding it.

Loading the lexicon (checking it, expanding the pattern shorthand, merging equivalent
patterns) takes about a third of a second; the result depends only on the lexicon files,
this package's loader code and spaCy's tokenizer. It is pickled under the user's cache
directory (platformdirs) under a key hashed from all of those, so any edit makes a new
entry. A cache that cannot be read or written is ignored: the lexicon is then built as
before. Set BACKWALK_NLP_CACHE=0 to turn it off.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path

from backwalk import settings as bw_settings

from .datafile import LEXICON_DIR
from .lexicon import Lexicon, Tokenize, load_lexicon

CODE_FILES = ("lexicon.py", "datafile.py", "fields.py", "anchors.py", "literals.py")


def cached_lexicon(tokenize: Tokenize) -> Lexicon:
    """The lexicon, from the cache when its key matches, else loaded and cached."""
    if not bw_settings.current().nlp_cache:
        return load_lexicon(tokenize)
    path = _cache_path()
    lexicon = _read(path)
    if lexicon is None:
        lexicon = load_lexicon(tokenize)
        _write(path, lexicon)
    return lexicon


def _cache_path() -> Path:
    import platformdirs
    import spacy

    digest = hashlib.sha256(spacy.__version__.encode())
    here = Path(__file__).parent
    for path in [*sorted(LEXICON_DIR.glob("*.json")), *(here / name for name in CODE_FILES)]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    # The rulebook names the fields a concept may report.
    from backwalk.rules import default_rulebook

    digest.update(repr(default_rulebook().version).encode())
    cache_dir = Path(platformdirs.user_cache_dir("backwalk"))
    return cache_dir / f"nlp-lexicon-{digest.hexdigest()[:24]}.pickle"


def _read(path: Path) -> Lexicon | None:
    try:
        with path.open("rb") as file:
            lexicon = pickle.load(file)  # our own file, keyed by the hash of its sources
    except (OSError, pickle.PickleError, EOFError, AttributeError, ImportError):
        return None
    return lexicon if isinstance(lexicon, Lexicon) else None


def _write(path: Path, lexicon: Lexicon) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        with temporary.open("wb") as file:
            pickle.dump(lexicon, file, protocol=pickle.HIGHEST_PROTOCOL)
        temporary.replace(path)  # atomic: a parallel process never reads half a file
    except OSError:
        return
