"""Budget frames (kommunbidrag) per committee and year, their adjustments, and the balance check.

* The **change** is measured from ``previous_amount`` when the decision states it, else from the
  committee's frame of the previous year. The adjustments (index, pensions, efficiency
  requirement, volume, other) explain it; what they leave over is reported as ``unexplained``
  (seed 003's table explains 1 598 of the 1 600 tkr change: its rows are rounded).
* **Budget i balans**: the budget lines in allocation categories (kommunbidrag) of the
  committee's whole subtree — the committee's own included, e.g. "Nämnd" — for the frame's year
  sum to the frame. Plan years, which have plan lines only, are checked against those. The
  answer states the difference rather than refusing: a committee may be mid-way through
  allocating.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import func, select

from app.auth.deps import Ctx
from app.budget.models import (
    AdjustmentKind,
    BudgetCategory,
    BudgetFrame,
    BudgetFrameAdjustment,
    BudgetLine,
    Scenario,
)
from app.budget.money import to_ore, to_sek
from app.budget.schemas import (
    AdjustmentRead,
    Allocation,
    BudgetFrameCreate,
    BudgetFrameRead,
    BudgetFrameReplace,
    FrameBalance,
)
from app.errors import Conflict, Unprocessable
from app.orgunits.models import OrgUnit, OrgUnitKind
from app.orgunits.service import subtree_ids
from app.pagination import Keyset, PageParams

KEYSET = Keyset(
    columns={"year": BudgetFrame.year, "created_at": BudgetFrame.created_at},
    id_column=BudgetFrame.id,
    default="-year",
)


@dataclass(frozen=True)
class FrameFilter:
    org_unit_id: uuid.UUID | None = None
    year: int | None = None


async def _committee(ctx: Ctx, org_unit_id: uuid.UUID) -> OrgUnit:
    unit = await ctx.session.get(OrgUnit, org_unit_id)
    if unit is None or unit.municipality_id != ctx.municipality_id:
        raise Unprocessable.for_field("body.org_unit_id", "not_found", "org unit not found")
    if unit.kind != OrgUnitKind.COMMITTEE:
        raise Unprocessable.for_field(
            "body.org_unit_id", "not_a_committee", "a budget frame belongs to a committee"
        )
    return unit


async def _read_many(ctx: Ctx, found: Sequence[BudgetFrame]) -> list[BudgetFrameRead]:
    """Frames with their committee's code, adjustments and previous year: three queries for
    any number of frames."""
    if not found:
        return []
    units = {f.org_unit_id for f in found}
    rows = await ctx.session.execute(select(OrgUnit.id, OrgUnit.code).where(OrgUnit.id.in_(units)))
    codes: dict[uuid.UUID, str] = {row.id: row.code for row in rows}
    adjustments: dict[uuid.UUID, list[BudgetFrameAdjustment]] = {f.id: [] for f in found}
    for adjustment in await ctx.session.scalars(
        select(BudgetFrameAdjustment)
        .where(BudgetFrameAdjustment.frame_id.in_(adjustments))
        .order_by(BudgetFrameAdjustment.position)
    ):
        adjustments[adjustment.frame_id].append(adjustment)
    earlier = {
        (unit, year): amount
        for unit, year, amount in await ctx.session.execute(
            select(BudgetFrame.org_unit_id, BudgetFrame.year, BudgetFrame.amount_ore).where(
                BudgetFrame.org_unit_id.in_(units),
                BudgetFrame.year.in_({f.year - 1 for f in found}),
            )
        )
    }
    return [
        _read(
            f,
            codes.get(f.org_unit_id, ""),
            adjustments[f.id],
            earlier.get((f.org_unit_id, f.year - 1)),
        )
        for f in found
    ]


def _read(
    frame: BudgetFrame,
    code: str,
    adjustments: Sequence[BudgetFrameAdjustment],
    previous_frame: int | None,
) -> BudgetFrameRead:
    previous = frame.previous_amount_ore
    source: Literal["stated", "previous_frame"] = "stated"
    if previous is None:
        previous, source = previous_frame, "previous_frame"
    explained = sum(a.amount_ore for a in adjustments)
    change = None if previous is None else frame.amount_ore - previous
    return BudgetFrameRead(
        id=frame.id,
        org_unit_id=frame.org_unit_id,
        org_unit_code=code,
        year=frame.year,
        amount=to_sek(frame.amount_ore),
        previous_amount=None if previous is None else to_sek(previous),
        previous_source=None if previous is None else source,
        change=None if change is None else to_sek(change),
        explained=to_sek(explained),
        unexplained=None if change is None else to_sek(change - explained),
        decision_ref=frame.decision_ref,
        decided_on=frame.decided_on,
        comment=frame.comment,
        adjustments=[
            AdjustmentRead(
                id=a.id,
                kind=AdjustmentKind(a.kind),
                description=a.description,
                amount=to_sek(a.amount_ore),
            )
            for a in adjustments
        ],
        created_at=frame.created_at,
        updated_at=frame.updated_at,
    )


async def list_frames(
    ctx: Ctx, f: FrameFilter, page: PageParams, sort: str
) -> tuple[list[BudgetFrameRead], str | None]:
    stmt = select(BudgetFrame)
    if f.org_unit_id is not None:
        stmt = stmt.where(BudgetFrame.org_unit_id == f.org_unit_id)
    if f.year is not None:
        stmt = stmt.where(BudgetFrame.year == f.year)
    rows = (await ctx.session.scalars(KEYSET.apply(stmt, sort, page.cursor, page.limit))).all()
    items, next_cursor = KEYSET.page(rows, sort, page.limit)
    return await _read_many(ctx, items), next_cursor


async def _read_one(ctx: Ctx, frame: BudgetFrame) -> BudgetFrameRead:
    [read] = await _read_many(ctx, [frame])
    return read


async def get(ctx: Ctx, frame_id: uuid.UUID) -> BudgetFrameRead:
    return await _read_one(ctx, await ctx.get(BudgetFrame, frame_id, "budget frame"))


async def _apply(ctx: Ctx, frame: BudgetFrame, data: BudgetFrameReplace) -> None:
    """Set the frame's fields and add its adjustments (after the frame is flushed)."""
    frame.amount_ore = to_ore(data.amount)
    frame.previous_amount_ore = (
        None if data.previous_amount is None else to_ore(data.previous_amount)
    )
    frame.decision_ref = data.decision_ref
    frame.decided_on = data.decided_on
    frame.comment = data.comment
    ctx.session.add(frame)
    await ctx.session.flush()
    for position, adjustment in enumerate(data.adjustments, start=1):
        ctx.session.add(
            BudgetFrameAdjustment(
                municipality_id=ctx.municipality_id,
                frame_id=frame.id,
                position=position,
                kind=adjustment.kind.value,
                description=adjustment.description,
                amount_ore=to_ore(adjustment.amount),
            )
        )


async def create(ctx: Ctx, data: BudgetFrameCreate) -> BudgetFrameRead:
    await _committee(ctx, data.org_unit_id)
    taken = await ctx.session.scalar(
        select(BudgetFrame.id).where(
            BudgetFrame.org_unit_id == data.org_unit_id, BudgetFrame.year == data.year
        )
    )
    if taken is not None:
        raise Conflict(f"the committee already has a budget frame for {data.year}")
    frame = BudgetFrame(
        municipality_id=ctx.municipality_id, org_unit_id=data.org_unit_id, year=data.year
    )
    await _apply(ctx, frame, data)
    await ctx.commit()
    return await _read_one(ctx, frame)


async def replace(ctx: Ctx, frame_id: uuid.UUID, data: BudgetFrameReplace) -> BudgetFrameRead:
    frame = await ctx.get(BudgetFrame, frame_id, "budget frame")
    for adjustment in await ctx.session.scalars(
        select(BudgetFrameAdjustment).where(BudgetFrameAdjustment.frame_id == frame.id)
    ):
        await ctx.session.delete(adjustment)
    await ctx.session.flush()
    await _apply(ctx, frame, data)
    await ctx.commit()
    return await _read_one(ctx, frame)


async def delete(ctx: Ctx, frame_id: uuid.UUID) -> None:
    frame = await ctx.get(BudgetFrame, frame_id, "budget frame")
    for adjustment in await ctx.session.scalars(
        select(BudgetFrameAdjustment).where(BudgetFrameAdjustment.frame_id == frame.id)
    ):
        await ctx.session.delete(adjustment)
    await ctx.session.flush()
    await ctx.session.delete(frame)
    await ctx.commit()


async def balance(ctx: Ctx, frame_id: uuid.UUID) -> FrameBalance:
    """The allocations to the committee's units against its frame, with the difference."""
    frame = await ctx.get(BudgetFrame, frame_id, "budget frame")
    line, category = BudgetLine, BudgetCategory
    per_unit = (
        select(
            line.scenario,
            OrgUnit.id,
            OrgUnit.code,
            OrgUnit.name,
            func.sum(line.amount_ore),
        )
        .join(category, category.id == line.category_id)
        .join(OrgUnit, OrgUnit.id == line.org_unit_id)
        .where(
            category.is_allocation.is_(True),
            line.year == frame.year,
            line.scenario.in_([Scenario.BUDGET.value, Scenario.PLAN.value]),
            line.org_unit_id.in_(subtree_ids(frame.org_unit_id)),
        )
        .group_by(line.scenario, OrgUnit.id, OrgUnit.code, OrgUnit.name)
        .order_by(OrgUnit.code)
    )
    rows = (await ctx.session.execute(per_unit)).all()
    scenarios = {r[0] for r in rows}
    scenario = (
        Scenario.BUDGET
        if Scenario.BUDGET.value in scenarios
        else (Scenario.PLAN if scenarios else None)
    )
    counted = [r for r in rows if scenario is not None and r[0] == scenario.value]
    allocated = sum(int(r[4]) for r in counted)
    difference = allocated - frame.amount_ore
    return FrameBalance(
        frame_id=frame.id,
        org_unit_id=frame.org_unit_id,
        year=frame.year,
        frame=to_sek(frame.amount_ore),
        scenario=scenario,
        allocated=to_sek(allocated),
        difference=to_sek(difference),
        balanced=difference == 0,
        allocations=[
            Allocation(
                org_unit_id=r[1], org_unit_code=r[2], org_unit_name=r[3], amount=to_sek(r[4])
            )
            for r in counted
        ],
    )
