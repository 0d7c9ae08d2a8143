"""Golden files for the result page's <main>: one per kind of answer (emergency, same day, a
GP soon beside a walk, rest first, walk gently).

Regenerate after an intended change with BACKWALK_UPDATE_GOLDEN=1 and review the diff.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest

from tests.web.helpers import do_check, main_section, pain_form, signs_form

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("BACKWALK_UPDATE_GOLDEN") == "1"


def normalise(html: str) -> str:
    """Remove what changes from run to run: the CSRF token and the local rendering of times."""
    html = re.sub(r'name="csrf_token" value="[^"]+"', 'name="csrf_token" value="TOKEN"', html)
    return re.sub(r"(<time datetime=\"[^\"]+\">)[^<]*(</time>)", r"\1TIME\2", html)


CHECKS: dict[str, dict[str, Any]] = {
    "result_walk_gently": {"pain": pain_form(4), "more": {"onset_hours": "30"}},
    "result_seek_care": {"signs": signs_form(yes=("saddle_numbness",))},
    "result_same_day": {
        "signs": signs_form(yes=("leg_pain_below_knee",), unsure=("night_pain",)),
    },
    "result_combination": {
        "signs": signs_form(yes=("fever_or_chills", "new_numbness_or_weakness")),
    },
    "result_gp_soon": {
        "pain": pain_form(4),
        "more": {"age": "55", "first_episode": "yes", "pregnant": "no"},
    },
    "result_rest_first": {"pain": pain_form(8, yes=("sharp_pain",)), "more": {"age": "40"}},
    # contract v3: nothing done lying on the back in pregnancy; a warning calls the midwife
    "result_pregnant_walk_gently": {"pain": pain_form(4), "more": {"pregnant": "yes"}},
    "result_pregnant_rest_first": {"pain": pain_form(8), "more": {"pregnant": "yes"}},
    "result_pregnancy_warning": {"signs": signs_form(yes=("pregnancy_warning",))},
}
ON_THE_BACK = ("Knee-to-chest stretch", "Pelvic tilts", "Rest on your back with knees bent")


@pytest.mark.parametrize("name", [n for n in CHECKS if "pregnan" in n])
def test_pregnant_results_suggest_nothing_lying_on_the_back(client: Any, name: str) -> None:
    main = main_section(do_check(client, **CHECKS[name]).text)
    assert not any(title in main for title in ON_THE_BACK)
    if name == "result_pregnancy_warning":
        assert "Call your midwife or maternity unit now" in main


@pytest.mark.parametrize("name", list(CHECKS))
def test_result_main_matches_golden(client: Any, name: str) -> None:
    response = do_check(client, **CHECKS[name])
    assert response.status_code == 200
    actual = normalise(main_section(response.text)) + "\n"
    path = GOLDEN / f"{name}.html"
    if UPDATE or not path.exists():
        path.write_text(actual, encoding="utf-8")
        if not UPDATE:
            pytest.fail(f"{path.name} did not exist; written now, review it and run again")
    assert actual == path.read_text(encoding="utf-8")
