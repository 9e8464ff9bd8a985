"""The committee report: what a committee reads each tertial, in one file (issue 10, seed 002).

Sections: a summary (goals and indicators per status), the scorecard with every explanation, the
budget follow-up (per category, and in JSON per unit as seed 002's year-end table) and the
placement follow-up for the committee's subtree. As XLSX (a sheet per section) or JSON; as the
document the committee reads (HTML and PDF, Swedish by default) in app.reports. Like
every export it takes ``as_of`` (the scorecard reads measurements as they stood then) and is
recorded in the audit trail; what it answered is kept, so the same query with the same ``as_of``
answers it again (app.exports.snapshots).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import orjson

from app.auth.deps import Ctx
from app.budget.followup import DEFAULT_TOLERANCE
from app.budget.followup import follow_up as budget_follow_up
from app.budget.schemas import BudgetFollowUp
from app.exports.formats import Column, XlsxWriter
from app.exports.kinds import (
    BUDGET_COLUMNS,
    PLACEMENT_COLUMNS,
    SCORECARD_COLUMNS,
    budget_lines,
    placement_line,
    scorecard_lines,
)
from app.exports.snapshots import reproducible
from app.fields import iso_utc
from app.orgunits.models import OrgUnit
from app.periods import Period
from app.placements.followup import follow_up
from app.placements.schemas import PlacementFollowUp
from app.scorecard.schemas import Scorecard
from app.scorecard.service import scorecard

SUMMARY_COLUMNS = [
    Column("section"),
    Column("green", "integer"),
    Column("yellow", "integer"),
    Column("red", "integer"),
    Column("no_data", "integer"),
    Column("total", "integer"),
]


async def committee_report(
    ctx: Ctx, org_unit_id: uuid.UUID, period: Period, as_of: datetime, query: dict[str, str]
) -> dict[str, Any]:
    """The report as it was first answered for this query and ``as_of`` (budget and placements
    are not versioned in system time: see app.exports.snapshots)."""
    unit = await ctx.get(OrgUnit, org_unit_id, "org unit")

    async def build() -> dict[str, Any]:
        return await _report(ctx, unit, period, as_of)

    report: dict[str, Any] = await reproducible(ctx, "committee-report", query, as_of, build)
    return report


async def _report(ctx: Ctx, unit: OrgUnit, period: Period, as_of: datetime) -> dict[str, Any]:
    org_unit_id = unit.id
    card = await scorecard(ctx, org_unit_id, period, as_of)
    placements = await follow_up(ctx, period, org_unit_id, None)
    budget = await budget_follow_up(
        ctx, org_unit_id, period.year, period.last_month, DEFAULT_TOLERANCE, group_by_unit=True
    )
    return {
        "org_unit": {"id": str(unit.id), "code": unit.code, "name": unit.name},
        "period": str(period),
        "as_of": iso_utc(as_of),  # as the times inside, written by Pydantic
        "scorecard": card.model_dump(mode="json"),
        "budget": budget.model_dump(mode="json"),
        "placements": placements.model_dump(mode="json"),
    }


def report_json(report: dict[str, Any]) -> bytes:
    return orjson.dumps(report, option=orjson.OPT_SORT_KEYS)


def report_xlsx(report: dict[str, Any], as_of: datetime) -> Iterator[bytes]:
    card = Scorecard.model_validate(report["scorecard"])
    placements = PlacementFollowUp.model_validate(report["placements"])
    book = XlsxWriter("Summary", as_of)
    book.start(SUMMARY_COLUMNS)
    book.rows(
        [
            (name, c.green, c.yellow, c.red, c.no_data, c.total)
            for name, c in (("goals", card.goals), ("indicators", card.indicators))
        ]
    )
    book.new_sheet("Scorecard", SCORECARD_COLUMNS)
    book.rows(scorecard_lines(card.tree))
    book.new_sheet("Budget", BUDGET_COLUMNS)
    book.rows(budget_lines(BudgetFollowUp.model_validate(report["budget"])))
    book.new_sheet("Placements", PLACEMENT_COLUMNS)
    book.rows(
        [placement_line(placements.period, r) for r in [*placements.categories, placements.total]]
    )
    return book.finish(0)
