"""Reporting status: which expected values have arrived, when, from which system (DHIS2's
reporting-rate summary, per source system, per org unit and per indicator).

Who is expected to report what. Indicators are defined for the whole municipality and carry no
org unit, so the expectation is read from what the municipality does:

* an org unit is expected to report an indicator for year Y when it has reported it (a value
  known at ``as_of``, any period of Y or Y − 1) — the population HR's or ERP's feed delivers to;
* an indicator nobody has reported in Y or Y − 1 is expected from the owners of the goals it
  measures (valid in Y), so a feed that never started is overdue rather than invisible;
* a unit is expected only for periods it is valid in (``valid_from``/``valid_to`` overlap it).

The periods expected so far are those of the indicator's periodicity in the year of the
requested period, ending no later than it and already over at ``as_of``; an indicator valid
that year with a periodicity coarser than what has ended (a yearly one asked about a tertial)
has none yet. A value has arrived when a measurement for (indicator, org unit, period), any
gender, stands at ``as_of`` (not deleted); it arrived at the system time its first version was
recorded (:func:`arrival_time`), from that version's source system. Due days: see
``app.rules.reporting``.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import ColumnElement, exists, false, or_, select
from sqlalchemy.orm import aliased

from app.auth.deps import Ctx
from app.db import utcnow
from app.goals.models import Goal, GoalIndicator
from app.indicators.models import Indicator
from app.measurements.models import Measurement, MeasurementVersion
from app.measurements.service import version_at
from app.orgunits.models import OrgUnit
from app.orgunits.service import subtree_ids
from app.periods import Period, PeriodKind
from app.reporting.schemas import (
    Completeness,
    Delivery,
    ExpectedBecause,
    IndicatorCompleteness,
    OrgUnitCompleteness,
    ReportingStatus,
    SourceCompleteness,
)
from app.rules.reporting import DeliveryState, Tally, delivery_state, due_date

Key = tuple[uuid.UUID, uuid.UUID, str]  # indicator, org unit, period


def arrival_time(version: Any = MeasurementVersion) -> ColumnElement[datetime]:
    """When a measurement version became known: its start in system time. One place to change
    if arrival comes to be read from elsewhere (a batch's receipt time, say)."""
    column: ColumnElement[datetime] = version.sys_from
    return column


@dataclass(frozen=True)
class Arrival:
    at: datetime
    source_system: str | None


async def reporting_status(
    ctx: Ctx,
    period: Period,
    as_of: datetime | None = None,
    *,
    source: str | None = None,
    org_unit_id: uuid.UUID | None = None,
) -> ReportingStatus:
    now = as_of or utcnow()
    if org_unit_id is not None:
        await ctx.get(OrgUnit, org_unit_id, "org unit")
    indicators = await _indicators(ctx, period.year, source)
    units = await _units(ctx, org_unit_id)
    ids = [indicator.id for indicator in indicators]
    expected = await _expected_units(ctx, ids, period.year, as_of, units)
    arrivals = await _arrivals(ctx, ids, period.year, as_of)

    deliveries: list[Delivery] = []
    periods_of: dict[uuid.UUID, list[Period]] = {}
    for indicator in indicators:
        periods_of[indicator.id] = _periods_so_far(indicator, period, now)
        expected_here = expected.get(indicator.id, {})
        deliveries += _deliveries(
            indicator, periods_of[indicator.id], expected_here, units, arrivals, now
        )

    source_of = {indicator.id: indicator.source for indicator in indicators}
    total = Tally()
    by_indicator: dict[uuid.UUID, Tally] = defaultdict(Tally)
    by_source: dict[str | None, Tally] = defaultdict(Tally)
    by_unit: dict[uuid.UUID, Tally] = defaultdict(Tally)
    for delivery in deliveries:
        for tally in (
            total,
            by_indicator[delivery.indicator_id],
            by_source[source_of[delivery.indicator_id]],
            by_unit[delivery.org_unit_id],
        ):
            tally.add(delivery.state)
    return ReportingStatus(
        period=str(period),
        as_of=now,
        total=Completeness(**_counts(total)),
        by_source=[
            SourceCompleteness(source=name, **_counts(by_source[name]))
            for name in sorted(by_source, key=lambda name: (name is None, name or ""))
        ],
        by_org_unit=[
            OrgUnitCompleteness(
                org_unit_id=unit_id,
                org_unit_code=units[unit_id].code,
                org_unit_name=units[unit_id].name,
                **_counts(by_unit[unit_id]),
            )
            for unit_id in sorted(by_unit, key=lambda unit_id: units[unit_id].code)
        ],
        by_indicator=[
            IndicatorCompleteness(
                indicator_id=indicator.id,
                indicator_code=indicator.code,
                title=indicator.title,
                periodicity=indicator.periodicity,
                source=indicator.source,
                report_due_day=indicator.report_due_day,
                report_due_months=indicator.report_due_months,
                periods=[str(cell) for cell in periods_of[indicator.id]],
                **_counts(by_indicator[indicator.id]),
            )
            for indicator in indicators
        ],
        overdue=[d for d in deliveries if d.state is DeliveryState.OVERDUE],
        deliveries=deliveries,
    )


def _deliveries(
    indicator: Indicator,
    periods: list[Period],
    expected: dict[uuid.UUID, ExpectedBecause],
    units: dict[uuid.UUID, OrgUnit],
    arrivals: dict[Key, Arrival],
    now: datetime,
) -> list[Delivery]:
    """The indicator's expected deliveries, by org unit code and period, with their state."""
    deliveries = []
    for unit_id, because in sorted(expected.items(), key=lambda item: units[item[0]].code):
        unit = units[unit_id]
        for cell in periods:
            if not _valid_during(unit, cell):
                continue
            due = due_date(cell.end, indicator.report_due_day, indicator.report_due_months)
            arrival = arrivals.get((indicator.id, unit_id, str(cell)))
            deliveries.append(
                Delivery(
                    indicator_id=indicator.id,
                    indicator_code=indicator.code,
                    org_unit_id=unit_id,
                    org_unit_code=unit.code,
                    period=str(cell),
                    expected_because=because,
                    due=due,
                    state=delivery_state(due, arrival.at if arrival else None, now),
                    arrived_at=arrival.at if arrival else None,
                    source_system=arrival.source_system if arrival else None,
                )
            )
    return deliveries


def _counts(tally: Tally) -> dict[str, Any]:
    return {
        "expected": tally.expected,
        "arrived": tally.arrived,
        "on_time": tally.on_time,
        "late": tally.late,
        "overdue": tally.overdue,
        "pending": tally.pending,
        "share_complete": tally.share_complete,
        "share_on_time": tally.share_on_time,
    }


def _periods_so_far(indicator: Indicator, asked: Period, now: datetime) -> list[Period]:
    """The indicator's periods in the asked period's year, ending by its end and over by now."""
    kind = PeriodKind(indicator.periodicity)
    today = now.astimezone(UTC).date()
    cells = (Period(asked.year, kind, index) for index in range(1, kind.per_year + 1))
    return [cell for cell in cells if cell.end <= asked.end and cell.end < today]


def _valid_during(unit: OrgUnit, period: Period) -> bool:
    ends_after_start = unit.valid_to is None or unit.valid_to >= period.start
    return unit.valid_from <= period.end and ends_after_start


async def _indicators(ctx: Ctx, year: int, source: str | None) -> list[Indicator]:
    stmt = (
        select(Indicator)
        .where(
            Indicator.valid_from_year <= year,
            or_(Indicator.valid_to_year.is_(None), Indicator.valid_to_year >= year),
        )
        .order_by(Indicator.code)
    )
    if source is not None:
        stmt = stmt.where(Indicator.source == source)
    return list((await ctx.session.scalars(stmt)).all())


async def _units(ctx: Ctx, subtree_of: uuid.UUID | None) -> dict[uuid.UUID, OrgUnit]:
    stmt = select(OrgUnit)
    if subtree_of is not None:
        stmt = stmt.where(OrgUnit.id.in_(subtree_ids(subtree_of)))
    return {unit.id: unit for unit in (await ctx.session.scalars(stmt)).all()}


def _standing(as_of: datetime | None) -> ColumnElement[bool]:
    """The measurement has a value (not a deletion) at ``as_of``."""
    current = aliased(MeasurementVersion)
    condition: ColumnElement[bool] = exists().where(
        version_at(as_of, current), current.deleted == false()
    )
    return condition


async def _expected_units(
    ctx: Ctx,
    indicator_ids: list[uuid.UUID],
    year: int,
    as_of: datetime | None,
    units: dict[uuid.UUID, OrgUnit],
) -> dict[uuid.UUID, dict[uuid.UUID, ExpectedBecause]]:
    """Per indicator, the org units (among ``units``) expected to report it, and why."""
    if not indicator_ids:
        return {}
    reported = await ctx.session.execute(
        select(Measurement.indicator_id, Measurement.org_unit_id)
        .where(
            Measurement.indicator_id.in_(indicator_ids),
            Measurement.period_start >= date(year - 1, 1, 1),
            Measurement.period_start <= date(year, 12, 31),
            _standing(as_of),
        )
        .distinct()
    )
    expected: dict[uuid.UUID, dict[uuid.UUID, ExpectedBecause]] = defaultdict(dict)
    # Whether an indicator is reported at all does not depend on the subtree asked about.
    reported_somewhere: set[uuid.UUID] = set()
    for indicator_id, unit_id in reported:
        reported_somewhere.add(indicator_id)
        if unit_id in units:
            expected[indicator_id][unit_id] = ExpectedBecause.REPORTED
    owners = await ctx.session.execute(
        select(GoalIndicator.indicator_id, Goal.owner_id)
        .join(Goal, Goal.id == GoalIndicator.goal_id)
        .where(
            GoalIndicator.indicator_id.in_(indicator_ids),
            Goal.valid_from_year <= year,
            Goal.valid_to_year >= year,
        )
        .distinct()
    )
    for indicator_id, owner_id in owners:
        if indicator_id not in reported_somewhere and owner_id in units:
            expected[indicator_id][owner_id] = ExpectedBecause.GOAL_OWNER
    return expected


async def _arrivals(
    ctx: Ctx, indicator_ids: list[uuid.UUID], year: int, as_of: datetime | None
) -> dict[Key, Arrival]:
    """The first arrival of each (indicator, org unit, period) standing at ``as_of``."""
    if not indicator_ids:
        return {}
    arrived = arrival_time()
    stmt = (
        select(
            Measurement.indicator_id,
            Measurement.org_unit_id,
            Measurement.period,
            arrived,
            MeasurementVersion.source_system,
        )
        .join(MeasurementVersion, MeasurementVersion.measurement_id == Measurement.id)
        .where(
            Measurement.indicator_id.in_(indicator_ids),
            Measurement.period_start >= date(year, 1, 1),
            Measurement.period_end <= date(year, 12, 31),
            MeasurementVersion.deleted == false(),
            _standing(as_of),
        )
    )
    if as_of is not None:
        stmt = stmt.where(arrived <= as_of)
    first: dict[Key, Arrival] = {}
    for indicator_id, unit_id, period, at, source_system in await ctx.session.execute(stmt):
        key = (indicator_id, unit_id, period)
        if key not in first or at < first[key].at:
            first[key] = Arrival(at, source_system)
    return first
