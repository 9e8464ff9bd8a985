"""``GET /import-batches/{id}/changes`` for every kind of batch: the reader is picked by its kind.

Measurement batches are read from ``measurement_version`` (:mod:`app.measurements.changes`),
budget-line and placement batches from ``entity_version`` (:mod:`app.versions.changes`); both
derive before and after the same way. A page holds one kind only (a batch has one kind), told
apart by ``entity_type``.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Sequence
from typing import Annotated, Any

from pydantic import Field

from app.auth.deps import Ctx
from app.batches.models import ImportBatch
from app.measurements import changes as measurement_changes
from app.measurements.changes import BatchChange
from app.pagination import Page, PageParams
from app.versions import changes as entity_changes
from app.versions.changes import RowChange

AnyChange = Annotated[BatchChange | RowChange, Field(discriminator="entity_type")]


class BatchChanges(Page[AnyChange]):
    """A page of a batch's changes: measurements, or budget lines, episodes or aggregates."""


ENTITY_TYPES = {
    "budget_lines": "budget_line",
    "placements": "placement",
    "placement_aggregates": "placement_aggregate",
}
"""The entity type of the rows each kind of batch writes (measurements have their own reader)."""


async def _kind(ctx: Ctx, batch_id: uuid.UUID) -> str:
    """The batch's kind (404: no such batch in this municipality)."""
    batch = await ctx.get(ImportBatch, batch_id, "import batch")
    return batch.kind


async def list_changes(
    ctx: Ctx, batch_id: uuid.UUID, page: PageParams
) -> tuple[Sequence[BatchChange | RowChange], str | None]:
    if await _kind(ctx, batch_id) == "measurements":
        return await measurement_changes.list_changes(ctx, batch_id, page)
    return await entity_changes.list_changes(ctx, batch_id, page)


async def csv_rows(ctx: Ctx, batch_id: uuid.UUID) -> AsyncIterator[Sequence[Any]]:
    """The header, then a line per change (404 before any output)."""
    kind = await _kind(ctx, batch_id)
    if kind == "measurements":
        yield measurement_changes.CSV_COLUMNS
        async for change in measurement_changes.all_changes(ctx, batch_id):
            yield measurement_changes.csv_line(change)
        return
    yield entity_changes.csv_columns(ENTITY_TYPES[kind])
    async for row_change in entity_changes.all_changes(ctx, batch_id):
        yield entity_changes.csv_line(row_change)
