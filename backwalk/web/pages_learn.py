"""Learn (the same content as `backwalk learn`, from the rulebook) and the API reference.

The API reference at /docs is rendered here from the OpenAPI document instead of FastAPI's
Swagger UI, which loads from a CDN and runs inline scripts that the CSP forbids.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from backwalk.web.state import get_state
from backwalk.web.views import flag_views

router = APIRouter(include_in_schema=False)

METHODS = ("get", "post", "put", "patch", "delete")


@router.get("/learn")
async def learn(request: Request) -> Response:
    state = get_state(request)
    rb = state.rb
    return state.pages.render(
        request,
        "learn.html",
        flags=flag_views(rb, [f.id for f in rb.red_flags]),
    )


@router.get("/docs")
async def api_docs(request: Request) -> Response:
    state = get_state(request)
    spec = request.app.openapi()
    return state.pages.render(request, "api_docs.html", spec=spec, operations=operations(spec))


def operations(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """Each documented operation with its body and response schemas, pretty-printed."""
    out = []
    for path, item in spec.get("paths", {}).items():
        for method in METHODS:
            op = item.get(method)
            if op is None:
                continue
            body = op.get("requestBody", {}).get("content", {}).get("application/json", {})
            out.append(
                {
                    "id": f"{method}-{path}".replace("/", "-").replace("{", "").replace("}", ""),
                    "method": method.upper(),
                    "path": path,
                    "summary": op.get("summary", ""),
                    "description": op.get("description", ""),
                    "parameters": op.get("parameters", []),
                    "body": _pretty(body.get("schema")) if body else None,
                    "responses": [
                        {
                            "status": status,
                            "description": r.get("description", ""),
                            "types": ", ".join(r.get("content", {}).keys()),
                        }
                        for status, r in op.get("responses", {}).items()
                    ],
                }
            )
    return out


def _pretty(schema: Any) -> str | None:
    return json.dumps(schema, indent=2) if schema is not None else None
