"""The measurement importer for ``POST /api/v1/measurements/batch``."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Sequence
from typing import Any

from app.auth.deps import Ctx
from app.measurements import writes
from app.measurements.schemas import MeasurementWrite


class MeasurementImporter:
    kind = "measurements"
    row_schema = MeasurementWrite
    numeric_columns = frozenset({"value", "numerator", "denominator"})

    async def validate(
        self, ctx: Ctx, rows: Sequence[dict[str, Any]]
    ) -> tuple[list[writes.ValidRow], list[writes.RowError]]:
        lookups = await writes.resolve(ctx, rows)
        return writes.validate(rows, lookups)

    async def classify(self, ctx: Ctx, valid: Sequence[writes.ValidRow]) -> dict[str, int]:
        await writes.classify(ctx, list(valid))
        return dict(Counter(row.result for row in valid))

    async def write(self, ctx: Ctx, valid: Sequence[writes.ValidRow], batch_id: uuid.UUID) -> None:
        await writes.write(ctx, valid, batch_id)
