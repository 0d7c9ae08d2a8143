"""Writes docs/translation.md: every safety text in English, in Spanish as it is now, and the
back-translation a translator who never saw the English made of the Spanish as reviewed, with
what was changed after it. Run by `make docs`.

The back-translations live in backwalk/locale/es/backtranslation.jsonl (one line per text).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from backwalk.i18n.catalogue import translations
from backwalk.i18n.rulebook import texts
from backwalk.rules import packaged_rulebook

DATA = Path(__file__).resolve().parents[1] / "backwalk" / "locale" / "es" / "backtranslation.jsonl"
HEAD = """# Spanish safety texts, checked by back-translation

Every safety text (the warning-sign questions, the emergency and same-day advice, the safety
nets: the texts `docs/plain-words.md` holds to the safety target) was translated into Spanish,
then translated back into English by a translator who had never seen the English. Where the
back-translation showed a change of meaning, an ambiguity or a word only one side of the
Atlantic uses, the Spanish was changed; the last column says what and why. The back-translation
is of the Spanish as it was reviewed, so where the Spanish was changed the two differ.

There were two reviews. The first covered all {total} texts. The second (7 December 2026) covered
the texts whose Spanish had changed since the first (after it, or to meet the reading-age target
of `docs/plain-words.md`): a second translator, who had not seen the English either, put them
back into English, and those rows show that back-translation. {changed} of {total} texts were
changed after a review; a text reworded since its last review would say "reworded since".

| id | English | Spanish (now) | back-translation (of the reviewed Spanish) | changed after review |
|---|---|---|---|---|
"""


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def main() -> int:
    rows = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines()]
    english = dict(texts(packaged_rulebook()))
    spanish = translations("es")
    lines = []
    for row in rows:
        en = english.get(row["id"], "")
        now = spanish.gettext(en) if en else row["spanish_reviewed"]
        change = row["change"] or ("" if now == row["spanish_reviewed"] else "reworded since")
        cells = [f"`{row['id']}`", _cell(en), _cell(now), _cell(row["back"]), _cell(change)]
        lines.append("| " + " | ".join(cells) + " |")
    changed = sum(1 for row in rows if row["change"])
    sys.stdout.write(HEAD.format(changed=changed, total=len(rows)) + "\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
