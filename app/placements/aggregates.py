"""The one write path for aggregates (``POST /placement-aggregates/batch``), and how an aggregate
for a longer period is read month by month.

An aggregate covers the period its system reports: a month, a quarter, a tertial, a half or the
year (a system that closes its books per tertial sends ``2023-T1``). The follow-up reads every
aggregate as months (:func:`month_shares`): **the stated pro-rating rule** is by calendar days —
each month gets its days' share of the period's care days (whole days, largest remainder first,
ties to the earlier month) and of its net cost (to the öre, the last month taking what is left),
so a month's shares add up exactly to what was sent. Where aggregates of different lengths
cover the same month of a category at an org unit, **the shortest period wins** for that month
(a month over a quarter's share of it): the finer figure is the one the system closed the month
with, and nothing is counted twice.

The same steps as :mod:`app.placements.episodes`: resolve, validate without I/O, classify
against the stored rows of the keys (category, org unit, period), write set-based with a version
per changed aggregate carrying the batch id (:mod:`app.versions`; the batch's one audit event is
the batch machinery's).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal, cast

from pydantic import ValidationError
from sqlalchemy import Table, bindparam, select, update

from app.audit.recorder import Change
from app.auth.deps import BATCH_ID_KEY, Ctx
from app.db import insert_many, utcnow, uuid7
from app.periods import Period
from app.placements.models import PlacementAggregate
from app.placements.money import to_ore
from app.placements.rows import (
    Lookups,
    RowError,
    check_references,
    chunks,
    ref,
    safe_text,
    validation_errors,
)
from app.placements.schemas import PlacementAggregateWrite
from app.versions.service import record_changes

Result = Literal["created", "updated", "unchanged"]
Key = tuple[uuid.UUID, uuid.UUID, str]  # category, org unit, period
CONTENT = ("care_days", "net_cost_ore", "source_system", "comment")
AGGREGATES = cast(Table, PlacementAggregate.__table__)


@dataclass
class AggregateRow:
    index: int
    key: Key
    content: dict[str, Any]
    result: Result = "created"
    aggregate_id: uuid.UUID | None = None
    current: dict[str, Any] | None = None


def _json(key: Key, content: dict[str, Any]) -> dict[str, Any]:
    return {
        "category_id": str(key[0]),
        "org_unit_id": str(key[1]),
        "period": key[2],
        "care_days": content["care_days"],
        "net_cost": f"{Decimal(content['net_cost_ore']) / 100:.2f}",
        "source_system": content["source_system"],
        "comment": content["comment"],
    }


def month_shares(period: Period, care_days: int, net_cost_ore: int) -> list[tuple[str, int, int]]:
    """(month, care days, net cost in öre) of each month of ``period``, by calendar days."""
    months = period.months()
    lengths = [(m.end - m.start).days + 1 for m in months]
    total = sum(lengths)
    floors = [care_days * n // total for n in lengths]
    short = care_days - sum(floors)
    by_remainder = sorted(range(len(months)), key=lambda i: (-(care_days * lengths[i] % total), i))
    for i in by_remainder[:short]:
        floors[i] += 1
    costs = [
        int((Decimal(net_cost_ore) * n / total).quantize(Decimal(1), rounding=ROUND_HALF_UP))
        for n in lengths[:-1]
    ]
    costs.append(net_cost_ore - sum(costs))
    return [(str(m), d, c) for m, d, c in zip(months, floors, costs, strict=True)]


def raw_key(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "category": ref(row, "category"),
        "org_unit": ref(row, "org_unit"),
        "period": safe_text(row.get("period"), 10),
    }


def validate(
    rows: Sequence[dict[str, Any]], lookups: Lookups, prefix: str = ""
) -> tuple[list[AggregateRow], list[RowError]]:
    valid: list[AggregateRow] = []
    errors: list[RowError] = []
    seen: dict[Key, int] = {}
    for index, raw in enumerate(rows):
        key = raw_key(raw)

        def fail(
            name: str, code: str, message: str, index: int = index, key: dict[str, Any] = key
        ) -> None:
            errors.append(RowError(index, key, prefix + name, code, message))

        try:
            row = PlacementAggregateWrite.model_validate(raw)
        except ValidationError as exc:
            for name, code, message in validation_errors(exc):
                fail(name, code, message)
            continue
        found = check_references(lookups, row, fail)
        if found is None:
            continue
        category, unit, _ = found
        natural: Key = (category.id, unit.id, row.period)
        if natural in seen:
            fail("period", "duplicate_in_request", f"the same key as row {seen[natural]}")
            continue
        seen[natural] = index
        valid.append(
            AggregateRow(
                index=index,
                key=natural,
                content={
                    "care_days": row.care_days,
                    "net_cost_ore": to_ore(row.net_cost),
                    "source_system": row.source_system,
                    "comment": row.comment,
                },
            )
        )
    return valid, errors


async def classify(ctx: Ctx, rows: list[AggregateRow]) -> None:
    if not rows:
        return
    wanted = {r.key for r in rows}
    existing: dict[Key, tuple[uuid.UUID, dict[str, Any]]] = {}
    a = PlacementAggregate
    for chunk in chunks(sorted({unit for _, unit, _ in wanted})):
        result = await ctx.session.execute(
            select(a.id, a.category_id, a.org_unit_id, a.period, *(getattr(a, k) for k in CONTENT))
            .where(a.org_unit_id.in_(chunk))
            .where(a.period.in_(sorted({period for _, _, period in wanted})))
        )
        for aid, category, unit, period, *values in result:
            if (category, unit, period) in wanted:
                existing[(category, unit, period)] = (aid, dict(zip(CONTENT, values, strict=True)))
    for row in rows:
        found = existing.get(row.key)
        if found is None:
            continue
        row.aggregate_id, content = found
        row.current = _json(row.key, content)
        row.result = "unchanged" if content == row.content else "updated"


async def write(ctx: Ctx, rows: Iterable[AggregateRow], batch_id: uuid.UUID | None) -> None:
    changed = [r for r in rows if r.result != "unchanged"]
    if not changed:
        return
    now = utcnow()
    tenant = ctx.municipality_id
    session = ctx.session
    session.info[BATCH_ID_KEY] = batch_id
    created = [r for r in changed if r.aggregate_id is None]
    for row in created:
        row.aggregate_id = uuid7()
    if created:
        await insert_many(
            session,
            AGGREGATES,
            [
                {
                    "id": r.aggregate_id,
                    "municipality_id": tenant,
                    "category_id": r.key[0],
                    "org_unit_id": r.key[1],
                    "period": r.key[2],
                    "batch_id": batch_id,
                    "created_at": now,
                    "updated_at": now,
                    **r.content,
                }
                for r in created
            ],
        )
    updated = [r for r in changed if r.result == "updated"]
    if updated:
        await session.execute(
            update(AGGREGATES)
            .where(AGGREGATES.c.id == bindparam("b_id"))
            .values(
                {name: bindparam(f"b_{name}") for name in CONTENT}
                | {"batch_id": bindparam("b_batch_id"), "updated_at": bindparam("b_now")}
            ),
            [
                {"b_id": r.aggregate_id, "b_batch_id": batch_id, "b_now": now}
                | {f"b_{name}": r.content[name] for name in CONTENT}
                for r in updated
            ],
        )
    changes = [
        Change(
            entity_type="placement_aggregate",
            entity_id=str(r.aggregate_id),
            action="create" if r.result == "created" else "update",
            before=r.current,
            after=_json(r.key, r.content),
            municipality_id=tenant,
        )
        for r in changed
    ]
    await record_changes(ctx, changes)
