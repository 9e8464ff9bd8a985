"""What the committee report document is made from, kept so that it can be answered again.

The document is the committee report of app.exports.report (scorecard, budget follow-up per
category and per unit, placement follow-up), with what a committee reads beside it:

* the municipality's name and code;
* per indicator, its outcome to date and the level expected to date at the end of each month of
  the year up to the period (the sparklines): the scorecard asked once per month, as of the same
  ``as_of``, so it is the same rule, rollup and pro-rating the colour comes from;
* the deviation statistics of the committee's subtree for the year up to the period, by
  category, with the total;
* the IVO table of the last quarter that ends within the period (none for a period that ends
  before March's end), of the whole municipality as the IVO report is, without the individual
  decisions (only counts go to the committee);
* the internal control checks of the committee's plan for the year due by the period's end;
* the action-plan items of the committee's plans for the year, with their follow-up state at the
  period's end.

These extras are not all versioned in system time, so, like every such export, what they answered
is kept (app.exports.snapshots, kind ``committee-document``) and answered again for the same
query and ``as_of``. The content is language-neutral: the words are chosen when it is rendered.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from app.actionplans.service import follow_ups
from app.auth.deps import Ctx
from app.control.views import schedule
from app.exports.report import committee_report
from app.exports.snapshots import reproducible
from app.municipalities.models import Municipality
from app.periods import Period
from app.quality.decisions import ivo
from app.quality.deviations.service import DeviationFilter
from app.quality.deviations.statistics import statistics
from app.scorecard.schemas import GoalScore
from app.scorecard.service import scorecard

KIND = "committee-document"


async def document_data(
    ctx: Ctx, org_unit_id: uuid.UUID, period: Period, as_of: datetime, query: dict[str, str]
) -> dict[str, Any]:
    """The committee report and the extras, each as first answered for this query and as_of."""
    report = await committee_report(ctx, org_unit_id, period, as_of, query)

    async def build() -> dict[str, Any]:
        return await _extras(ctx, org_unit_id, period, as_of)

    extras: dict[str, Any] = await reproducible(ctx, KIND, query, as_of, build)
    return {"report": report, **extras}


async def _extras(
    ctx: Ctx, org_unit_id: uuid.UUID, period: Period, as_of: datetime
) -> dict[str, Any]:
    municipality = await ctx.session.get(Municipality, ctx.municipality_id)
    assert municipality is not None  # the request is scoped to it
    on = period.end
    quarter = last_quarter_within(period)
    deviations = await statistics(
        ctx, DeviationFilter(org_unit_id=org_unit_id), period.year_period, period, ["category"]
    )
    control = await schedule(ctx, on, committee_id=org_unit_id)
    plans = await follow_ups(ctx, on, owner_id=org_unit_id, year=period.year)
    ivo_report = await ivo.report(ctx, quarter) if quarter is not None else None
    return {
        "municipality": {"code": municipality.code, "name": municipality.name},
        "series": await monthly_series(ctx, org_unit_id, period, as_of),
        "deviations": deviations.model_dump(mode="json"),
        "ivo": (
            ivo_report.model_dump(mode="json", exclude={"decisions"})
            if ivo_report is not None
            else None
        ),
        "control": {
            "counts": control.counts.model_dump(mode="json"),
            "checks": [c.model_dump(mode="json") for c in control.checks if c.due_on <= on],
        },
        "action_plans": {
            "counts": plans.counts.model_dump(mode="json"),
            "items": [
                {
                    "plan_title": d.plan_title,
                    **d.item.model_dump(
                        mode="json",
                        include={
                            "number",
                            "area",
                            "objective",
                            "responsible_role",
                            "follow_up_month",
                            "follow_up_due_on",
                            "follow_up_state",
                            "status",
                        },
                    ),
                }
                for d in plans.items
                if d.item.follow_up_due_on <= on
            ],
        },
    }


def last_quarter_within(period: Period) -> Period | None:
    """The last calendar quarter that has ended by the period's last month (2023-T2 → Q2)."""
    quarter = period.last_month // 3
    return Period.parse(f"{period.year}-Q{quarter}") if quarter else None


async def monthly_series(
    ctx: Ctx, org_unit_id: uuid.UUID, period: Period, as_of: datetime
) -> dict[str, list[list[Any]]]:
    """Per indicator id: ``[month, actual to date, expected to date]`` for each month so far."""
    series: dict[str, list[list[Any]]] = {}
    for month in range(1, period.last_month + 1):
        label = f"{period.year}-{month:02d}"
        card = await scorecard(ctx, org_unit_id, Period.parse(label), as_of)
        for indicator in _indicators(card.tree):
            e = indicator.explanation
            points = series.setdefault(str(indicator.id), [])
            if not points or points[-1][0] != label:
                points.append([label, _number(e.actual), _number(e.expected)])
    return series


def _indicators(tree: list[GoalScore]) -> list[Any]:
    found: list[Any] = []
    for goal in tree:
        found += goal.indicators
        found += _indicators(goal.children)
    return found


def _number(value: Any) -> float | None:
    return None if value is None else float(value)
