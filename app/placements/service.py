"""Placements: episodes, aggregates and budgets — reads and single writes.

Writes of episodes go through :mod:`app.placements.episodes` (the batch's path, with one row);
budgets through the ORM, audited by the session hook. A credential limited to an org unit writes
episodes, aggregates and budgets only within that unit's subtree. Categories and providers are in
:mod:`app.placements.catalogue`.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from sqlalchemy import delete, exists, or_, select

from app.audit.recorder import Change
from app.auth.deps import Ctx
from app.errors import Conflict, Forbidden, Unprocessable
from app.orgunits.models import OrgUnit
from app.orgunits.service import subtree_ids
from app.pagination import Keyset, PageParams
from app.placements import episodes
from app.placements.categories import ensure_standard_categories
from app.placements.models import (
    Placement,
    PlacementAggregate,
    PlacementBudget,
    PlacementCategory,
    PlacementRate,
)
from app.placements.money import to_ore, to_sek
from app.placements.rows import OUTSIDE_SUBTREE, check_references, field_errors, resolve
from app.placements.schemas import (
    PlacementAggregateRead,
    PlacementBudgetRead,
    PlacementBudgetWrite,
    PlacementRateRead,
    PlacementRead,
    PlacementUpdate,
    PlacementWrite,
)
from app.versions.service import record_changes

PLACEMENT_KEYSET = Keyset(
    columns={"start_date": Placement.start_date, "created_at": Placement.created_at},
    id_column=Placement.id,
    default="start_date",
)
AGGREGATE_KEYSET = Keyset(
    columns={"period": PlacementAggregate.period, "created_at": PlacementAggregate.created_at},
    id_column=PlacementAggregate.id,
    default="period",
)
BUDGET_KEYSET = Keyset(
    columns={"year": PlacementBudget.year, "created_at": PlacementBudget.created_at},
    id_column=PlacementBudget.id,
    default="year",
)


async def ensure_may_write(ctx: Ctx, org_unit_id: uuid.UUID) -> None:
    root = ctx.principal.org_unit_id
    if root is None:
        return
    subtree = subtree_ids(root).subquery()
    if not await ctx.session.scalar(select(exists().where(subtree.c.id == org_unit_id))):
        raise Forbidden(OUTSIDE_SUBTREE)


async def _codes(
    ctx: Ctx, category_ids: set[uuid.UUID], unit_ids: set[uuid.UUID]
) -> tuple[dict[uuid.UUID, str], dict[uuid.UUID, str]]:
    categories: dict[uuid.UUID, str] = {}
    units: dict[uuid.UUID, str] = {}
    if category_ids:
        found = await ctx.session.execute(
            select(PlacementCategory.id, PlacementCategory.code).where(
                PlacementCategory.id.in_(category_ids)
            )
        )
        categories = dict(found.all())
    if unit_ids:
        found = await ctx.session.execute(
            select(OrgUnit.id, OrgUnit.code).where(OrgUnit.id.in_(unit_ids))
        )
        units = dict(found.all())
    return categories, units


# -- episodes --------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlacementFilter:
    category_id: uuid.UUID | None = None
    org_unit_id: uuid.UUID | None = None
    subtree_of: uuid.UUID | None = None
    provider_id: uuid.UUID | None = None
    case_ref: str | None = None
    active_from: date | None = None
    active_to: date | None = None
    ongoing_on: date | None = None
    source_system: str | None = None
    batch_id: uuid.UUID | None = None


async def _reads(ctx: Ctx, placements: Sequence[Placement]) -> list[PlacementRead]:
    ids = [p.id for p in placements]
    rates: dict[uuid.UUID, list[PlacementRateRead]] = {pid: [] for pid in ids}
    if ids:
        for rate in await ctx.session.scalars(
            select(PlacementRate)
            .where(PlacementRate.placement_id.in_(ids))
            .order_by(PlacementRate.valid_from)
        ):
            rates[rate.placement_id].append(
                PlacementRateRead(
                    valid_from=rate.valid_from,
                    valid_to=rate.valid_to,
                    daily_rate=to_sek(rate.daily_rate_ore),
                )
            )
    categories, units = await _codes(
        ctx, {p.category_id for p in placements}, {p.org_unit_id for p in placements}
    )
    return [
        PlacementRead(
            id=p.id,
            case_ref=p.case_ref,
            category_id=p.category_id,
            category_code=categories[p.category_id],
            org_unit_id=p.org_unit_id,
            org_unit_code=units[p.org_unit_id],
            provider_id=p.provider_id,
            start_date=p.start_date,
            end_date=p.end_date,
            rates=rates[p.id],
            gender=p.gender,
            age_band=p.age_band,
            source_system=p.source_system,
            comment=p.comment,
            batch_id=p.batch_id,
            created_at=p.created_at,
            updated_at=p.updated_at,
        )
        for p in placements
    ]


async def list_placements(
    ctx: Ctx, f: PlacementFilter, page: PageParams, sort: str
) -> tuple[list[PlacementRead], str | None]:
    stmt = select(Placement)
    if f.category_id is not None:
        stmt = stmt.where(Placement.category_id == f.category_id)
    if f.org_unit_id is not None:
        stmt = stmt.where(Placement.org_unit_id == f.org_unit_id)
    if f.subtree_of is not None:
        stmt = stmt.where(Placement.org_unit_id.in_(subtree_ids(f.subtree_of)))
    if f.provider_id is not None:
        stmt = stmt.where(Placement.provider_id == f.provider_id)
    if f.case_ref is not None:
        stmt = stmt.where(Placement.case_ref == f.case_ref)
    if f.active_to is not None:
        stmt = stmt.where(Placement.start_date <= f.active_to)
    if f.active_from is not None:
        stmt = stmt.where(or_(Placement.end_date.is_(None), Placement.end_date >= f.active_from))
    if f.ongoing_on is not None:
        stmt = stmt.where(
            Placement.start_date <= f.ongoing_on,
            or_(Placement.end_date.is_(None), Placement.end_date > f.ongoing_on),
        )
    if f.source_system is not None:
        stmt = stmt.where(Placement.source_system == f.source_system)
    if f.batch_id is not None:
        stmt = stmt.where(Placement.batch_id == f.batch_id)
    rows = (
        await ctx.session.scalars(PLACEMENT_KEYSET.apply(stmt, sort, page.cursor, page.limit))
    ).all()
    items, next_cursor = PLACEMENT_KEYSET.page(rows, sort, page.limit)
    return await _reads(ctx, items), next_cursor


async def get_placement(ctx: Ctx, placement_id: uuid.UUID) -> PlacementRead:
    placement = await ctx.get(Placement, placement_id, "placement")
    [read] = await _reads(ctx, [placement])
    return read


async def _write_one(ctx: Ctx, raw: dict[str, Any]) -> episodes.EpisodeRow:
    await ensure_standard_categories(ctx)
    lookups = await resolve(ctx, [raw])
    valid, errors = episodes.validate([raw], lookups, prefix="body.")
    if any(e.code == "outside_subtree" for e in errors):
        raise Forbidden(OUTSIDE_SUBTREE)
    if errors:
        raise Unprocessable(errors[0].message, errors=field_errors(errors))
    await episodes.classify(ctx, valid)
    return valid[0]


async def create_placement(ctx: Ctx, data: PlacementWrite) -> PlacementRead:
    row = await _write_one(ctx, data.model_dump(exclude_none=True))
    if row.placement_id is not None:
        raise Conflict("an episode with this case_ref and start_date exists; PATCH it")
    await episodes.write(ctx, [row], batch_id=None)
    await ctx.commit()
    assert row.placement_id is not None
    return await get_placement(ctx, row.placement_id)


def _refit(rates: list[PlacementRateRead], start: date, end: date | None) -> list[dict[str, Any]]:
    """The stored rate periods cut or extended to a new end date."""
    kept = [r for r in rates if end is None or r.valid_from <= end]
    if not kept or (end is not None and end < start):
        kept = rates  # the end date itself is wrong; validation says so
    periods = [
        {
            "valid_from": r.valid_from.isoformat(),
            "valid_to": r.valid_to.isoformat() if r.valid_to else None,
            "daily_rate": str(r.daily_rate),
        }
        for r in kept
    ]
    periods[-1]["valid_to"] = end.isoformat() if end else None
    periods[0]["valid_from"] = start.isoformat()
    return periods


async def update_placement(
    ctx: Ctx, placement_id: uuid.UUID, data: PlacementUpdate
) -> PlacementRead:
    current = await get_placement(ctx, placement_id)
    await ensure_may_write(ctx, current.org_unit_id)
    changes = data.model_dump(exclude_unset=True)
    raw: dict[str, Any] = {
        "case_ref": current.case_ref,
        "start_date": current.start_date.isoformat(),
        "end_date": current.end_date.isoformat() if current.end_date else None,
        "category_id": str(current.category_id),
        "org_unit_id": str(current.org_unit_id),
        "provider_id": str(current.provider_id) if current.provider_id else None,
        "gender": current.gender.value if current.gender else None,
        "age_band": current.age_band.value if current.age_band else None,
        "source_system": current.source_system,
        "comment": current.comment,
    }
    for what, alternative in (
        ("category", "code"),
        ("org_unit", "code"),
        ("provider", "org_number"),
    ):
        if f"{what}_id" in changes or f"{what}_{alternative}" in changes:
            raw.pop(f"{what}_id")
    raw.update(changes)
    if "rates" not in changes and "daily_rate" not in changes:
        end = raw.get("end_date")
        end = date.fromisoformat(end) if isinstance(end, str) else end
        raw["rates"] = _refit(current.rates, current.start_date, end)
    row = await _write_one(ctx, {k: v for k, v in raw.items() if v is not None})
    await episodes.write(ctx, [row], batch_id=None)
    await ctx.commit()
    return await get_placement(ctx, placement_id)


async def delete_placement(ctx: Ctx, placement_id: uuid.UUID) -> None:
    placement = await ctx.get(Placement, placement_id, "placement")
    await ensure_may_write(ctx, placement.org_unit_id)
    key = (placement.case_ref, placement.start_date)
    [(_, content, rates)] = (await episodes.stored(ctx, [key])).values()
    await ctx.session.execute(
        delete(PlacementRate).where(PlacementRate.placement_id == placement.id)
    )
    await ctx.session.execute(delete(Placement).where(Placement.id == placement.id))
    change = Change(
        entity_type="placement",
        entity_id=str(placement.id),
        action="delete",
        before=episodes.snapshot(key, content, rates),
        after=None,
        municipality_id=ctx.municipality_id,
    )
    await record_changes(ctx, [change])
    await ctx.commit()


# -- aggregates ------------------------------------------------------------------------------


@dataclass(frozen=True)
class AggregateFilter:
    category_id: uuid.UUID | None = None
    org_unit_id: uuid.UUID | None = None
    subtree_of: uuid.UUID | None = None
    period_from: str | None = None
    period_to: str | None = None
    source_system: str | None = None
    batch_id: uuid.UUID | None = None


async def _aggregate_reads(
    ctx: Ctx, rows: Sequence[PlacementAggregate]
) -> list[PlacementAggregateRead]:
    categories, units = await _codes(
        ctx, {a.category_id for a in rows}, {a.org_unit_id for a in rows}
    )
    return [
        PlacementAggregateRead(
            id=a.id,
            category_id=a.category_id,
            category_code=categories[a.category_id],
            org_unit_id=a.org_unit_id,
            org_unit_code=units[a.org_unit_id],
            period=a.period,
            care_days=a.care_days,
            net_cost=to_sek(a.net_cost_ore),
            source_system=a.source_system,
            comment=a.comment,
            batch_id=a.batch_id,
            created_at=a.created_at,
            updated_at=a.updated_at,
        )
        for a in rows
    ]


async def list_aggregates(
    ctx: Ctx, f: AggregateFilter, page: PageParams, sort: str
) -> tuple[list[PlacementAggregateRead], str | None]:
    a = PlacementAggregate
    stmt = select(a)
    if f.category_id is not None:
        stmt = stmt.where(a.category_id == f.category_id)
    if f.org_unit_id is not None:
        stmt = stmt.where(a.org_unit_id == f.org_unit_id)
    if f.subtree_of is not None:
        stmt = stmt.where(a.org_unit_id.in_(subtree_ids(f.subtree_of)))
    if f.period_from is not None:
        stmt = stmt.where(a.period >= f.period_from)
    if f.period_to is not None:
        stmt = stmt.where(a.period <= f.period_to)
    if f.source_system is not None:
        stmt = stmt.where(a.source_system == f.source_system)
    if f.batch_id is not None:
        stmt = stmt.where(a.batch_id == f.batch_id)
    rows = (
        await ctx.session.scalars(AGGREGATE_KEYSET.apply(stmt, sort, page.cursor, page.limit))
    ).all()
    items, next_cursor = AGGREGATE_KEYSET.page(rows, sort, page.limit)
    return await _aggregate_reads(ctx, items), next_cursor


async def get_aggregate(ctx: Ctx, aggregate_id: uuid.UUID) -> PlacementAggregateRead:
    [read] = await _aggregate_reads(
        ctx, [await ctx.get(PlacementAggregate, aggregate_id, "placement aggregate")]
    )
    return read


async def delete_aggregate(ctx: Ctx, aggregate_id: uuid.UUID) -> None:
    aggregate = await ctx.get(PlacementAggregate, aggregate_id, "placement aggregate")
    await ensure_may_write(ctx, aggregate.org_unit_id)
    [before] = await _aggregate_reads(ctx, [aggregate])
    await ctx.session.execute(
        delete(PlacementAggregate).where(PlacementAggregate.id == aggregate.id)
    )
    change = Change(
        entity_type="placement_aggregate",
        entity_id=str(aggregate.id),
        action="delete",
        before={
            "category_id": str(before.category_id),
            "org_unit_id": str(before.org_unit_id),
            "period": before.period,
            "care_days": before.care_days,
            "net_cost": f"{before.net_cost:.2f}",
            "source_system": before.source_system,
            "comment": before.comment,
        },
        after=None,
        municipality_id=ctx.municipality_id,
    )
    await record_changes(ctx, [change])
    await ctx.commit()


# -- budgets ---------------------------------------------------------------------------------


async def _budget_reads(ctx: Ctx, rows: Sequence[PlacementBudget]) -> list[PlacementBudgetRead]:
    categories, units = await _codes(
        ctx, {b.category_id for b in rows}, {b.org_unit_id for b in rows}
    )
    return [
        PlacementBudgetRead(
            id=b.id,
            category_id=b.category_id,
            category_code=categories[b.category_id],
            org_unit_id=b.org_unit_id,
            org_unit_code=units[b.org_unit_id],
            year=b.year,
            care_days=b.care_days,
            amount=to_sek(b.amount_ore),
            expected_inflow=to_sek(b.expected_inflow_ore),
            comment=b.comment,
            created_at=b.created_at,
            updated_at=b.updated_at,
        )
        for b in rows
    ]


async def list_budgets(
    ctx: Ctx,
    page: PageParams,
    sort: str,
    year: int | None,
    category_id: uuid.UUID | None,
    subtree_of: uuid.UUID | None,
) -> tuple[list[PlacementBudgetRead], str | None]:
    stmt = select(PlacementBudget)
    if year is not None:
        stmt = stmt.where(PlacementBudget.year == year)
    if category_id is not None:
        stmt = stmt.where(PlacementBudget.category_id == category_id)
    if subtree_of is not None:
        stmt = stmt.where(PlacementBudget.org_unit_id.in_(subtree_ids(subtree_of)))
    rows = (
        await ctx.session.scalars(BUDGET_KEYSET.apply(stmt, sort, page.cursor, page.limit))
    ).all()
    items, next_cursor = BUDGET_KEYSET.page(rows, sort, page.limit)
    return await _budget_reads(ctx, items), next_cursor


async def get_budget(ctx: Ctx, budget_id: uuid.UUID) -> PlacementBudgetRead:
    [read] = await _budget_reads(
        ctx, [await ctx.get(PlacementBudget, budget_id, "placement budget")]
    )
    return read


async def put_budget(
    ctx: Ctx, data: PlacementBudgetWrite
) -> tuple[PlacementBudgetRead, Literal["created", "updated", "unchanged"]]:
    await ensure_standard_categories(ctx)
    raw = data.model_dump(exclude_none=True)
    lookups = await resolve(ctx, [raw])
    errors: list[tuple[str, str, str]] = []
    found = check_references(lookups, data, lambda *e: errors.append(e))
    if any(code == "outside_subtree" for _, code, _ in errors):
        raise Forbidden(OUTSIDE_SUBTREE)
    if found is None:
        name, code, message = errors[0]
        raise Unprocessable.for_field(f"body.{name}", code, message)
    category, unit, _ = found
    values = {
        "care_days": data.care_days,
        "amount_ore": to_ore(data.amount),
        "expected_inflow_ore": to_ore(data.expected_inflow)
        if data.expected_inflow is not None
        else None,
        "comment": data.comment,
    }
    budget = await ctx.session.scalar(
        select(PlacementBudget).where(
            PlacementBudget.category_id == category.id,
            PlacementBudget.org_unit_id == unit.id,
            PlacementBudget.year == data.year,
        )
    )
    result: Literal["created", "updated", "unchanged"]
    if budget is None:
        budget = PlacementBudget(
            municipality_id=ctx.municipality_id,
            category_id=category.id,
            org_unit_id=unit.id,
            year=data.year,
            **values,
        )
        ctx.session.add(budget)
        result = "created"
    elif all(getattr(budget, k) == v for k, v in values.items()):
        result = "unchanged"
    else:
        for key, value in values.items():
            setattr(budget, key, value)
        result = "updated"
    await ctx.commit()
    [read] = await _budget_reads(ctx, [budget])
    return read, result


async def delete_budget(ctx: Ctx, budget_id: uuid.UUID) -> None:
    budget = await ctx.get(PlacementBudget, budget_id, "placement budget")
    await ensure_may_write(ctx, budget.org_unit_id)
    await ctx.session.delete(budget)
    await ctx.commit()
