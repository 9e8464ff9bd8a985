"""What a budget-line or placement batch changed, read from the versions it wrote.

The same derivation as for measurements (:mod:`app.measurements.changes`): each version carrying
the batch id is an *after*; the *before* is the version of the same row just before it in system
time (:func:`previous_version_id`; none, or a tombstone, for a row the batch created). Versions are
never updated, so the answer is what the batch did then, whatever happened to the rows since.
``action``: ``create``, ``update``, or ``delete`` (a tombstone; batches do not delete today).

``before`` and ``after`` are the row's content as its versions keep it, the same JSON the per-row
audit events held before issue 18 (amounts of a budget line in öre as ``amount_ore``; an
episode's rate periods inside it). The CSV writes one column per field of the kind
(:data:`FIELDS`), before and after; a nested value (an episode's rates) is its JSON text.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import datetime
from typing import Any, Literal, TypeVar

import orjson
from pydantic import BaseModel, Field
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import aliased

from app.auth.deps import Ctx
from app.pagination import Keyset, PageParams
from app.versions.models import EntityVersion

T = TypeVar("T")

FIELDS: dict[str, tuple[str, ...]] = {
    "budget_line": (
        "org_unit_id", "category_id", "account_code", "year", "month", "scenario",
        "forecast_date", "amount_ore", "source_system", "comment",
    ),
    "placement": (
        "case_ref", "start_date", "category_id", "org_unit_id", "provider_id", "end_date",
        "gender", "age_band", "source_system", "comment", "rates",
    ),
    "placement_aggregate": (
        "category_id", "org_unit_id", "period", "care_days", "net_cost", "source_system",
        "comment",
    ),
}  # fmt: skip
"""The fields of each kind's content, as :func:`app.budget.writes.snapshot`,
:func:`app.placements.episodes.snapshot` and ``app.placements.aggregates`` write them."""


class RowChange(BaseModel):
    """One budget line, placement episode or aggregate a batch changed: before and after."""

    entity_type: Literal["budget_line", "placement", "placement_aggregate"]
    entity_id: uuid.UUID = Field(description="The line's, episode's or aggregate's id.")
    version_id: uuid.UUID = Field(description="The version the batch wrote (the after).")
    batch_id: uuid.UUID
    action: str = Field(examples=["create", "update"])
    before: dict[str, Any] | None = Field(
        description="The row's content before the batch; null if it did not exist (or was "
        "deleted).",
        examples=[{"amount_ore": 1145900000, "scenario": "outcome", "year": 2023, "month": 3}],
    )
    after: dict[str, Any] | None = Field(
        description="The content the batch wrote; null for a deletion."
    )
    recorded_at: datetime
    recorded_by: str


def previous_version_id(version: Any, later: Any, key: str) -> Any:
    """The id of the ``version`` row just before ``later`` with the same ``key`` column (by
    system time, then id): the *before* of ``later``. Serves measurement versions too."""
    earlier = aliased(version)
    return (
        select(earlier.id)
        .where(
            getattr(earlier, key) == getattr(later, key),
            or_(
                earlier.sys_from < later.sys_from,
                and_(earlier.sys_from == later.sys_from, earlier.id < later.id),
            ),
        )
        .order_by(earlier.sys_from.desc(), earlier.id.desc())
        .limit(1)
        .correlate(later)
        .scalar_subquery()
    )


_V = EntityVersion
_PREVIOUS = aliased(EntityVersion)
KEYSET = Keyset(columns={"id": _V.id}, id_column=_V.id, default="id")


def _select(batch_id: uuid.UUID) -> Any:
    return (
        select(
            _V.id,
            _V.entity_type,
            _V.entity_id,
            _V.batch_id,
            _V.content,
            _V.sys_from,
            _V.recorded_by,
            _PREVIOUS.content.label("before"),
        )
        .outerjoin(_PREVIOUS, _PREVIOUS.id == previous_version_id(EntityVersion, _V, "entity_id"))
        .where(_V.batch_id == batch_id)
    )


def change_action(before: object, after: object) -> Literal["create", "update", "delete"]:
    """What a version did to its value: no content after is a delete, no value before a create."""
    if after is None:
        return "delete"
    return "create" if before is None else "update"


def _change(row: Any) -> RowChange:
    before, after = row.before, row.content
    action = change_action(before, after)
    return RowChange(
        entity_type=row.entity_type,
        entity_id=row.entity_id,
        version_id=row.id,
        batch_id=row.batch_id,
        action=action,
        before=before,
        after=after,
        recorded_at=row.sys_from,
        recorded_by=row.recorded_by,
    )


async def keyset_page(
    ctx: Ctx, keyset: Keyset, stmt: Any, page: PageParams, convert: Callable[[Any], T]
) -> tuple[list[T], str | None]:
    """One page of a changes query, in the order the versions were written (by their id)."""
    rows = (await ctx.session.execute(keyset.apply(stmt, "id", page.cursor, page.limit))).all()
    items, next_cursor = keyset.page(rows, "id", page.limit)
    return [convert(r) for r in items], next_cursor


async def every_change(
    list_page: Callable[[PageParams], Awaitable[tuple[list[T], str | None]]],
) -> AsyncIterator[T]:
    """Every change, page by page (for the CSV export)."""
    cursor: str | None = None
    while True:
        items, cursor = await list_page(PageParams(cursor, 500))
        for item in items:
            yield item
        if cursor is None:
            return


async def list_changes(
    ctx: Ctx, batch_id: uuid.UUID, page: PageParams
) -> tuple[list[RowChange], str | None]:
    """One page of the batch's changes, in the order they were written."""
    return await keyset_page(ctx, KEYSET, _select(batch_id), page, _change)


def all_changes(ctx: Ctx, batch_id: uuid.UUID) -> AsyncIterator[RowChange]:
    return every_change(lambda page: list_changes(ctx, batch_id, page))


def csv_columns(entity_type: str) -> tuple[str, ...]:
    fields = FIELDS[entity_type]
    return (
        "entity_type", "entity_id", "action",
        *(f"before_{name}" for name in fields), *(f"after_{name}" for name in fields),
        "recorded_at", "recorded_by", "version_id", "batch_id",
    )  # fmt: skip


def _cell(value: Any) -> Any:
    return orjson.dumps(value).decode() if isinstance(value, list | dict) else value


def csv_line(change: RowChange) -> list[Any]:
    fields = FIELDS[change.entity_type]
    before, after = change.before or {}, change.after or {}
    return [
        change.entity_type,
        change.entity_id,
        change.action,
        *(_cell(before.get(name)) for name in fields),
        *(_cell(after.get(name)) for name in fields),
        change.recorded_at.isoformat(),
        change.recorded_by,
        change.version_id,
        change.batch_id,
    ]
