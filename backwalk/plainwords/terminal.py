"""The command line's output in typical runs, as texts to measure.

Each run is the real `backwalk` command, in-process, with piped answers, a fixed clock and a
throwaway diary. Its output becomes prose the way a reader takes it in: wrapped lines joined,
each heading, paragraph and list item a sentence, and the citations ("Source: ...") and the
echoed answers ("[y/n/?] n") left out. In another language each run is the same command with
`--lang`, and the same answers (every language's y and n are understood at any prompt).
"""

from __future__ import annotations

import io
import re
import tempfile
from collections.abc import Callable

from backwalk.plainwords.maintext import plain_text
from backwalk.plainwords.texts import Text

Run = Callable[..., str]
RUNS: dict[str, Callable[[Run], str]] = {}
NO_SIGNS = ["n", "n"]  # both warning-sign checklists: none of these
CALM = ["n", "n", "n"]  # not sharp, not constant, can stand
WRAPPED = 60  # output wraps at 80 columns: a shorter line ended where its writer ended it


def lines(*answers: object) -> str:
    return "".join(f"{a}\n" for a in answers)


def command(name: str) -> Callable[[Callable[[Run], str]], Callable[[Run], str]]:
    def register(runs: Callable[[Run], str]) -> Callable[[Run], str]:
        RUNS[name] = runs
        return runs

    return register


@command("backwalk check: walk gently")
def _walk_gently(run: Run) -> str:
    return run("check", "--no-text", stdin=lines(*NO_SIGNS, 3, *CALM, "1 day", "", "", ""))


@command("backwalk check: rest first")
def _rest_first(run: Run) -> str:
    return run("check", "--no-text", stdin=lines(*NO_SIGNS, 8, "y", *CALM[1:], "", "40", "", ""))


@command("backwalk check: emergency")
def _emergency(run: Run) -> str:
    return run("check", "--no-text", stdin=lines("y", "n", "y"))


@command("backwalk check: be seen today")
def _same_day(run: Run) -> str:
    return run("check", "--no-text", stdin=lines("n", "y", "y", *["n"] * 11))


@command("backwalk walk")
def _walk(run: Run) -> str:
    run("check", "--no-text", stdin=lines(*NO_SIGNS, 3, *CALM, "", "", "", ""))
    return run("walk", stdin=lines(3, "n", "n", 2, "n", "n", 2))


@command("backwalk plan")
def _plan(run: Run) -> str:
    run("check", "--no-text", stdin=lines(*NO_SIGNS, 3, *CALM, "", "", "", ""))
    return run("plan")


@command("backwalk history")
def _history(run: Run) -> str:
    run("check", "--no-text", stdin=lines(*NO_SIGNS, 3, *CALM, "", "", "", ""))
    run("walk", stdin=lines(3, "n", "n", 2, "n", "n", 2))
    return run("history")


@command("backwalk learn")
def _learn(run: Run) -> str:
    return run("learn")


def runner(folder: str, lang: str = "en") -> Run:
    from backwalk.cli.env import Environment
    from backwalk.cli.main import main
    from backwalk.clock import ManualClock
    from backwalk.plainwords.pages import START, fresh_diary

    clock = ManualClock(START)
    db_url = fresh_diary(folder)

    def run(*args: str, stdin: str = "") -> str:
        out = io.StringIO()
        env = Environment(
            stdin=io.StringIO(stdin),
            stdout=out,
            stderr=io.StringIO(),
            clock=clock,
            no_color=True,
            db_url=db_url,
        )
        main(["--lang", lang, *args], env)
        return out.getvalue()

    return run


def terminal_texts(lang: str = "en") -> list[Text]:
    """Every typical run's output in `lang` as prose, each run on a fresh diary."""
    found = []
    for name, runs in RUNS.items():
        with tempfile.TemporaryDirectory() as folder:
            output = runs(runner(folder, lang))
        found.append(Text(name, "terminal", "everyday", prose(output, lang), lang))
    return found


def prose(output: str, lang: str = "en") -> str:
    """Terminal output as sentences: one per heading, paragraph and list item."""
    blocks: list[str] = []
    wrapped = False  # the line before ran to the wrapping width, so this one goes on from it
    for line in _without_citations(output, lang).splitlines():
        line = re.sub(r"\[[^\]]*\].*$", "", line)  # the answer prompt and the echoed answer
        if not line.strip() or set(line.strip()) <= set("-="):
            blocks.append("")  # a blank line or an underline ends the block above
        elif wrapped and blocks and not _starts_block(line):
            blocks[-1] = f"{blocks[-1]} {line.strip()}"
        else:
            blocks.append(line.strip())
        wrapped = len(line) >= WRAPPED
    return plain_text([b for b in blocks if b])


def _starts_block(line: str) -> bool:
    return bool(re.match(r"\s*(?:-|!|>|\d+\.)\s", line))


def _citation(lang: str) -> re.Pattern[str]:
    """The start of a citation in `lang`: '(Source: ' or '(Sources: ', in its words."""
    from backwalk import i18n

    with i18n.using(lang):
        labels = {i18n.ngettext("Source", "Sources", n) for n in (1, 2)}
    return re.compile(r"\((?:" + "|".join(map(re.escape, sorted(labels))) + r"): ")


def _without_citations(text: str, lang: str = "en") -> str:
    """Drop each '(Source: ...)' or '(Sources: ...)', however its brackets nest."""
    citation = _citation(lang)
    out, depth, start = [], 0, 0
    i = 0
    while i < len(text):
        if depth == 0 and citation.match(text, i):
            out.append(text[start:i])
            depth, i = 1, i + 1
            continue
        if depth:
            depth += {"(": 1, ")": -1}.get(text[i], 0)
            if depth == 0:
                start = i + 1
        i += 1
    out.append(text[start:] if depth == 0 else "")
    return "".join(out)
