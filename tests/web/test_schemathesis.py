"""Property-based conformance of the JSON API to its own OpenAPI schema (schemathesis 3.x).

For every /api/ operation schemathesis generates requests from /openapi.json and checks that the
app never answers 5xx, and that each status code, content type and body is the one documented.
Each run gets a fresh SQLite diary holding one finished walk and one in progress. Reproduce a
failure with the curl line schemathesis prints, against `backwalk serve --db sqlite:///tmp/x.db`.
"""

from __future__ import annotations

from importlib.util import find_spec
from pathlib import Path
from typing import Any

import hypothesis
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from starlette.testclient import TestClient

from backwalk.clock import ManualClock

pytestmark = pytest.mark.skipif(
    find_spec("backwalk.web.app") is None, reason="backwalk.web.app does not exist yet"
)

# FastAPI writes OpenAPI 3.1, which schemathesis 3.x supports behind this switch.
schemathesis.experimental.OPEN_API_3_1.enable()

CHECKS = (
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
)


def _require_compatible_hypothesis() -> None:
    """hypothesis-jsonschema 0.23.1 (the last release, which schemathesis 3.x needs) calls
    ``many.more()``, which hypothesis removed in 6.170.10; without this guard every operation
    fails with an AttributeError deep inside data generation."""
    from hypothesis.internal.conjecture.utils import many

    if not hasattr(many, "more"):
        pytest.fail(
            f"hypothesis {hypothesis.__version__} is too new for hypothesis-jsonschema: "
            "pin hypothesis<6.170.10 in the dev extras"
        )


@pytest.fixture
def api_schema(tmp_path: Path) -> schemathesis.BaseSchema:
    from backwalk.web.app import create_app

    _require_compatible_hypothesis()

    clock = ManualClock()
    app = create_app(
        db_url=f"sqlite:///{tmp_path / 'diary.db'}", clock=clock, secret="schemathesis"
    )
    seed_diary(app, clock)
    return schemathesis.from_asgi("/openapi.json", app)


def seed_diary(app: Any, clock: ManualClock) -> None:
    """Two checks and a walk in progress with id 1 (the id generated most often), so that the
    check-in, heartbeat and finish operations reach past 404 to the walk itself."""
    with TestClient(app) as client:
        _ok(client.post("/api/checks", json={"answers": {"saddle_numbness": True}}))
        _ok(client.post("/api/seen", json={}))  # the warning stands until a clinician has seen them
        clock.advance(60)  # and a walk needs a check made after the visit
        _ok(client.post("/api/checks", json={"answers": {"pain_score": 3}}))
        _ok(client.post("/api/walks", json={"pain_before": 3}))


def _ok(response: Any) -> Any:
    if response.status_code >= 300:
        raise RuntimeError(f"seeding the diary: {response.status_code} {response.text}")
    return response.json()


schema = schemathesis.from_pytest_fixture("api_schema", endpoint="^/api/")


@schema.parametrize()
@settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.function_scoped_fixture,
        HealthCheck.data_too_large,
    ],
)
def test_api_conforms_to_openapi_schema(case: schemathesis.Case) -> None:
    case.call_and_validate(checks=CHECKS)
