"""Deviation statistics (seed 001 §6.4.2–6.4.3): counts by period, org unit, category, severity,
status, Lex Sarah and IVO notification, counted by the database, and the days from report to
close (median and 90th percentile, see ``app.quality.stats``).

Periods are by ``reported_on`` — the seed counts reports by when they were reported. A report
reopened and closed again counts with its last close.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from sqlalchemy import and_, case, func, select, true

from app.auth.deps import Ctx
from app.orgunits.models import OrgUnit
from app.periods import Period
from app.quality.deviations.models import DeviationReport, DeviationStatus
from app.quality.deviations.schemas import DeviationStatistics, DeviationStatsRow
from app.quality.deviations.service import DeviationFilter, conditions_for
from app.quality.stats import (
    Dimension,
    Durations,
    Grouping,
    PeriodGrouping,
    one_period_grouping,
    period_dimension,
    sort_key,
    value_dimension,
)

S = DeviationStatus

DeviationDimension = Literal[
    "year",
    "tertial",
    "quarter",
    "month",
    "org_unit",
    "category",
    "severity",
    "status",
    "lex_sarah",
    "ivo_notified",
]
# What the statistics are grouped by when the client names nothing (the resource and its export).
DEFAULT_GROUPING: tuple[DeviationDimension, ...] = ("year",)


def _dimension(name: str) -> Dimension:
    r = DeviationReport
    if name in {"year", "tertial", "quarter", "month"}:
        return period_dimension(r.reported_on, PeriodGrouping(name))
    if name == "org_unit":
        return Dimension(
            (OrgUnit.code, OrgUnit.id),
            lambda v: {"org_unit_code": v[0], "org_unit_id": v[1]},
        )
    if name == "lex_sarah":
        return value_dimension("lex_sarah", r.lex_sarah, bool)
    if name == "ivo_notified":
        notified = case((r.ivo_notified_on.is_not(None), 1), else_=0)
        return value_dimension("ivo_notified", notified, bool)
    return value_dimension(name, getattr(r, name))


async def statistics(
    ctx: Ctx,
    f: DeviationFilter,
    period_from: Period | None,
    period_to: Period | None,
    group_by: Sequence[str],
) -> DeviationStatistics:
    one_period_grouping(group_by)
    grouping = Grouping(tuple(_dimension(name) for name in group_by))
    r = DeviationReport
    conditions = conditions_for(ctx, f)
    if period_from is not None:
        conditions.append(r.reported_on >= period_from.start)
    if period_to is not None:
        conditions.append(r.reported_on <= period_to.end)
    closed = r.status == S.CLOSED.value
    metrics = (
        func.count().label("n"),
        func.count(case((closed, 1))).label("closed"),
        func.count(case((r.lex_sarah == true(), 1))).label("lex_sarah"),
        func.count(case((r.ivo_notified_on.is_not(None), 1))).label("ivo"),
    )
    keys = grouping.columns

    def base(*columns: Any) -> Any:
        stmt = select(*columns).select_from(r)
        if "org_unit" in group_by:
            stmt = stmt.join(OrgUnit, OrgUnit.id == r.org_unit_id)
        return stmt.where(*conditions)

    counted = (await ctx.session.execute(base(*keys, *metrics).group_by(*keys))).all()
    durations = Durations.collect(
        (
            await ctx.session.execute(
                base(*keys, r.reported_on, r.closed_on).where(
                    and_(closed, r.closed_on.is_not(None))
                )
            )
        ).all(),
        grouping.width,
    )

    def row(keys: dict[str, Any], values: Sequence[Any], days: Any) -> DeviationStatsRow:
        n, n_closed, n_lex, n_ivo = (int(v) for v in values)
        return DeviationStatsRow(
            **keys,
            count=n,
            open=n - n_closed,
            closed=n_closed,
            lex_sarah_reports=n_lex,
            ivo_notifications=n_ivo,
            days_to_close=days,
        )

    width = grouping.width
    groups = [
        row(grouping.render(tuple(c[:width])), c[width:], durations.stats(tuple(c[:width])))
        for c in sorted(counted, key=lambda c: sort_key(tuple(c[:width])))
    ]
    totals = [sum(int(c[width + i]) for c in counted) for i in range(4)]
    return DeviationStatistics(
        group_by=list(group_by),
        total=row({}, totals, durations.overall()),
        groups=groups,
    )
