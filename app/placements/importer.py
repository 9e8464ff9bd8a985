"""The importers for ``POST /placements/batch`` and ``POST /placement-aggregates/batch``.

The shared machinery (:func:`app.batches.service.run_import`) does modes, dry runs, the summary,
the batch record and the Idempotency-Key; these supply resolve → validate → classify → write.
Both make sure the standard categories exist first, so a new municipality's first delivery can
name them by code.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Sequence
from typing import Any

from app.auth.deps import Ctx
from app.placements import aggregates, episodes
from app.placements.categories import ensure_standard_categories
from app.placements.rows import RowError, resolve
from app.placements.schemas import PlacementAggregateWrite, PlacementWrite


class PlacementImporter:
    kind = "placements"
    row_schema = PlacementWrite
    numeric_columns = frozenset({"daily_rate"})

    async def validate(
        self, ctx: Ctx, rows: Sequence[dict[str, Any]]
    ) -> tuple[list[episodes.EpisodeRow], list[RowError]]:
        await ensure_standard_categories(ctx)
        return episodes.validate(rows, await resolve(ctx, rows))

    async def classify(self, ctx: Ctx, valid: Sequence[episodes.EpisodeRow]) -> dict[str, int]:
        await episodes.classify(ctx, list(valid))
        return dict(Counter(row.result for row in valid))

    async def write(
        self, ctx: Ctx, valid: Sequence[episodes.EpisodeRow], batch_id: uuid.UUID
    ) -> None:
        await episodes.write(ctx, valid, batch_id)


class AggregateImporter:
    kind = "placement_aggregates"
    row_schema = PlacementAggregateWrite
    numeric_columns = frozenset({"care_days", "net_cost"})

    async def validate(
        self, ctx: Ctx, rows: Sequence[dict[str, Any]]
    ) -> tuple[list[aggregates.AggregateRow], list[RowError]]:
        await ensure_standard_categories(ctx)
        return aggregates.validate(rows, await resolve(ctx, rows))

    async def classify(self, ctx: Ctx, valid: Sequence[aggregates.AggregateRow]) -> dict[str, int]:
        await aggregates.classify(ctx, list(valid))
        return dict(Counter(row.result for row in valid))

    async def write(
        self, ctx: Ctx, valid: Sequence[aggregates.AggregateRow], batch_id: uuid.UUID
    ) -> None:
        await aggregates.write(ctx, valid, batch_id)
