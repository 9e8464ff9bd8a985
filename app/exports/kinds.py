"""What each export contains: its columns, its rows in a fixed order, as of a time.

Rows are read in batches from a server-side cursor (``yield_per``), never as one list. Each kind
reads the data *as it stood at* ``as_of``: measurement versions by system time, audit events by
when they were written, the scorecard through its own ``as_of``. So the same query with the same
``as_of`` gives the same rows, however the data changed since.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, get_args

import orjson
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.audit.service import AuditFilter
from app.audit.service import filtered as filtered_events
from app.auth.deps import Ctx
from app.auth.permissions import Permission
from app.errors import Unprocessable
from app.exports.formats import Column
from app.indicators.models import Indicator
from app.measurements.models import Gender, Measurement, MeasurementVersion
from app.measurements.service import MeasurementFilter, version_at
from app.measurements.service import filtered as filtered_measurements
from app.orgunits.models import OrgUnit
from app.pagination import AnySelect
from app.periods import Period
from app.quality.deviations.statistics import DeviationDimension
from app.scorecard.schemas import GoalScore
from app.scorecard.service import scorecard

BATCH = 2000
Rows = AsyncIterator[Sequence[Sequence[Any]]]


@dataclass(frozen=True)
class ExportQuery:
    """The filters an export takes; which apply depends on the kind."""

    as_of: datetime
    indicator_id: uuid.UUID | None = None
    indicator_code: str | None = None
    org_unit_id: uuid.UUID | None = None
    org_unit_code: str | None = None
    subtree_of: uuid.UUID | None = None
    period_from: str | None = None
    period_to: str | None = None
    period: str | None = None
    gender: Gender | None = None
    source_system: str | None = None
    status: str | None = None
    entity_type: str | None = None
    entity_id: str | None = None
    action: str | None = None
    actor: str | None = None
    request_id: str | None = None
    batch_id: uuid.UUID | None = None
    since: datetime | None = None
    until: datetime | None = None
    category: str | None = None
    severity: str | None = None
    lex_sarah: bool | None = None
    quarter: str | None = None
    group_by: tuple[str, ...] = ()
    depth: int | None = None
    tolerance: Decimal | None = None

    def given(self) -> list[str]:
        """The filters the client gave (``as_of`` is every kind's)."""
        return [k for k, v in self.__dict__.items() if k != "as_of" and v not in (None, ())]

    def measurement_filter(self) -> MeasurementFilter:
        return MeasurementFilter(
            indicator_id=self.indicator_id,
            indicator_code=self.indicator_code,
            org_unit_id=self.org_unit_id,
            org_unit_code=self.org_unit_code,
            subtree_of=self.subtree_of,
            period_from=Period.parse(self.period_from) if self.period_from else None,
            period_to=Period.parse(self.period_to) if self.period_to else None,
            gender=self.gender,
            source_system=self.source_system,
            status=self.status,
        )

    def audit_filter(self) -> AuditFilter:
        return AuditFilter(
            entity_type=self.entity_type,
            entity_id=self.entity_id,
            action=self.action,
            actor=self.actor,
            request_id=self.request_id,
            batch_id=self.batch_id,
            since=self.since,
            until=self.until,
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            k: (
                v.isoformat()
                if isinstance(v, datetime)
                else ",".join(v)
                if isinstance(v, tuple)
                else str(v)
            )
            for k, v in self.__dict__.items()
            if v not in (None, ())
        }


@dataclass(frozen=True)
class ExportKind:
    name: str
    sheet: str
    columns: Sequence[Column]
    rows: Callable[[Ctx, ExportQuery], Rows]
    # The filters of the resource it exports, as the resource names them; any other is refused.
    accepts: frozenset[str]
    required: tuple[str, ...] = ()  # query fields that must be given
    # The values ``group_by`` takes for this kind (none: it takes no grouping).
    groupings: frozenset[str] = frozenset()
    # Beyond exports:read, e.g. the audit trail needs audit:read.
    permission: Permission | None = None
    # The statement behind ``rows``, where PostgreSQL can write the CSV itself (app.exports.pgcopy).
    select: Callable[[ExportQuery], AnySelect] | None = None


async def _stream(ctx: Ctx, stmt: Any) -> Rows:
    result = await ctx.session.stream(stmt.execution_options(yield_per=BATCH))
    async for partition in result.partitions(BATCH):
        yield partition


MEASUREMENT_COLUMNS = [
    Column("indicator_code"),
    Column("indicator_title"),
    Column("org_unit_code"),
    Column("period"),
    Column("gender"),
    Column("value", "number"),
    Column("numerator", "number"),
    Column("denominator", "number"),
    Column("status"),
    Column("source_system"),
    Column("comment"),
    Column("recorded_at", "datetime"),
    Column("recorded_by"),
    Column("batch_id"),
    Column("measurement_id"),
]


def measurement_select(q: ExportQuery) -> AnySelect:
    v = MeasurementVersion
    stmt: AnySelect = (
        select(
            Indicator.code,
            Indicator.title,
            OrgUnit.code,
            Measurement.period,
            Measurement.gender,
            v.value,
            v.numerator,
            v.denominator,
            v.status,
            v.source_system,
            v.comment,
            v.sys_from,
            v.recorded_by,
            v.batch_id,
            Measurement.id,
        )
        .select_from(Measurement)
        .join(v, version_at(q.as_of, v))
        .join(Indicator, Indicator.id == Measurement.indicator_id)
        .join(OrgUnit, OrgUnit.id == Measurement.org_unit_id)
        .where(v.deleted.is_(False))
        .order_by(
            Indicator.code,
            OrgUnit.code,
            Measurement.period_start,
            Measurement.period,
            Measurement.gender,
            Measurement.id,
        )
    )
    return filtered_measurements(stmt, q.measurement_filter())


def measurement_rows(ctx: Ctx, q: ExportQuery) -> Rows:
    return _stream(ctx, measurement_select(q))


AUDIT_COLUMNS = [
    Column("occurred_at", "datetime"),
    Column("actor"),
    Column("actor_name"),
    Column("entity_type"),
    Column("entity_id"),
    Column("action"),
    Column("before"),
    Column("after"),
    Column("request_id"),
    Column("batch_id"),
    Column("event_id"),
]


async def audit_rows(ctx: Ctx, q: ExportQuery) -> Rows:
    e = AuditEvent
    stmt = (
        select(
            e.occurred_at,
            e.actor,
            e.actor_name,
            e.entity_type,
            e.entity_id,
            e.action,
            e.before,
            e.after,
            e.request_id,
            e.batch_id,
            e.id,
        )
        .where(e.occurred_at <= q.as_of)
        .order_by(e.id)
    )
    stmt = filtered_events(stmt, q.audit_filter())
    async for batch in _stream(ctx, stmt):
        yield [(*row[:6], _json_text(row[6]), _json_text(row[7]), *row[8:]) for row in batch]


def _json_text(value: Any) -> str | None:
    return None if value is None else orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode()


SCORECARD_COLUMNS = [
    Column("goal_code"),
    Column("goal_title"),
    Column("level"),
    Column("item"),
    Column("code"),
    Column("title"),
    Column("status"),
    Column("manual_status"),
    Column("manual_comment"),
    Column("trend"),
    Column("actual", "number"),
    Column("expected", "number"),
    Column("target"),
    Column("gap", "number"),
    Column("tolerance", "number"),
    Column("explanation"),
]


def scorecard_lines(tree: Sequence[GoalScore]) -> list[tuple[Any, ...]]:
    """The goal tree as rows: each goal, then its indicators, then its child goals."""
    lines: list[tuple[Any, ...]] = []

    def goal(node: GoalScore) -> None:
        lines.append(
            (
                node.code,
                node.title,
                node.level.value,
                "goal",
                node.code,
                node.title,
                node.status.value,
                node.manual.status.value if node.manual else None,
                node.manual.comment if node.manual else None,
                None,
                None,
                None,
                node.explanation.rule,
                None,
                None,
                node.explanation.summary,
            )
        )
        for i in node.indicators:
            e = i.explanation
            target = e.target.text or e.target.kind.value if e.target else None
            lines.append(
                (
                    node.code,
                    node.title,
                    node.level.value,
                    "indicator",
                    i.code,
                    i.title,
                    i.status.value,
                    i.manual.status.value if i.manual else None,
                    i.manual.comment if i.manual else None,
                    i.trend.value if i.trend else None,
                    e.actual,
                    e.expected,
                    target,
                    e.gap,
                    e.tolerance,
                    e.summary,
                )
            )
        for child in node.children:
            goal(child)

    for root in tree:
        goal(root)
    return lines


async def scorecard_rows(ctx: Ctx, q: ExportQuery) -> Rows:
    assert q.period is not None  # required, checked before streaming
    card = await scorecard(ctx, q.org_unit_id, Period.parse(q.period), q.as_of)
    yield scorecard_lines(card.tree)


IVO_COLUMNS = [
    Column("quarter"),
    Column("kind"),
    Column("intervention_type"),
    Column("gender"),
    Column("months_3_6", "integer"),
    Column("months_6_9", "integer"),
    Column("months_9_12", "integer"),
    Column("months_over_12", "integer"),
    Column("total", "integer"),
]


async def ivo_rows(ctx: Ctx, q: ExportQuery) -> Rows:
    """The quarterly IVO report's table: rows, subtotals per type, totals (empty cell = all)."""
    from app.quality.decisions import ivo

    assert q.quarter is not None  # required, checked before streaming
    report = await ivo.report(ctx, Period.parse(q.quarter))
    yield [
        (
            report.quarter,
            r.kind.value if r.kind else None,
            r.intervention_type.value if r.intervention_type else None,
            r.gender.value if r.gender else None,
            r.months_3_6,
            r.months_6_9,
            r.months_9_12,
            r.months_over_12,
            r.total,
        )
        for r in [*report.rows, *report.by_type, *report.totals]
    ]


DEVIATION_STAT_COLUMNS = [
    Column("period"),
    Column("org_unit_code"),
    Column("category"),
    Column("severity"),
    Column("status"),
    Column("lex_sarah"),
    Column("ivo_notified"),
    Column("count", "integer"),
    Column("open", "integer"),
    Column("closed", "integer"),
    Column("lex_sarah_reports", "integer"),
    Column("ivo_notifications", "integer"),
    Column("days_to_close_median", "number"),
    Column("days_to_close_p90", "number"),
]


async def deviation_stat_rows(ctx: Ctx, q: ExportQuery) -> Rows:
    """Deviation statistics grouped as asked (``group_by``; by year, as the resource, when not
    asked), then the total: the last row, its grouped columns empty ("all")."""
    from app.quality.deviations.service import DeviationFilter
    from app.quality.deviations.statistics import DEFAULT_GROUPING, statistics

    stats = await statistics(
        ctx,
        DeviationFilter(
            # The statistics resource calls its subtree org_unit_id; both names are taken.
            org_unit_id=q.subtree_of or q.org_unit_id,
            category=q.category,
            severity=q.severity,
            lex_sarah=q.lex_sarah,
        ),
        Period.parse(q.period_from) if q.period_from else None,
        Period.parse(q.period_to) if q.period_to else None,
        q.group_by or DEFAULT_GROUPING,
    )
    yield [
        (
            g.period,
            g.org_unit_code,
            g.category.value if g.category else None,
            g.severity.value if g.severity else None,
            g.status.value if g.status else None,
            g.lex_sarah,
            g.ivo_notified,
            g.count,
            g.open,
            g.closed,
            g.lex_sarah_reports,
            g.ivo_notifications,
            g.days_to_close.median,
            g.days_to_close.p90,
        )
        for g in [*stats.groups, stats.total]
    ]


PLACEMENT_COLUMNS = [
    Column("period"),
    Column("category_code"),
    Column("category"),
    Column("care_days", "integer"),
    Column("placements_annual_basis", "number"),
    Column("cost_sek", "number"),
    Column("average_cost_per_care_day_sek", "number"),
    Column("budget_to_date_sek", "number"),
    Column("deviation_sek", "number"),
    Column("deviation_percent", "number"),
    Column("forecast_cost_to_date_sek", "number"),
    Column("forecast_ongoing_sek", "number"),
    Column("forecast_inflow_sek", "number"),
    Column("forecast_sek", "number"),
    Column("forecast_deviation_sek", "number"),
    Column("status"),
    Column("explanation"),
    Column("ongoing", "integer"),
    Column("new", "integer"),
    Column("ended", "integer"),
    Column("total_of"),
]


def placement_line(period: str, r: Any) -> tuple[Any, ...]:
    """One row of the placement follow-up (a category, or the total with the category empty)."""
    return (
        period,
        r.category.code if r.category else None,
        r.category.name if r.category else None,
        r.care_days,
        r.placements_annual_basis,
        r.cost,
        r.average_cost_per_care_day,
        r.budget.amount_to_date if r.budget else None,
        r.deviation,
        r.deviation_percent,
        r.forecast.cost_to_date,
        r.forecast.ongoing_cost,
        r.forecast.expected_inflow,
        r.forecast.total,
        r.forecast_deviation,
        r.status.value,
        r.explanation,
        r.episodes.ongoing,
        r.episodes.new,
        r.episodes.ended,
        " + ".join(r.category.total_of) if r.category and r.category.total_of else None,
    )


async def placement_rows(ctx: Ctx, q: ExportQuery) -> Rows:
    """The placement follow-up per category, then the total (category empty)."""
    from app.placements.followup import follow_up

    assert q.period is not None  # required, checked before streaming
    if q.tolerance is not None and q.tolerance > 1:
        raise Unprocessable.for_field(
            "query.tolerance", "too_large", "the placement tolerance is a fraction, at most 1"
        )
    report = await follow_up(ctx, Period.parse(q.period), q.org_unit_id, q.tolerance)
    yield [placement_line(report.period, r) for r in [*report.categories, report.total]]


BUDGET_COLUMNS = [
    Column("month"),
    Column("row"),
    Column("category_code"),
    Column("category"),
    Column("budget_sek", "number"),
    Column("budget_to_date_sek", "number"),
    Column("outcome_to_date_sek", "number"),
    Column("deviation_sek", "number"),
    Column("deviation_percent", "number"),
    Column("forecast_sek", "number"),
    Column("forecast_deviation_sek", "number"),
    Column("status"),
    Column("org_unit_code"),
    Column("path"),
    Column("own"),
]


def budget_lines(report: Any) -> list[tuple[Any, ...]]:
    """Each category, then revenue, cost and net (deviation positive = favourable) of the unit
    followed up; with ``group_by=org_unit``, then revenue, cost and net of each group (seed 002's
    year-end table), its unit, its path (codes joined by ``/``) and whether it is the unit's own
    lines only."""

    def line(
        row: str,
        code: str | None,
        name: str | None,
        f: Any,
        status: str | None,
        unit: str,
        path: str,
        own: bool,
    ) -> tuple[Any, ...]:
        return (
            report.month,
            row,
            code,
            name,
            f.budget,
            f.budget_to_date,
            f.outcome_to_date,
            f.deviation,
            f.deviation_percent,
            f.forecast,
            f.forecast_deviation,
            status,
            unit,
            path,
            own,
        )

    root = report.org_unit.code
    lines = [
        line(c.kind.value, c.code, c.name, c, c.status.value, root, root, False)
        for c in report.categories
    ]
    lines += [
        line(name, None, None, getattr(report, name), None, root, root, False)
        for name in ("revenue", "cost")
    ]
    lines.append(
        line("net", None, None, report.net, report.adherence.status.value, root, root, False)
    )
    for g in report.groups or ():
        unit, path = g.org_unit.code, "/".join(g.path)
        lines += [
            line(name, None, None, getattr(g, name), None, unit, path, g.own)
            for name in ("revenue", "cost")
        ]
        lines.append(line("net", None, None, g.net, g.adherence.status.value, unit, path, g.own))
    return lines


async def budget_rows(ctx: Ctx, q: ExportQuery) -> Rows:
    from app.budget.followup import DEFAULT_TOLERANCE, follow_up, grouping_depth

    assert q.period is not None  # required, checked before streaming
    assert q.org_unit_id is not None
    period = Period.parse(q.period)
    group_by = q.group_by[0] if q.group_by else None
    report = await follow_up(
        ctx,
        q.org_unit_id,
        period.year,
        period.last_month,
        DEFAULT_TOLERANCE if q.tolerance is None else q.tolerance,
        group_by_unit=group_by == "org_unit",
        depth=grouping_depth(group_by, q.depth),
    )
    yield budget_lines(report)


MEASUREMENT_FILTERS = frozenset(
    {
        "indicator_id",
        "indicator_code",
        "org_unit_id",
        "org_unit_code",
        "subtree_of",
        "period_from",
        "period_to",
        "gender",
        "source_system",
        "status",
    }
)
AUDIT_FILTERS = frozenset(
    {"entity_type", "entity_id", "action", "actor", "request_id", "batch_id", "since", "until"}
)
DEVIATION_FILTERS = frozenset(
    {
        "group_by",
        "period_from",
        "period_to",
        "org_unit_id",
        "subtree_of",
        "category",
        "severity",
        "lex_sarah",
    }
)
DEVIATION_GROUPINGS = frozenset(get_args(DeviationDimension))

KINDS: dict[str, ExportKind] = {
    kind.name: kind
    for kind in (
        ExportKind(
            "measurements",
            "Measurements",
            MEASUREMENT_COLUMNS,
            measurement_rows,
            MEASUREMENT_FILTERS,
            select=measurement_select,
        ),
        ExportKind(
            "audit-events",
            "Audit trail",
            AUDIT_COLUMNS,
            audit_rows,
            AUDIT_FILTERS,
            permission=Permission.AUDIT_READ,
        ),
        ExportKind(
            "scorecard",
            "Scorecard",
            SCORECARD_COLUMNS,
            scorecard_rows,
            frozenset({"org_unit_id", "period"}),
            ("period",),
        ),
        ExportKind(
            "ivo-report",
            "IVO report",
            IVO_COLUMNS,
            ivo_rows,
            frozenset({"quarter"}),
            ("quarter",),
            permission=Permission.DECISIONS_READ,
        ),
        ExportKind(
            "deviation-statistics",
            "Deviation statistics",
            DEVIATION_STAT_COLUMNS,
            deviation_stat_rows,
            DEVIATION_FILTERS,
            groupings=DEVIATION_GROUPINGS,
            permission=Permission.DEVIATIONS_READ,
        ),
        ExportKind(
            "budget-follow-up",
            "Budget",
            BUDGET_COLUMNS,
            budget_rows,
            frozenset({"org_unit_id", "period", "group_by", "depth", "tolerance"}),
            ("period", "org_unit_id"),
            groupings=frozenset({"org_unit"}),
            permission=Permission.BUDGET_READ,
        ),
        ExportKind(
            "placement-follow-up",
            "Placements",
            PLACEMENT_COLUMNS,
            placement_rows,
            frozenset({"period", "org_unit_id", "tolerance"}),
            ("period",),
            permission=Permission.PLACEMENTS_READ,
        ),
    )
}
