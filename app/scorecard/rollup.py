"""Roll-up of measurements over the org tree, in one SQL statement (DOMAIN §6.4).

For an org unit U, an indicator and a period, the value is U's own measurement when it has one;
otherwise it is built from its subtree: ``sum`` and ``mean`` indicators add the units' values of
the period (a mean then averages those monthly sums over time), ``ratio`` indicators add
numerators and denominators (ratio of sums, never a mean of percentages). A measurement on any
unit takes precedence over those below it, so nothing is counted twice. ``last`` values are not
additive: only U's own measurements count.

The database does the adding; Python receives one row per (indicator, period).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, exists, false, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from app.indicators.models import Indicator
from app.measurements.models import Gender, Measurement, MeasurementVersion
from app.measurements.service import version_at
from app.orgunits.models import OrgUnit
from app.orgunits.service import subtree_ids
from app.periods import Period
from app.rules.definitions import Aggregation
from app.rules.indicator import Observation


@dataclass(frozen=True)
class RolledUp:
    period: Period
    value: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None
    units: int  # how many org units' measurements went into it


# Built once: an alias is cheap to use and costly to make (its columns are set up on first use).
_PARENT = aliased(OrgUnit)
_M2, _V2 = aliased(Measurement), aliased(MeasurementVersion)


def _closure(root_id: uuid.UUID) -> Any:
    """(descendant, ancestor) pairs within the subtree of ``root_id``, each unit with itself."""
    members = subtree_ids(root_id).subquery()
    closure = (
        select(OrgUnit.id.label("descendant"), OrgUnit.id.label("ancestor"))
        .where(OrgUnit.id.in_(select(members.c.id)))
        .cte("closure", recursive=True)
    )
    parent = _PARENT
    return closure.union_all(
        select(closure.c.descendant, parent.parent_id)
        .join(parent, parent.id == closure.c.ancestor)
        .where(parent.id != root_id, parent.parent_id.is_not(None))
    )


async def rolled_up_values(
    session: AsyncSession,
    root_id: uuid.UUID,
    indicator_ids: Any,
    first_day: date,
    last_day: date,
    as_of: datetime | None,
) -> dict[uuid.UUID, list[RolledUp]]:
    """Values of ``indicator_ids`` (a subquery or list) at ``root_id`` for periods within the
    dates, gender total, as known at ``as_of``."""
    closure = _closure(root_id)
    m, v = Measurement, MeasurementVersion
    m2, v2 = _M2, _V2
    # (unit, indicator, period) whose value is hidden by a value on one of the unit's ancestors.
    # Only units with something below them can hide anything, and they hold few measurements,
    # so this set is small; built once, it turns the precedence rule into one hash anti-join
    # instead of a probe of the ancestors for every measurement row.
    covered = (
        select(closure.c.descendant, m2.indicator_id, m2.period)
        .join(m2, m2.org_unit_id == closure.c.ancestor)
        .join(v2, and_(version_at(as_of, v2, m2), v2.deleted == false()))
        .where(
            closure.c.ancestor != closure.c.descendant,
            m2.indicator_id.in_(indicator_ids),
            m2.gender == Gender.TOTAL.value,
            m2.period_start >= first_day,
            m2.period_end <= last_day,
        )
        .cte("covered")
        .prefix_with("MATERIALIZED")
    )
    covered_above = exists().where(
        covered.c.descendant == m.org_unit_id,
        covered.c.indicator_id == m.indicator_id,
        covered.c.period == m.period,
    )
    only_own_for_last = or_(
        Indicator.aggregation != Aggregation.LAST.value, m.org_unit_id == root_id
    )
    stmt = (
        select(
            m.indicator_id,
            m.period,
            func.sum(v.value),
            func.sum(v.numerator),
            func.sum(v.denominator),
            func.count(),
        )
        .join(v, and_(version_at(as_of), v.deleted == false()))
        .join(Indicator, Indicator.id == m.indicator_id)
        .where(
            m.indicator_id.in_(indicator_ids),
            m.org_unit_id.in_(select(closure.c.descendant).distinct()),
            m.gender == Gender.TOTAL.value,
            m.period_start >= first_day,
            m.period_end <= last_day,
            ~covered_above,
            only_own_for_last,
        )
        .group_by(m.indicator_id, m.period)
    )
    result: dict[uuid.UUID, list[RolledUp]] = defaultdict(list)
    for indicator_id, period, value, numerator, denominator, units in await session.execute(stmt):
        result[indicator_id].append(
            RolledUp(
                Period.parse(period),
                _decimal(value),
                _decimal(numerator),
                _decimal(denominator),
                units,
            )
        )
    return result


def _decimal(value: Any) -> Decimal | None:
    # SQLite sums NUMERIC as floats; go through str so 0.1 stays 0.1.
    return None if value is None else Decimal(str(value))


def observations(rows: list[RolledUp]) -> list[Observation]:
    return [
        Observation(
            r.period,
            r.value,
            r.numerator,
            r.denominator,
            key=f"{r.period}" + (f" ({r.units} units)" if r.units > 1 else ""),
        )
        for r in sorted(rows, key=lambda r: r.period)
    ]
