"""Goals, their indicator links and the goal tree; assignments with dated progress."""

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import TypeAdapter
from sqlalchemy import exists, select

from app.auth.deps import Ctx
from app.errors import Conflict, Unprocessable
from app.goals.models import (
    Assignment,
    AssignmentOrigin,
    AssignmentProgress,
    AssignmentStatus,
    Goal,
    GoalIndicator,
    GoalLevel,
    ReportAt,
)
from app.goals.schemas import (
    AssignmentCreate,
    AssignmentRead,
    AssignmentUpdate,
    GoalCreate,
    GoalIndicatorLink,
    GoalNode,
    GoalRead,
    GoalRule,
    GoalUpdate,
    ProgressCreate,
    ProgressRead,
)
from app.indicators.models import Indicator
from app.orgunits.models import OrgUnit
from app.pagination import Keyset, PageParams

KEYSET = Keyset(
    columns={"code": Goal.code, "created_at": Goal.created_at}, id_column=Goal.id, default="code"
)
RULE = TypeAdapter[GoalRule](GoalRule)
# PATCH: null clears these; for the other fields null means "unchanged".
CLEARABLE = frozenset({"description", "direction", "goal_area", "related_plans"})
# A goal's parent sits higher: council above committee above unit.
LEVEL_RANK = {GoalLevel.COUNCIL.value: 0, GoalLevel.COMMITTEE.value: 1, GoalLevel.UNIT.value: 2}


@dataclass(frozen=True)
class GoalFilter:
    level: GoalLevel | None = None
    owner_id: uuid.UUID | None = None
    parent_id: uuid.UUID | None = None
    year: int | None = None
    goal_area: str | None = None


def _filtered(f: GoalFilter) -> Any:
    stmt = select(Goal)
    if f.level is not None:
        stmt = stmt.where(Goal.level == f.level.value)
    if f.owner_id is not None:
        stmt = stmt.where(Goal.owner_id == f.owner_id)
    if f.parent_id is not None:
        stmt = stmt.where(Goal.parent_id == f.parent_id)
    if f.year is not None:
        stmt = stmt.where(Goal.valid_from_year <= f.year, Goal.valid_to_year >= f.year)
    if f.goal_area is not None:
        stmt = stmt.where(Goal.goal_area == f.goal_area)
    return stmt


async def _links(
    ctx: Ctx, goal_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[GoalIndicatorLink]]:
    by_goal: dict[uuid.UUID, list[GoalIndicatorLink]] = defaultdict(list)
    if not goal_ids:
        return by_goal
    rows = await ctx.session.execute(
        select(GoalIndicator.goal_id, GoalIndicator.indicator_id, GoalIndicator.weight)
        .join(Indicator, Indicator.id == GoalIndicator.indicator_id)
        .where(GoalIndicator.goal_id.in_(goal_ids))
        .order_by(Indicator.code)
    )
    for goal_id, indicator_id, weight in rows:
        by_goal[goal_id].append(GoalIndicatorLink(indicator_id=indicator_id, weight=weight))
    return by_goal


def _read(goal: Goal, links: list[GoalIndicatorLink]) -> GoalRead:
    return GoalRead(
        id=goal.id,
        level=GoalLevel(goal.level),
        code=goal.code,
        title=goal.title,
        description=goal.description,
        direction=goal.direction,
        goal_area=goal.goal_area,
        owner_id=goal.owner_id,
        parent_id=goal.parent_id,
        valid_from_year=goal.valid_from_year,
        valid_to_year=goal.valid_to_year,
        related_plans=list(goal.related_plans or []),
        rule=RULE.validate_python(goal.rule),
        indicators=links,
        created_at=goal.created_at,
        updated_at=goal.updated_at,
    )


async def read(ctx: Ctx, goal: Goal) -> GoalRead:
    return _read(goal, (await _links(ctx, [goal.id]))[goal.id])


async def get(ctx: Ctx, goal_id: uuid.UUID) -> Goal:
    return await ctx.get(Goal, goal_id, "goal")


async def list_goals(
    ctx: Ctx, f: GoalFilter, page: PageParams, sort: str
) -> tuple[list[GoalRead], str | None]:
    rows = (
        await ctx.session.scalars(KEYSET.apply(_filtered(f), sort, page.cursor, page.limit))
    ).all()
    goals, next_cursor = KEYSET.page(rows, sort, page.limit)
    links = await _links(ctx, [g.id for g in goals])
    return [_read(g, links[g.id]) for g in goals], next_cursor


async def tree(ctx: Ctx, f: GoalFilter) -> list[GoalNode]:
    """Goals as a tree (council → committee → unit) with their indicators, in two queries."""
    goals = (await ctx.session.scalars(_filtered(f).order_by(Goal.code))).all()
    links = await _links(ctx, [g.id for g in goals])
    nodes = {g.id: GoalNode(**_read(g, links[g.id]).model_dump()) for g in goals}
    roots: list[GoalNode] = []
    for goal in goals:
        parent = nodes.get(goal.parent_id) if goal.parent_id else None
        (parent.children if parent else roots).append(nodes[goal.id])
    return roots


async def _check_owner(ctx: Ctx, owner_id: uuid.UUID) -> None:
    if await ctx.session.get(OrgUnit, owner_id) is None:
        raise Unprocessable.for_field("body.owner_id", "not_found", "owner org unit not found")


async def _check_parent(ctx: Ctx, level: str, parent_id: uuid.UUID | None) -> None:
    if parent_id is None:
        return
    parent = await ctx.session.get(Goal, parent_id)
    if parent is None:
        raise Unprocessable.for_field("body.parent_id", "not_found", "parent goal not found")
    if LEVEL_RANK[parent.level] >= LEVEL_RANK[level]:
        raise Unprocessable.for_field(
            "body.parent_id",
            "level_order",
            f"a {level} goal cannot sit under a {parent.level} goal",
        )


async def _check_code_free(ctx: Ctx, code: str, year: int, except_id: uuid.UUID | None) -> None:
    stmt = select(Goal.id).where(Goal.code == code, Goal.valid_from_year == year)
    if except_id is not None:
        stmt = stmt.where(Goal.id != except_id)
    if await ctx.session.scalar(stmt) is not None:
        raise Conflict(f"a goal with code '{code}' starting {year} already exists")


async def _check_indicators(ctx: Ctx, links: Sequence[GoalIndicatorLink], field: str) -> None:
    wanted = {link.indicator_id for link in links}
    if not wanted:
        return
    found = set(
        (await ctx.session.scalars(select(Indicator.id).where(Indicator.id.in_(wanted)))).all()
    )
    if missing := wanted - found:
        raise Unprocessable.for_field(
            field,
            "not_found",
            f"{len(missing)} indicator(s) not found: {sorted(map(str, missing))}",
        )


async def create(ctx: Ctx, data: GoalCreate) -> GoalRead:
    await _check_owner(ctx, data.owner_id)
    await _check_parent(ctx, data.level.value, data.parent_id)
    await _check_code_free(ctx, data.code, data.valid_from_year, None)
    await _check_indicators(ctx, data.indicators, "body.indicators")
    goal = Goal(
        municipality_id=ctx.municipality_id,
        level=data.level.value,
        code=data.code,
        title=data.title,
        description=data.description,
        direction=data.direction,
        goal_area=data.goal_area,
        owner_id=data.owner_id,
        parent_id=data.parent_id,
        valid_from_year=data.valid_from_year,
        valid_to_year=data.valid_to_year,
        related_plans=data.related_plans or [],
        rule=data.rule.model_dump(mode="json"),
    )
    ctx.session.add(goal)
    await ctx.session.flush()
    _add_links(ctx, goal.id, data.indicators)
    await ctx.commit()
    return await read(ctx, goal)


def _add_links(ctx: Ctx, goal_id: uuid.UUID, links: Sequence[GoalIndicatorLink]) -> None:
    for link in links:
        ctx.session.add(
            GoalIndicator(
                municipality_id=ctx.municipality_id,
                goal_id=goal_id,
                indicator_id=link.indicator_id,
                weight=link.weight,
            )
        )


async def update(ctx: Ctx, goal_id: uuid.UUID, data: GoalUpdate) -> GoalRead:
    goal = await get(ctx, goal_id)
    changes = {
        key: value
        for key, value in data.model_dump(exclude_unset=True, exclude={"rule"}).items()
        if value is not None or key in CLEARABLE
    }
    if "related_plans" in changes and changes["related_plans"] is None:
        changes["related_plans"] = []
    if data.rule is not None:
        changes["rule"] = data.rule.model_dump(mode="json")
    start = changes.get("valid_from_year", goal.valid_from_year)
    end = changes.get("valid_to_year", goal.valid_to_year)
    if end < start:
        raise Unprocessable.for_field(
            "body.valid_to_year", "before_valid_from", "valid_to_year is before valid_from_year"
        )
    if "owner_id" in changes:
        await _check_owner(ctx, changes["owner_id"])
    if "code" in changes or "valid_from_year" in changes:
        await _check_code_free(ctx, changes.get("code", goal.code), start, goal.id)
    for key, value in changes.items():
        setattr(goal, key, value)
    await ctx.commit()
    return await read(ctx, goal)


async def set_indicators(
    ctx: Ctx, goal_id: uuid.UUID, links: Sequence[GoalIndicatorLink]
) -> GoalRead:
    """Replace the goal's indicators and weights; unchanged links stay as they are."""
    goal = await get(ctx, goal_id)
    ids = [link.indicator_id for link in links]
    if len(ids) != len(set(ids)):
        raise Unprocessable.for_field("body", "duplicate", "an indicator is linked twice")
    await _check_indicators(ctx, links, "body")
    existing = {
        row.indicator_id: row
        for row in (
            await ctx.session.scalars(select(GoalIndicator).where(GoalIndicator.goal_id == goal.id))
        ).all()
    }
    wanted = {link.indicator_id: link for link in links}
    for indicator_id, row in existing.items():
        if indicator_id not in wanted:
            await ctx.session.delete(row)
        elif row.weight != wanted[indicator_id].weight:
            row.weight = wanted[indicator_id].weight
    _add_links(ctx, goal.id, [link for i, link in wanted.items() if i not in existing])
    await ctx.commit()
    return await read(ctx, goal)


async def delete_goal(ctx: Ctx, goal_id: uuid.UUID) -> None:
    goal = await get(ctx, goal_id)
    if await ctx.session.scalar(select(exists().where(Goal.parent_id == goal.id))):
        raise Conflict("the goal has child goals; delete or move them first")
    if await ctx.session.scalar(select(exists().where(Assignment.goal_id == goal.id))):
        raise Conflict("the goal has assignments; delete them first")
    for link in (
        await ctx.session.scalars(select(GoalIndicator).where(GoalIndicator.goal_id == goal.id))
    ).all():
        await ctx.session.delete(link)
    # The links first: without a relationship the unit of work may order the deletes either way.
    await ctx.session.flush()
    await ctx.session.delete(goal)
    await ctx.commit()


# Assignments ------------------------------------------------------------------------------------


async def _assignment_read(ctx: Ctx, assignment: Assignment) -> AssignmentRead:
    notes = (
        await ctx.session.scalars(
            select(AssignmentProgress)
            .where(AssignmentProgress.assignment_id == assignment.id)
            .order_by(AssignmentProgress.noted_on, AssignmentProgress.created_at)
        )
    ).all()
    return AssignmentRead(
        id=assignment.id,
        goal_id=assignment.goal_id,
        origin=AssignmentOrigin(assignment.origin),
        text=assignment.text,
        report_at=ReportAt(assignment.report_at),
        report_to_council=assignment.report_to_council,
        status=AssignmentStatus(assignment.status),
        progress=[ProgressRead.model_validate(n) for n in notes],
        created_at=assignment.created_at,
        updated_at=assignment.updated_at,
    )


async def get_assignment(ctx: Ctx, assignment_id: uuid.UUID) -> AssignmentRead:
    return await _assignment_read(ctx, await ctx.get(Assignment, assignment_id, "assignment"))


async def list_assignments(
    ctx: Ctx, goal_id: uuid.UUID | None, status: str | None, report_to_council: bool | None
) -> list[AssignmentRead]:
    stmt = select(Assignment).order_by(Assignment.created_at, Assignment.id)
    if goal_id is not None:
        stmt = stmt.where(Assignment.goal_id == goal_id)
    if status is not None:
        stmt = stmt.where(Assignment.status == status)
    if report_to_council is not None:
        stmt = stmt.where(Assignment.report_to_council == report_to_council)
    return [await _assignment_read(ctx, a) for a in (await ctx.session.scalars(stmt)).all()]


async def create_assignment(ctx: Ctx, data: AssignmentCreate) -> AssignmentRead:
    if await ctx.session.get(Goal, data.goal_id) is None:
        raise Unprocessable.for_field("body.goal_id", "not_found", "goal not found")
    assignment = Assignment(municipality_id=ctx.municipality_id, **data.model_dump())
    ctx.session.add(assignment)
    await ctx.commit()
    return await _assignment_read(ctx, assignment)


async def update_assignment(
    ctx: Ctx, assignment_id: uuid.UUID, data: AssignmentUpdate
) -> AssignmentRead:
    assignment = await ctx.get(Assignment, assignment_id, "assignment")
    for key, value in data.model_dump(exclude_unset=True, exclude_none=True).items():
        setattr(assignment, key, value)
    await ctx.commit()
    return await _assignment_read(ctx, assignment)


async def add_progress(ctx: Ctx, assignment_id: uuid.UUID, data: ProgressCreate) -> AssignmentRead:
    """A dated note; the latest note (by date) sets the assignment's status."""
    assignment = await ctx.get(Assignment, assignment_id, "assignment")
    ctx.session.add(
        AssignmentProgress(
            municipality_id=ctx.municipality_id,
            assignment_id=assignment.id,
            noted_on=data.noted_on,
            status=data.status.value,
            comment=data.comment,
            noted_by=ctx.principal.actor,
        )
    )
    await ctx.session.flush()
    latest = await ctx.session.scalar(
        select(AssignmentProgress.status)
        .where(AssignmentProgress.assignment_id == assignment.id)
        .order_by(AssignmentProgress.noted_on.desc(), AssignmentProgress.created_at.desc())
        .limit(1)
    )
    if latest is not None and latest != assignment.status:
        assignment.status = latest
    await ctx.commit()
    return await _assignment_read(ctx, assignment)


async def delete_assignment(ctx: Ctx, assignment_id: uuid.UUID) -> None:
    assignment = await ctx.get(Assignment, assignment_id, "assignment")
    for note in (
        await ctx.session.scalars(
            select(AssignmentProgress).where(AssignmentProgress.assignment_id == assignment.id)
        )
    ).all():
        await ctx.session.delete(note)
    await ctx.session.flush()  # the notes first, as in delete_goal
    await ctx.session.delete(assignment)
    await ctx.commit()
