"""The committee report: what a committee reads each tertial, in one file (issue 10, seed 002).

Sections: a summary (goals and indicators per status), the scorecard with every explanation, the
budget follow-up (per category, and in JSON per unit as seed 002's year-end table) and the
placement follow-up for the committee's subtree. As XLSX (a sheet per section) or JSON. Like
every export it takes ``as_of`` (the scorecard reads measurements as they stood then) and is
recorded in the audit trail.
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
    ctx: Ctx, org_unit_id: uuid.UUID, period: Period, as_of: datetime
) -> dict[str, Any]:
    unit = await ctx.get(OrgUnit, org_unit_id, "org unit")
    card = await scorecard(ctx, org_unit_id, period, as_of)
    placements = await follow_up(ctx, period, org_unit_id, None)
    budget = await budget_follow_up(
        ctx, org_unit_id, period.year, period.last_month, DEFAULT_TOLERANCE, group_by_unit=True
    )
    return {
        "org_unit": {"id": str(unit.id), "code": unit.code, "name": unit.name},
        "period": str(period),
        "as_of": as_of.isoformat(),
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
