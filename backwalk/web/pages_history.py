"""History (charts, checks and walks, export) and deleting the whole diary."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from backwalk import coach, keepwell
from backwalk.outcomes import progress
from backwalk.remembered import under_warning
from backwalk.web.charts import minutes_chart, pain_chart
from backwalk.web.pages_common import see_other, verified_form, weeks_view
from backwalk.web.state import WebState, get_state

router = APIRouter(include_in_schema=False)
# The page shows the most recent checks and walks; the whole diary is in the downloads.
HISTORY_ROWS = 50


@router.get("/history")
async def history(request: Request) -> Response:
    state = get_state(request)
    forgotten = request.query_params.get("forgotten") == "1"
    name = f"history forgotten={forgotten}"
    html = state.peek(name) or await run_in_threadpool(
        state.reuse, name, lambda: _history_page(state, forgotten)
    )
    return HTMLResponse(html)


def _history_page(state: WebState, forgotten: bool) -> str:
    view = _history_view(state)
    return state.pages.page("/history", "history.html", forgotten=forgotten, **view)


# Six months of weekly minutes: the time WalkBack's plan builds up over.
WEEKS_SHOWN = 26


def _history_view(state: WebState) -> dict[str, Any]:
    where = state.standing()  # first: closes walks abandoned long ago, so they show as ended
    read = state.diary.recent_history(HISTORY_ROWS)
    walks, checks = read.walks, read.checks
    held = under_warning(checks, read.seek_care_at, read.visits, state.rb)
    today = state.now().astimezone().date()
    first = [read.first_scored] if read.first_scored else []
    return {
        "standing": where,
        "walks": list(reversed(walks)),
        "checks": list(reversed(checks)),
        "held": held,
        "more": read.more,
        "rows": HISTORY_ROWS,
        "pain_chart": Markup(pain_chart(walks)),  # noqa: S704 - our own SVG, text escaped there
        "minutes_chart": Markup(minutes_chart(walks, today)),  # noqa: S704
        "progress": progress([*first, *checks], read.measures, state.rb),
        "outcomes_title": state.rb.outcomes.title,
        # walks logged by hand and medicines, newest first: the terminal's history lists these too
        "logged": list(
            reversed(keepwell.logged_entries(read.walk_logs, read.medicines, checks, state.rb))
        ),
        # keeping well: minutes walked each week (guided and logged) against the plan's target
        **weeks_view(
            keepwell.weekly_minutes(
                state.diary, state.now(), WEEKS_SHOWN, state.rb, state.keep_well()
            ),
            state,
        ),
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
