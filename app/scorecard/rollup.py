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

from sqlalchemy import Uuid, and_, exists, false, func, literal, null, or_, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from app.indicators.models import Indicator
from app.measurements.models import Gender, Measurement, MeasurementVersion
from app.measurements.service import version_at
from app.orgunits.models import OrgUnit
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


_M2, _V2 = aliased(Measurement), aliased(MeasurementVersion)
# The count a row of the roll-up never has: it marks the row saying that something is hidden.
HIDDEN_FLAG = -1


@dataclass(frozen=True)
class Subtree:
    """A unit and everything below it, as the roll-up needs them: the members, and each member's
    ancestors within the subtree (the root included, the member itself not)."""

    root: uuid.UUID
    members: tuple[uuid.UUID, ...]
    ancestors: dict[uuid.UUID, tuple[uuid.UUID, ...]]

    def pairs(self) -> list[tuple[uuid.UUID, uuid.UUID]]:
        """(member, ancestor) for every member below another: where precedence can hide."""
        return [(d, a) for d, above in self.ancestors.items() for a in above]


async def org_tree(session: AsyncSession) -> dict[uuid.UUID, uuid.UUID | None]:
    """Every org unit of the municipality with its parent: one small read, walked in Python.

    The walk used to be a recursive CTE inside the roll-up. PostgreSQL cannot estimate what a
    recursive CTE returns, so at 10 000 indicators it planned the precedence rule's join over
    every measurement of the subtree (7.5 million rows estimated, none found: 3.8 s), and sorted
    1.8 million rows to disk for a merge anti-join (README, Performance). Given the members and
    the (member, ancestor) pairs as values, it plans both from the statistics.
    """
    rows = await session.execute(select(OrgUnit.id, OrgUnit.parent_id))
    return dict(rows.all())


async def subtree_of(session: AsyncSession, root: uuid.UUID) -> Subtree:
    """The subtree of one unit (a scorecard of several owners walks one :func:`org_tree`)."""
    return subtree(await org_tree(session), root)


def subtree(parents: dict[uuid.UUID, uuid.UUID | None], root: uuid.UUID) -> Subtree:
    children: dict[uuid.UUID | None, list[uuid.UUID]] = defaultdict(list)
    for unit, parent in parents.items():
        children[parent].append(unit)
    members: list[uuid.UUID] = []
    ancestors: dict[uuid.UUID, tuple[uuid.UUID, ...]] = {}
    stack: list[tuple[uuid.UUID, tuple[uuid.UUID, ...]]] = [(root, ())]
    while stack:
        unit, above = stack.pop()
        members.append(unit)
        if above:
            ancestors[unit] = above
        stack.extend((child, (*above, unit)) for child in children[unit])
    return Subtree(root, tuple(sorted(members)), ancestors)


def _covered(
    pairs: list[tuple[uuid.UUID, uuid.UUID]],
    indicator_ids: Any,
    first_day: date,
    last_day: date,
    as_of: datetime | None,
) -> Any:
    """(member, indicator, period) whose value is hidden by a value on one of the member's
    ancestors. Only units with something below them can hide anything, and they hold few
    measurements, so this set is small; built once, it turns the precedence rule into one hash
    anti-join instead of a probe of the ancestors for every measurement row."""
    m2, v2 = _M2, _V2
    pair = union_all(
        *(
            select(literal(d, Uuid()).label("descendant"), literal(a, Uuid()).label("ancestor"))
            for d, a in pairs
        )
    ).subquery("pair")
    return (
        select(pair.c.descendant, m2.indicator_id, m2.period)
        .join(m2, m2.org_unit_id == pair.c.ancestor)
        .join(v2, and_(version_at(as_of, v2, m2), v2.deleted == false()))
        .where(
            m2.org_unit_id.in_(sorted({a for _, a in pairs})),
            m2.indicator_id.in_(indicator_ids),
            m2.gender == Gender.TOTAL.value,
            m2.period_start >= first_day,
            m2.period_end <= last_day,
        )
        .cte("covered")
        .prefix_with("MATERIALIZED")
    )


async def rolled_up_values(
    session: AsyncSession,
    tree: Subtree,
    indicator_ids: Any,
    first_day: date,
    last_day: date,
    as_of: datetime | None,
) -> dict[uuid.UUID, list[RolledUp]]:
    """Values of ``indicator_ids`` (a subquery or list) at the root of ``tree`` for periods
    within the dates, gender total, as known at ``as_of``."""
    m = Measurement
    conditions = [
        m.indicator_id.in_(indicator_ids),
        m.org_unit_id.in_(tree.members),
        m.gender == Gender.TOTAL.value,
        m.period_start >= first_day,
        m.period_end <= last_day,
        or_(Indicator.aggregation != Aggregation.LAST.value, m.org_unit_id == tree.root),
    ]
    pairs = tree.pairs()
    if not pairs:  # a unit with nothing below it: nothing to hide
        return _values(await session.execute(_summed(conditions, as_of)))
    covered = _covered(pairs, indicator_ids, first_day, last_day, as_of)
    # The roll-up without the precedence rule, and in the same statement (one snapshot) whether
    # anything is hidden at all: nearly never, as values are reported where the work is done.
    # The anti-join then stays out of the plan, and PostgreSQL aggregates in its parallel
    # workers as the benchmark's ceiling does (0.6 s of 3.4 s at 10 000 indicators). When
    # something is hidden, the roll-up is asked again with the rule.
    hidden = select(covered.c.indicator_id, covered.c.period).limit(1).subquery()
    flag = select(
        hidden.c.indicator_id, hidden.c.period, null(), null(), null(), literal(HIDDEN_FLAG)
    )
    rows = (await session.execute(union_all(_summed(conditions, as_of), flag))).all()
    if all(row[5] != HIDDEN_FLAG for row in rows):
        return _values(rows)
    hides = ~exists().where(
        covered.c.descendant == Measurement.org_unit_id,
        covered.c.indicator_id == Measurement.indicator_id,
        covered.c.period == Measurement.period,
    )
    return _values(await session.execute(_summed([*conditions, hides], as_of)))


def _summed(conditions: list[Any], as_of: datetime | None) -> Any:
    m, v = Measurement, MeasurementVersion
    return (
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
        .where(*conditions)
        .group_by(m.indicator_id, m.period)
    )


def _values(rows: Any) -> dict[uuid.UUID, list[RolledUp]]:
    result: dict[uuid.UUID, list[RolledUp]] = defaultdict(list)
    periods: dict[str, Period] = {}  # a few distinct periods over tens of thousands of rows
    for indicator_id, period, value, numerator, denominator, units in rows:
        parsed = periods.get(period)
        if parsed is None:
            parsed = periods[period] = Period.parse(period)
        result[indicator_id].append(
            RolledUp(
                parsed,
                _decimal(value),
                _decimal(numerator),
                _decimal(denominator),
                units,
            )
        )
    return result


def _decimal(value: Any) -> Decimal | None:
    if value is None or isinstance(value, Decimal):  # PostgreSQL's sums are exact already
        return value
    # SQLite sums NUMERIC as floats; go through str so 0.1 stays 0.1.
    return Decimal(str(value))


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
