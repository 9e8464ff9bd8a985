"""Action plans with items and dated follow-up notes; which follow-ups are overdue on a date.

Decisions where DOMAIN.md is silent:

* An item's status changes only through follow-up notes: the latest note (by date) sets it, as for
  assignments. Reading "as of" a date uses the notes up to that date.
* An item's follow-up on a date is ``closed`` when its status then is done or cancelled;
  ``followed_up`` when a note is dated on or after the first day of its follow-up month;
  otherwise ``upcoming`` before that month, ``due`` within it and ``overdue`` after it.
* A plan with items cannot be deleted (409); deleting an item deletes its notes (each audited).
* A credential limited to an org unit writes follow-up notes only for plans owned in its subtree.
"""

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import exists, func, select

from app.actionplans.models import ActionPlan, ActionPlanFollowUp, ActionPlanItem, ItemStatus
from app.actionplans.schemas import (
    ActionPlanCreate,
    ActionPlanRead,
    ActionPlanUpdate,
    FollowUpCreate,
    FollowUpDue,
    FollowUpOverview,
    FollowUpRead,
    FollowUpState,
    FollowUpStateCounts,
    ItemCreate,
    ItemRead,
    ItemUpdate,
)
from app.auth.deps import Ctx
from app.errors import Conflict, NotFound, Unprocessable
from app.measurements.service import ensure_may_write
from app.orgunits.models import OrgUnit
from app.pagination import Keyset, PageParams
from app.periods import Period

KEYSET = Keyset(
    columns={
        "year": ActionPlan.year,
        "title": ActionPlan.title,
        "created_at": ActionPlan.created_at,
    },
    id_column=ActionPlan.id,
    default="-year",
)
PLAN_CLEARABLE = frozenset({"reference", "adopted_on", "decision_ref", "background"})
CLOSED = frozenset({ItemStatus.DONE.value, ItemStatus.CANCELLED.value})


def follow_up_state(
    follow_up_month: str, notes: Sequence[ActionPlanFollowUp], on: date
) -> FollowUpState:
    """Where the item's follow-up stands on ``on``, from its notes up to that date."""
    month = Period.parse(follow_up_month)
    known = sorted((n for n in notes if n.noted_on <= on), key=lambda n: n.noted_on)
    if known and known[-1].status in CLOSED:
        return FollowUpState.CLOSED
    if any(n.noted_on >= month.start for n in known):
        return FollowUpState.FOLLOWED_UP
    if on < month.start:
        return FollowUpState.UPCOMING
    if on <= month.end:
        return FollowUpState.DUE
    return FollowUpState.OVERDUE


@dataclass(frozen=True)
class PlanFilter:
    owner_id: uuid.UUID | None = None
    year: int | None = None


def _item_read(item: ActionPlanItem, notes: list[ActionPlanFollowUp], on: date) -> ItemRead:
    return ItemRead(
        id=item.id,
        plan_id=item.plan_id,
        number=item.number,
        area=item.area,
        objective=item.objective,
        approach=item.approach,
        target_group=item.target_group,
        responsible_role=item.responsible_role,
        follow_up_month=item.follow_up_month,
        follow_up_due_on=Period.parse(item.follow_up_month).end,
        follow_up_state=follow_up_state(item.follow_up_month, notes, on),
        status=ItemStatus(item.status),
        follow_ups=[FollowUpRead.model_validate(n) for n in notes],
        created_at=item.created_at,
        updated_at=item.updated_at,
    )


async def _items(ctx: Ctx, plan_ids: Sequence[uuid.UUID]) -> list[ActionPlanItem]:
    if not plan_ids:
        return []
    return list(
        (
            await ctx.session.scalars(
                select(ActionPlanItem)
                .where(ActionPlanItem.plan_id.in_(plan_ids))
                .order_by(ActionPlanItem.plan_id, ActionPlanItem.number)
            )
        ).all()
    )


async def _notes(
    ctx: Ctx, item_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[ActionPlanFollowUp]]:
    by_item: dict[uuid.UUID, list[ActionPlanFollowUp]] = defaultdict(list)
    if not item_ids:
        return by_item
    rows = await ctx.session.scalars(
        select(ActionPlanFollowUp)
        .where(ActionPlanFollowUp.item_id.in_(item_ids))
        .order_by(ActionPlanFollowUp.noted_on, ActionPlanFollowUp.created_at)
    )
    for row in rows:
        by_item[row.item_id].append(row)
    return by_item


async def _reads(ctx: Ctx, plans: Sequence[ActionPlan], on: date) -> list[ActionPlanRead]:
    items = await _items(ctx, [p.id for p in plans])
    notes = await _notes(ctx, [i.id for i in items])
    by_plan: dict[uuid.UUID, list[ItemRead]] = defaultdict(list)
    for item in items:
        by_plan[item.plan_id].append(_item_read(item, notes[item.id], on))
    return [
        ActionPlanRead(
            id=plan.id,
            owner_id=plan.owner_id,
            year=plan.year,
            title=plan.title,
            reference=plan.reference,
            adopted_on=plan.adopted_on,
            decision_ref=plan.decision_ref,
            background=plan.background,
            items=by_plan[plan.id],
            created_at=plan.created_at,
            updated_at=plan.updated_at,
        )
        for plan in plans
    ]


async def get_plan(ctx: Ctx, plan_id: uuid.UUID) -> ActionPlan:
    return await ctx.get(ActionPlan, plan_id, "action plan")


async def read_plan(ctx: Ctx, plan_id: uuid.UUID, on: date) -> ActionPlanRead:
    return (await _reads(ctx, [await get_plan(ctx, plan_id)], on))[0]


async def list_plans(
    ctx: Ctx, f: PlanFilter, page: PageParams, sort: str, on: date
) -> tuple[list[ActionPlanRead], str | None]:
    stmt = select(ActionPlan)
    if f.owner_id is not None:
        stmt = stmt.where(ActionPlan.owner_id == f.owner_id)
    if f.year is not None:
        stmt = stmt.where(ActionPlan.year == f.year)
    rows = (await ctx.session.scalars(KEYSET.apply(stmt, sort, page.cursor, page.limit))).all()
    plans, next_cursor = KEYSET.page(rows, sort, page.limit)
    return await _reads(ctx, plans, on), next_cursor


async def find_plan(ctx: Ctx, owner_id: uuid.UUID, year: int, title: str) -> ActionPlan | None:
    return await ctx.session.scalar(
        select(ActionPlan).where(
            ActionPlan.owner_id == owner_id, ActionPlan.year == year, ActionPlan.title == title
        )
    )


def _new_item(ctx: Ctx, plan_id: uuid.UUID, number: int, data: ItemCreate) -> ActionPlanItem:
    return ActionPlanItem(
        municipality_id=ctx.municipality_id,
        plan_id=plan_id,
        number=number,
        status=ItemStatus.NOT_STARTED.value,
        **data.model_dump(exclude={"number"}),
    )


async def create_plan(ctx: Ctx, data: ActionPlanCreate) -> ActionPlanRead:
    if await ctx.session.get(OrgUnit, data.owner_id) is None:
        raise Unprocessable.for_field("body.owner_id", "not_found", "owner org unit not found")
    if await find_plan(ctx, data.owner_id, data.year, data.title) is not None:
        raise Conflict(f"an action plan '{data.title}' for {data.year} already exists")
    numbers: list[int] = []
    for i, item in enumerate(data.items):
        number = item.number if item.number is not None else max(numbers, default=0) + 1
        if number in numbers:
            raise Unprocessable.for_field(
                f"body.items.{i}.number", "duplicate", f"item number {number} is used twice"
            )
        numbers.append(number)
    plan = ActionPlan(municipality_id=ctx.municipality_id, **data.model_dump(exclude={"items"}))
    ctx.session.add(plan)
    await ctx.session.flush()
    for number, item in zip(numbers, data.items, strict=True):
        ctx.session.add(_new_item(ctx, plan.id, number, item))
    await ctx.commit()
    return (await _reads(ctx, [plan], date.today()))[0]


async def update_plan(ctx: Ctx, plan_id: uuid.UUID, data: ActionPlanUpdate) -> ActionPlanRead:
    plan = await get_plan(ctx, plan_id)
    changes = {
        key: value
        for key, value in data.model_dump(exclude_unset=True).items()
        if value is not None or key in PLAN_CLEARABLE
    }
    title = changes.get("title", plan.title)
    if title != plan.title:
        other = await find_plan(ctx, plan.owner_id, plan.year, title)
        if other is not None:
            raise Conflict(f"an action plan '{title}' for {plan.year} already exists")
    for key, value in changes.items():
        if getattr(plan, key) != value:
            setattr(plan, key, value)
    await ctx.commit()
    return (await _reads(ctx, [plan], date.today()))[0]


async def delete_plan(ctx: Ctx, plan_id: uuid.UUID) -> None:
    plan = await get_plan(ctx, plan_id)
    if await ctx.session.scalar(select(exists().where(ActionPlanItem.plan_id == plan.id))):
        raise Conflict("the action plan has items; delete them first")
    await ctx.session.delete(plan)
    await ctx.commit()


# Items ------------------------------------------------------------------------------------------


async def _get_item(ctx: Ctx, plan_id: uuid.UUID, item_id: uuid.UUID) -> ActionPlanItem:
    item = await ctx.get(ActionPlanItem, item_id, "action plan item")
    if item.plan_id != plan_id:
        raise NotFound("action plan item not found")
    return item


async def _check_number_free(
    ctx: Ctx, plan_id: uuid.UUID, number: int, except_id: uuid.UUID | None = None
) -> None:
    stmt = select(ActionPlanItem.id).where(
        ActionPlanItem.plan_id == plan_id, ActionPlanItem.number == number
    )
    if except_id is not None:
        stmt = stmt.where(ActionPlanItem.id != except_id)
    if await ctx.session.scalar(stmt) is not None:
        raise Conflict(f"the action plan already has an item number {number}")


async def _item_read_now(ctx: Ctx, item: ActionPlanItem, on: date) -> ItemRead:
    return _item_read(item, (await _notes(ctx, [item.id]))[item.id], on)


async def get_item(ctx: Ctx, plan_id: uuid.UUID, item_id: uuid.UUID, on: date) -> ItemRead:
    return await _item_read_now(ctx, await _get_item(ctx, plan_id, item_id), on)


async def add_item(ctx: Ctx, plan_id: uuid.UUID, data: ItemCreate) -> ItemRead:
    plan = await get_plan(ctx, plan_id)
    if data.number is None:
        highest = await ctx.session.scalar(
            select(func.max(ActionPlanItem.number)).where(ActionPlanItem.plan_id == plan.id)
        )
        number = int(highest or 0) + 1
    else:
        number = data.number
        await _check_number_free(ctx, plan.id, number)
    item = _new_item(ctx, plan.id, number, data)
    ctx.session.add(item)
    await ctx.commit()
    return _item_read(item, [], date.today())


async def update_item(
    ctx: Ctx, plan_id: uuid.UUID, item_id: uuid.UUID, data: ItemUpdate
) -> ItemRead:
    item = await _get_item(ctx, plan_id, item_id)
    changes: dict[str, Any] = {
        key: value
        for key, value in data.model_dump(exclude_unset=True).items()
        if value is not None or key == "approach"
    }
    if "number" in changes:
        await _check_number_free(ctx, item.plan_id, changes["number"], item.id)
    for key, value in changes.items():
        if getattr(item, key) != value:
            setattr(item, key, value)
    await ctx.commit()
    return await _item_read_now(ctx, item, date.today())


async def delete_item(ctx: Ctx, plan_id: uuid.UUID, item_id: uuid.UUID) -> None:
    item = await _get_item(ctx, plan_id, item_id)
    for note in (await _notes(ctx, [item.id]))[item.id]:
        await ctx.session.delete(note)
    await ctx.session.flush()  # the notes first: without a relationship the order is not given
    await ctx.session.delete(item)
    await ctx.commit()


async def add_follow_up(
    ctx: Ctx, plan_id: uuid.UUID, item_id: uuid.UUID, data: FollowUpCreate
) -> ItemRead:
    """A dated note; the latest note (by date) sets the item's status."""
    item = await _get_item(ctx, plan_id, item_id)
    plan = await get_plan(ctx, item.plan_id)
    await ensure_may_write(ctx, plan.owner_id)
    ctx.session.add(
        ActionPlanFollowUp(
            municipality_id=ctx.municipality_id,
            item_id=item.id,
            noted_on=data.noted_on,
            status=data.status.value,
            comment=data.comment,
            noted_by=ctx.principal.actor,
        )
    )
    await ctx.session.flush()
    latest = await ctx.session.scalar(
        select(ActionPlanFollowUp.status)
        .where(ActionPlanFollowUp.item_id == item.id)
        .order_by(ActionPlanFollowUp.noted_on.desc(), ActionPlanFollowUp.created_at.desc())
        .limit(1)
    )
    if latest is not None and latest != item.status:
        item.status = latest
    await ctx.commit()
    return await _item_read_now(ctx, item, date.today())


async def follow_ups(
    ctx: Ctx,
    on: date,
    *,
    owner_id: uuid.UUID | None = None,
    year: int | None = None,
    state: FollowUpState | None = None,
) -> FollowUpOverview:
    """Every item of the matching plans with its follow-up state on ``on``, by due date."""
    stmt = select(ActionPlan)
    if owner_id is not None:
        stmt = stmt.where(ActionPlan.owner_id == owner_id)
    if year is not None:
        stmt = stmt.where(ActionPlan.year == year)
    plans = {p.id: p for p in (await ctx.session.scalars(stmt)).all()}
    items = await _items(ctx, list(plans))
    notes = await _notes(ctx, [i.id for i in items])
    counts = FollowUpStateCounts()
    listed = []
    for item in items:
        read = _item_read(item, notes[item.id], on)
        current = read.follow_up_state
        setattr(counts, current.value, getattr(counts, current.value) + 1)
        if state is None or current == state:
            plan = plans[item.plan_id]
            listed.append(FollowUpDue(plan_id=plan.id, plan_title=plan.title, item=read))
    listed.sort(key=lambda d: (d.item.follow_up_due_on, d.plan_title, d.item.number))
    return FollowUpOverview(on=on, counts=counts, items=listed)
