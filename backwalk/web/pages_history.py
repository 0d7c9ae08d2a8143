"""History (charts, checks and walks, export) and deleting the whole diary."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from backwalk import coach
from backwalk.outcomes import progress
from backwalk.web.charts import minutes_chart, pain_chart
from backwalk.web.pages_common import see_other, verified_form
from backwalk.web.state import WebState, get_state

router = APIRouter(include_in_schema=False)


@router.get("/history")
async def history(request: Request) -> Response:
    state = get_state(request)
    view = await run_in_threadpool(_history_view, state)
    forgotten = request.query_params.get("forgotten")
    return state.pages.render(request, "history.html", forgotten=forgotten == "1", **view)


def _history_view(state: WebState) -> dict[str, Any]:
    where = state.standing()  # first: closes walks abandoned long ago, so they show as ended
    walks = state.diary.walks()
    checks = state.diary.checks()
    today = state.now().astimezone().date()
    return {
        "standing": where,
        "walks": list(reversed(walks)),
        "checks": list(reversed(checks)),
        "pain_chart": Markup(pain_chart(walks)),  # noqa: S704 - our own SVG, text escaped there
        "minutes_chart": Markup(minutes_chart(walks, today)),  # noqa: S704
        "progress": progress(checks, state.diary.outcomes(), state.rb),
        "outcomes_title": state.rb.outcomes.title,
    }


@router.get("/history/forget")
async def forget_page(request: Request) -> Response:
    state = get_state(request)
    counts = await run_in_threadpool(state.diary.counts)
    return state.pages.render(request, "forget.html", checks=counts[0], walks=counts[1])


@router.post("/history/forget")
async def forget(request: Request) -> Response:
    state = get_state(request)
    form = await verified_form(request)
    if form.get("confirm") != "yes":
        return see_other("/history")
    await run_in_threadpool(coach.forget, state.diary)
    return see_other("/history?forgotten=1")
