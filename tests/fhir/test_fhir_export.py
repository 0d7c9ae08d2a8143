"""The FHIR R4 export: every Bundle validates with the fhir.resources R4B models and against
the official FHIR R4 JSON schema, and reading it back finds every pain score and walk."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from fhir.resources.R4B.bundle import Bundle

from backwalk import fhir
from backwalk.diary import Diary, WalkStatus, open_diary
from backwalk.engine import assess
from tests.report import sample

REPO = Path(__file__).resolve().parents[2]
SCHEMA = REPO / "node_modules" / "@asymmetrik" / "fhir-json-schema-validator" / "fhir.schema.json"
T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def schema() -> jsonschema.Draft6Validator:
    if not SCHEMA.exists():
        pytest.fail(f"{SCHEMA} is missing: run `npm ci` (make test does)", pytrace=False)
    document = json.loads(SCHEMA.read_text("utf-8"))
    assert document["id"] == "http://hl7.org/fhir/json-schema/4.0"  # R4
    return jsonschema.Draft6Validator(document)


@pytest.fixture
def diary():
    with open_diary("sqlite://") as opened:
        yield opened


def schema_errors(validator: jsonschema.Draft6Validator, doc: dict[str, Any]) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message[:200]}" for e in validator.iter_errors(doc)]


def exported(diary: Diary, name: str | None = None) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(fhir.export_bundle(diary, T0 + timedelta(days=30), name))
    return doc


def resources(doc: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in doc["entry"] if e["resource"]["resourceType"] == kind]


def filled_with_everything(diary: Diary) -> Diary:
    """Every kind of record: a warning sign at a check and during a walk, an old answer key,
    free text, a walk in progress and a weekly measure."""
    sample.fill(diary)
    answers = {"pain_score": 4, "numbness_both_legs": True, "onset_hours": 36}
    diary.record_check(at=T0, answers=answers, assessment=assess(answers), text="it’s “bad”")
    walk = diary.start_walk(at=T0 + timedelta(days=20), planned_minutes=5, pain_before=3,
                            check_id=None)  # fmt: skip
    diary.add_checkin(walk.id, at=T0 + timedelta(days=20, minutes=2), elapsed_seconds=120,
                      current_pain=3, sharp_or_shooting=False,
                      red_flags=["saddle_numbness", "bladder_or_bowel_loss"],
                      action="stop_seek_care")  # fmt: skip
    diary.finish_walk(walk.id, at=T0 + timedelta(days=20, minutes=2),
                      status=WalkStatus.STOPPED_SEEK_CARE, elapsed_seconds=120, pain_after=3,
                      stop_reason="a warning sign")  # fmt: skip
    diary.start_walk(at=T0 + timedelta(days=21), planned_minutes=5, pain_before=2, check_id=None)
    return diary


@pytest.mark.parametrize("name", [None, "Jo Bloggs"])
def test_the_bundle_is_valid_fhir_r4(diary: Diary, schema: Any, name: str | None) -> None:
    doc = exported(filled_with_everything(diary), name)
    assert schema_errors(schema, doc) == []
    Bundle.model_validate(doc)  # and the fhir.resources models accept it as it is
    assert (doc["resourceType"], doc["type"]) == ("Bundle", "collection")
    [patient] = resources(doc, "Patient")
    assert patient.get("name") == ([{"text": name}] if name else None)
    urls = [e["fullUrl"] for e in doc["entry"]]
    assert len(set(urls)) == len(urls)
    ids = [e["resource"]["id"] for e in doc["entry"]]
    assert all(len(i) <= 64 for i in ids)


def test_an_empty_diary_is_a_valid_bundle_too(diary: Diary, schema: Any) -> None:
    doc = exported(diary)
    assert schema_errors(schema, doc) == []
    assert sorted(r["resource"]["resourceType"] for r in doc["entry"]) == [
        "Patient",
        "Questionnaire",
    ]


def test_reading_it_back_finds_every_pain_score_and_walk(diary: Diary) -> None:
    filled_with_everything(diary)
    bundle = Bundle.model_validate_json(fhir.export_bundle(diary, T0 + timedelta(days=30)))
    observations = [
        e.resource for e in bundle.entry if e.resource.get_resource_type() == "Observation"
    ]
    pains = [o for o in observations if o.code.coding[0].code == "72514-3"]
    walks = [o for o in observations if o.id.startswith("walk-")]
    assert all(o.code.coding[0].code == "55411-3" for o in walks)
    expected_pains = [c.pain_score for c in diary.checks() if c.pain_score is not None]
    for walk in diary.walks():
        expected_pains += [walk.pain_before, *(c.current_pain for c in walk.checkins)]
        expected_pains += [walk.pain_after] if walk.pain_after is not None else []
    assert sorted(o.valueInteger for o in pains) == sorted(expected_pains)
    assert len(walks) == len(diary.walks())
    minutes = sorted(float(o.valueQuantity.value) for o in walks)
    assert minutes == sorted(round(w.elapsed_seconds / 60, 1) for w in diary.walks())
    assert {(o.valueQuantity.system, o.valueQuantity.code) for o in walks} == {
        ("http://unitsofmeasure.org", "min")
    }
    assert all(o.category[0].coding[0].code == "activity" for o in walks)


def test_each_check_answers_the_questionnaire_and_each_sign_is_a_flag(diary: Diary) -> None:
    filled_with_everything(diary)
    doc = exported(diary)
    [questionnaire] = resources(doc, "Questionnaire")
    responses = resources(doc, "QuestionnaireResponse")
    checks = [r for r in responses if r["id"].startswith("check-")]
    assert len(checks) == len(diary.checks())
    assert len(responses) == len(diary.checks()) + len(diary.outcomes())
    assert {r["questionnaire"] for r in responses} == {questionnaire["url"]}
    link_ids = set(_link_ids(questionnaire["item"]))
    for response in responses:
        assert set(_link_ids(response.get("item", []))) <= link_ids
    flags = resources(doc, "Flag")
    raised = [f for c in diary.checks() for f in c.red_flags]
    raised += [f for w in diary.walks() for c in w.checkins for f in c.red_flags]
    assert sorted(f["code"]["coding"][0]["code"] for f in flags) == sorted(raised)
    during = [f for f in flags if f["code"]["coding"][0]["code"] == "saddle_numbness"]
    assert "Stop walking and get medical care now." in during[0]["code"]["text"]


def test_the_questionnaire_comes_from_the_rulebook(schema: Any) -> None:
    from backwalk.rules import default_rulebook

    rb = default_rulebook()
    questionnaire = fhir.questionnaire(rb)
    assert schema_errors(schema, questionnaire) == []
    link_ids = set(_link_ids(questionnaire["item"]))
    assert {q.id for q in rb.questions} <= link_ids
    texts = json.dumps(questionnaire)
    assert rb.outcomes.activities.rate_help in texts
    assert all(o.label in texts for o in rb.outcomes.global_change.options)


def test_the_questionnaire_in_spanish_says_its_language_and_keeps_every_code(
    schema: Any,
) -> None:
    from backwalk import i18n
    from backwalk.rules import default_rulebook

    english = fhir.questionnaire(default_rulebook())
    with i18n.using("es"):
        rb = default_rulebook()
        spanish = fhir.questionnaire(rb)
    assert schema_errors(schema, spanish) == []
    assert spanish["language"] == "es" and "language" not in english
    assert _link_ids(spanish["item"]) == _link_ids(english["item"])  # the same items, ids
    texts = json.dumps(spanish, ensure_ascii=False)
    assert rb.question_by_id["chest_pain"].prompt in texts and "¿" in texts
    assert "In your own words" not in texts and "Con sus propias palabras" in texts


def test_the_schema_check_would_catch_a_bad_resource(diary: Diary, schema: Any) -> None:
    doc = exported(diary)
    doc["entry"][0]["resource"]["gender"] = "sometimes"  # not a FHIR code
    assert schema_errors(schema, doc)


def _link_ids(items: list[dict[str, Any]]) -> list[str]:
    out = []
    for item in items:
        out.append(item["linkId"])
        out += _link_ids(item.get("item", []))
    return out
