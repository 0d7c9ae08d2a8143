"""The JSON API: the contract's cases through HTTP, errors as 422 naming the field, the diary
endpoints, export and delete, and the walk gate's 409."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest

from backwalk import assess, checkin
from backwalk.clock import ManualClock
from tests.conftest import structured_cases

CASES = structured_cases()


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_contract_case(client: Any, case: dict[str, Any]) -> None:
    path = "/api/checkin" if case["kind"] == "checkin" else "/api/assess"
    if case["kind"] == "assess_raw":  # sent as written: repeated keys must be caught
        headers = {"content-type": "application/json"}
        response = client.post(path, content=case["raw"], headers=headers)
    else:
        body = case["answers"] if case["kind"] == "assess" else case["input"]
        response = client.post(path, json=body)
    expect = case["expect"]
    if "error" in expect:
        assert response.status_code == 422
        error = response.json()["error"]
        if isinstance(expect["error"], str):
            assert error["field"] == expect["error"]
        if "field_mentions" in expect:
            assert expect["field_mentions"] in f"{error['field']} {error['message']}"
        return
    assert response.status_code == 200
    result = response.json()
    for key, value in expect.items():
        if key == "safety_net":
            assert any(r["rule"] == "safety_net" for r in result["reasons"]) is value
        else:
            assert result[key] == value, key
    same = assess(body) if case["kind"] == "assess" else checkin(body)
    assert result == same  # exactly what the library (and the CLI) says


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/api/assess", {"pain_score": 11}, "pain_score"),
        ("/api/assess", {"pain_score": "4"}, "pain_score"),
        ("/api/assess", {"pain_score": 4, "fevr": True}, "fevr"),
        ("/api/assess", {"sharp_pain": "yes"}, "sharp_pain"),
        ("/api/assess", [1, 2], "input"),
        ("/api/assess", {"onset_hours": -1, "pain_score": 3}, "onset_hours"),
        ("/api/assess", {"pain_score": 4, "text": 5}, "text"),
        ("/api/checkin", {"current_pain": 3}, "baseline_pain"),
        ("/api/checkin", {"baseline_pain": 3}, "current_pain"),
        ("/api/checkin", {"baseline_pain": 3, "current_pain": 2, "sharp": True}, "sharp"),
    ],
)
def test_bad_input_is_422_naming_the_field(client: Any, path: str, body: Any, field: str) -> None:
    response = client.post(path, json=body)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["field"] == field and error["message"]


@pytest.mark.parametrize(
    "raw",
    [b"", b"{", b"not json", b"\xff\xfe", b'{"pain_score": NaN}', b"[" * 50_000],
    ids=["empty", "truncated", "text", "binary", "nan", "deep"],
)
@pytest.mark.parametrize("path", ["/api/assess", "/api/checkin", "/api/walks/1/checkins"])
def test_non_json_body_is_422(client: Any, path: str, raw: bytes) -> None:
    response = client.post(path, content=raw, headers={"Content-Type": "application/json"})
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "body"


@pytest.mark.parametrize(
    "path", ["/api/walks", "/api/checks", "/api/walks/1/finish", "/api/walks/1/heartbeat"]
)
def test_fastapi_validation_errors_use_the_same_shape(client: Any, path: str) -> None:
    response = client.post(path, content=b"{oops", headers={"Content-Type": "application/json"})
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "body"
    response = client.post(path, json={"nonsense": 1})
    assert response.status_code == 422
    assert set(response.json()["error"]) == {"field", "message"}


def test_pydantic_errors_name_the_field(client: Any) -> None:
    error = client.post("/api/walks", json={"pain_before": 12}).json()["error"]
    assert error["field"] == "pain_before"
    error = client.post("/api/walks", json={}).json()["error"]
    assert error == {"field": "pain_before", "message": "is required"}
    error = client.get("/api/walks/0").json()["error"]
    assert error["field"] == "walk_id"
    error = client.get("/api/export?format=xml").json()["error"]
    assert error["field"] == "format"


def test_too_big_a_body_is_413(client: Any) -> None:
    body = json.dumps({"pain_score": 4, "text": "x" * 70_000}).encode()
    response = client.post(
        "/api/assess", content=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413


def test_unknown_api_paths_are_json_404(client: Any) -> None:
    response = client.get("/api/nothing")
    assert response.status_code == 404
    assert response.json() == {"error": {"field": None, "message": "not found"}}
    assert client.delete("/api/health").status_code == 405


def test_health_is_tiny(client: Any) -> None:
    response = client.get("/api/health")
    assert response.json() == {"status": "ok", "version": "0.1.0"}


def test_rules_exports_the_vocabulary(client: Any) -> None:
    from backwalk.rules import default_rulebook
    from backwalk.vocabulary import export_vocabulary

    assert client.get("/api/rules").json() == export_vocabulary(default_rulebook())


def test_openapi_documents_every_response(client: Any) -> None:
    spec = client.get("/openapi.json").json()
    for path, item in spec["paths"].items():
        for method, op in item.items():
            responses = op["responses"]
            assert any(code.startswith("2") for code in responses), (method, path)
            if method == "post":
                assert {"415", "422"} <= set(responses), (method, path)
            for code, response in responses.items():
                if code != "200" or "export" not in path:
                    assert "application/json" in response["content"], (method, path, code)
    assert spec["paths"]["/api/walks"]["post"]["responses"]["409"]


def test_save_a_check_then_list_it(client: Any) -> None:
    response = client.post("/api/checks", json={"answers": {"pain_score": 3}})
    assert response.status_code == 201
    saved = response.json()
    assert saved["assessment"]["disposition"] == "walk_gently"
    check_id = saved["check"]["id"]
    assert client.get(f"/api/checks/{check_id}").json()["id"] == check_id
    assert [c["id"] for c in client.get("/api/checks").json()] == [check_id]
    assert client.get("/api/checks/999").status_code == 404


def test_unsure_via_the_api(client: Any) -> None:
    body = {"answers": {"pain_score": 3}, "unsure": ["history_of_cancer"]}
    saved = client.post("/api/checks", json=body).json()
    assert saved["assessment"]["disposition"] == "seek_care_now"
    bad = client.post("/api/checks", json={"answers": {}, "unsure": ["pain_score"]})
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "pain_score"


def _walk_ready(client: Any, pain: int = 4) -> None:
    assert client.post("/api/checks", json={"answers": {"pain_score": pain}}).status_code == 201


def test_walk_start_is_refused_without_a_check(client: Any) -> None:
    response = client.post("/api/walks", json={"pain_before": 4})
    assert response.status_code == 409
    body = response.json()
    assert body["why"].startswith("No check in the last 4 hours")
    assert body["error"]["message"] == body["why"]


@pytest.mark.parametrize(
    "answers", [{"pain_score": 8}, {"pain_score": 3, "sharp_pain": True}, {"major_trauma": True}]
)
def test_walk_start_refused_when_the_latest_check_says_rest_or_seek_care(
    client: Any, answers: dict[str, Any]
) -> None:
    client.post("/api/checks", json={"answers": answers})
    response = client.post("/api/walks", json={"pain_before": 3})
    assert response.status_code == 409
    why = response.json()["why"]
    assert "do not walk" in why or "offers no walks" in why


def test_walk_start_refused_when_the_pain_now_is_too_high(client: Any) -> None:
    _walk_ready(client)
    response = client.post("/api/walks", json={"pain_before": 9})
    assert response.status_code == 409


def test_walk_start_refused_when_the_check_is_old(client: Any, clock: ManualClock) -> None:
    _walk_ready(client)
    clock.advance(5 * 3600)
    assert client.post("/api/walks", json={"pain_before": 4}).status_code == 409


def test_a_whole_walk_through_the_api(client: Any, clock: ManualClock) -> None:
    _walk_ready(client)
    plan = client.get("/api/plan").json()
    assert plan["minutes"] == 5 and plan["gate"]["allowed"] is True
    walk = client.post("/api/walks", json={"pain_before": 4})
    assert walk.status_code == 201
    walk_id = walk.json()["id"]
    assert client.post("/api/walks", json={"pain_before": 4}).json()["walk_id"] == walk_id
    assert client.get("/api/walks/active").json()["walk"]["id"] == walk_id
    clock.advance(60)
    beat = client.post(f"/api/walks/{walk_id}/heartbeat", json={"elapsed_seconds": 60})
    assert beat.status_code == 200 and beat.json()["elapsed_seconds"] == 60
    body = {"current_pain": 4, "elapsed_seconds": 120, "client_id": "c-1"}
    first = client.post(f"/api/walks/{walk_id}/checkins", json=body)
    assert first.status_code == 201
    assert first.json()["result"]["action"] == "continue" and first.json()["duplicate"] is False
    again = client.post(f"/api/walks/{walk_id}/checkins", json=body)
    assert again.status_code == 200 and again.json()["duplicate"] is True
    assert len(client.get(f"/api/walks/{walk_id}").json()["checkins"]) == 1
    done = client.post(
        f"/api/walks/{walk_id}/finish",
        json={"status": "completed", "elapsed_seconds": 300, "pain_after": 3},
    )
    assert done.status_code == 200
    assert done.json()["status"] == "completed" and done.json()["pain_after"] == 3
    twice = client.post(
        f"/api/walks/{walk_id}/finish", json={"status": "completed", "elapsed_seconds": 300}
    )
    assert twice.status_code == 409 and twice.json()["walk"]["status"] == "completed"
    late = client.post(
        f"/api/walks/{walk_id}/checkins",
        json={"current_pain": 4, "elapsed_seconds": 310, "client_id": "c-2"},
    )
    assert late.status_code == 409
    assert client.get("/api/walks/active").json() == {"walk": None}
    assert client.get("/api/plan").json()["minutes"] == 5  # one step a day: tomorrow
    clock.advance(24 * 3600)
    assert client.get("/api/plan").json()["minutes"] == 7


def test_a_stop_rule_ends_the_walk_and_retries_are_safe(client: Any) -> None:
    _walk_ready(client)
    walk_id = client.post("/api/walks", json={"pain_before": 4}).json()["id"]
    body = {"current_pain": 6, "elapsed_seconds": 90, "client_id": "rise"}
    first = client.post(f"/api/walks/{walk_id}/checkins", json=body).json()
    assert first["result"]["action"] == "stop"
    assert first["walk"]["status"] == "stopped"
    retry = client.post(f"/api/walks/{walk_id}/checkins", json=body)
    assert retry.status_code == 200 and retry.json()["duplicate"] is True
    assert len(client.get(f"/api/walks/{walk_id}").json()["checkins"]) == 1


def test_checkin_errors(client: Any) -> None:
    _walk_ready(client)
    walk_id = client.post("/api/walks", json={"pain_before": 4}).json()["id"]
    url = f"/api/walks/{walk_id}/checkins"
    cases = [
        ({"current_pain": 4}, "elapsed_seconds"),
        ({"elapsed_seconds": 3}, "current_pain"),
        ({"current_pain": 4, "elapsed_seconds": -1}, "elapsed_seconds"),
        ({"current_pain": 4, "elapsed_seconds": 1e300}, "elapsed_seconds"),
        ({"current_pain": 11, "elapsed_seconds": 1}, "current_pain"),
        ({"current_pain": 4, "elapsed_seconds": 1, "baseline_pain": 2}, "baseline_pain"),
        ({"current_pain": 4, "elapsed_seconds": 1, "client_id": ""}, "client_id"),
        ({"current_pain": 4, "elapsed_seconds": 1, "pain_score": 3}, "pain_score"),
    ]
    for body, field in cases:
        response = client.post(url, json=body)
        assert response.status_code == 422, body
        assert response.json()["error"]["field"] == field, body
    assert (
        client.post(
            "/api/walks/999/checkins", json={"current_pain": 1, "elapsed_seconds": 1}
        ).status_code
        == 404
    )


def test_export_csv_and_json(client: Any) -> None:
    _walk_ready(client)
    csv_response = client.get("/api/export?format=csv")
    assert csv_response.headers["content-type"] == "text/csv; charset=utf-8"
    assert 'attachment; filename="backwalk-diary-' in csv_response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(csv_response.text)))
    assert rows[0]["record"] == "check"
    json_response = client.get("/api/export?format=json")
    assert json_response.headers["content-type"] == "application/json"
    assert len(json_response.json()["checks"]) == 1
    assert client.get("/api/export").headers["content-type"].startswith("text/csv")


def test_forget_deletes_everything(client: Any) -> None:
    _walk_ready(client)
    response = client.delete("/api/diary")
    assert response.status_code == 200 and response.json()["deleted"] == 1
    assert client.get("/api/checks").json() == []


def test_list_limits(client: Any) -> None:
    for pain in (1, 2, 3):
        _walk_ready(client, pain)
    assert [c["pain_score"] for c in client.get("/api/checks?limit=2").json()] == [2, 3]
    assert client.get("/api/checks?limit=-1").status_code == 422
    assert client.get("/api/walks?limit=0").json() == []


@pytest.mark.parametrize(
    ("path", "raw", "key"),
    [
        (
            "/api/checks",
            '{"answers": {"pain_score": 3, "chest_pain": true, "chest_pain": false}}',
            "chest_pain",
        ),
        ("/api/assess", '{"pain_score": 3, "confirmed": {"x": 1, "x": 2}}', "x"),
    ],
)
def test_a_key_repeated_at_any_depth_is_refused(client: Any, path: str, raw: str, key: str) -> None:
    """Contract v3, section 4: a repeated key is bad input naming it, never "last one wins"."""
    headers = {"content-type": "application/json"}
    response = client.post(path, content=raw, headers=headers)
    assert response.status_code == 422
    assert response.json()["error"]["field"] == key
    assert client.get("/api/checks").json() == []


def test_the_api_schema_documents_contract_v3(client: Any) -> None:
    schema = client.get("/openapi.json").json()
    text = json.dumps(schema)
    assert '"confirmed"' in text and '"confirm"' in text and '"reading"' in text
