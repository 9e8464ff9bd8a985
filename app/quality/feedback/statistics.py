"""Feedback statistics (seed 001 §6.4.1): counts per period × kind × topic × unit, counted by the
database, and the days from received to answered (median, 90th percentile; ``app.quality.stats``).

Periods are by ``received_on``. Uncategorised feedback groups under ``topic: null``.
``unanswered`` counts what awaits an answer: complaints and suggestions without an answer date.
Praise expects none, so unanswered praise is no backlog (it still counts in ``count``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from sqlalchemy import and_, case, func, select

from app.auth.deps import Ctx
from app.orgunits.models import OrgUnit
from app.periods import Period
from app.quality.feedback.models import Feedback, FeedbackKind
from app.quality.feedback.schemas import FeedbackStatistics, FeedbackStatsRow
from app.quality.feedback.service import FeedbackFilter, conditions_for
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

FeedbackDimension = Literal["year", "tertial", "quarter", "month", "org_unit", "kind", "topic"]


def _dimension(name: str) -> Dimension:
    if name in {"year", "tertial", "quarter", "month"}:
        return period_dimension(Feedback.received_on, PeriodGrouping(name))
    if name == "org_unit":
        return Dimension(
            (OrgUnit.code, OrgUnit.id),
            lambda v: {"org_unit_code": v[0], "org_unit_id": v[1]},
        )
    return value_dimension(name, getattr(Feedback, name))


async def statistics(
    ctx: Ctx,
    f: FeedbackFilter,
    period_from: Period | None,
    period_to: Period | None,
    group_by: Sequence[str],
) -> FeedbackStatistics:
    one_period_grouping(group_by)
    grouping = Grouping(tuple(_dimension(name) for name in group_by))
    conditions = conditions_for(ctx, f)
    if period_from is not None:
        conditions.append(Feedback.received_on >= period_from.start)
    if period_to is not None:
        conditions.append(Feedback.received_on <= period_to.end)
    answered = Feedback.answered_on.is_not(None)
    awaiting = and_(Feedback.answered_on.is_(None), Feedback.kind != FeedbackKind.PRAISE.value)
    keys = grouping.columns

    def base(*columns: Any) -> Any:
        stmt = select(*columns).select_from(Feedback)
        if "org_unit" in group_by:
            stmt = stmt.join(OrgUnit, OrgUnit.id == Feedback.org_unit_id)
        return stmt.where(*conditions)

    counted = (
        await ctx.session.execute(
            base(
                *keys,
                func.count(),
                func.count(case((answered, 1))),
                func.count(case((awaiting, 1))),
            ).group_by(*keys)
        )
    ).all()
    durations = Durations.collect(
        (
            await ctx.session.execute(
                base(*keys, Feedback.received_on, Feedback.answered_on).where(answered)
            )
        ).all(),
        grouping.width,
    )
    width = grouping.width

    def row(
        keys: dict[str, Any], n: int, n_answered: int, n_awaiting: int, days: Any
    ) -> FeedbackStatsRow:
        return FeedbackStatsRow(
            **keys,
            count=n,
            answered=n_answered,
            unanswered=n_awaiting,
            days_to_answer=days,
        )

    groups = [
        row(
            grouping.render(tuple(c[:width])),
            int(c[width]),
            int(c[width + 1]),
            int(c[width + 2]),
            durations.stats(tuple(c[:width])),
        )
        for c in sorted(counted, key=lambda c: sort_key(tuple(c[:width])))
    ]
    return FeedbackStatistics(
        group_by=list(group_by),
        total=row(
            {},
            sum(int(c[width]) for c in counted),
            sum(int(c[width + 1]) for c in counted),
            sum(int(c[width + 2]) for c in counted),
            durations.overall(),
        ),
        groups=groups,
    )
