"""Write tests/nlp/known_misses_v3.json: the shared v3 cases the reader still decides wrongly,
each with what is wrong, so the test suite names every miss instead of hiding it.

Run `python -m tests.nlp.known_misses` after a change to the reader; the test of the v3 cases
fails on a miss that is not listed (a regression) and on a listed one that now passes (so the
list only shrinks).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from benchmarks.accuracy import decide
from tests.conftest import load_cases

OUT = Path(__file__).with_name("known_misses_v3.json")
KEYS = ("disposition", "red_flags", "urgency")


def what_is_wrong(case: dict[str, Any], result: dict[str, Any]) -> list[str]:
    """The decision's differences from the case, in words."""
    expect = case["expect"]
    if "error" in str(result.get("disposition", "")):
        return [str(result["disposition"])]
    wrong = []
    got = set(result.get("red_flags", []))
    want = set(expect["red_flags"])
    wrong += [f"reads {f} the text does not mean" for f in sorted(got - want)]
    wrong += [f"misses {f}" for f in sorted(want - got)]
    if result["disposition"] != expect["disposition"]:
        wrong.append(f"decides {result['disposition']}, not {expect['disposition']}")
    if result.get("urgency") != expect["urgency"] and not (got - want or want - got):
        wrong.append(f"urgency {result.get('urgency')}, not {expect['urgency']}")
    pain = result.get("answers", {}).get("pain_score")
    if "pain_score" in expect and pain != expect["pain_score"]:
        wrong.append(f"pain score {pain}, not {expect['pain_score']}")
    return wrong


def misses() -> dict[str, dict[str, list[str]]]:
    found = {}
    for case in load_cases("freetext_v3_dev.jsonl"):
        alone, after = decide(case)
        wrong = {"text_alone": what_is_wrong(case, alone), "after_confirming": []}
        wrong["after_confirming"] = what_is_wrong(case, after)
        if wrong["text_alone"] or wrong["after_confirming"]:
            found[case["id"]] = wrong
    return found


if __name__ == "__main__":
    OUT.write_text(json.dumps(misses(), indent=1, sort_keys=True) + "\n", "utf-8")
    print(f"wrote {OUT}")
