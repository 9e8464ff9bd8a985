"""The budget-line importer for ``POST /api/v1/budget-lines/batch`` (ERP ingest).

Plugs into ``app.batches.service.run_import``: modes, dry runs, the summary, the batch record and
the Idempotency-Key are the shared machinery's.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Sequence
from typing import Any

from app.auth.deps import Ctx
from app.budget import writes
from app.budget.schemas import BudgetLineWrite


class BudgetLineImporter:
    kind = "budget_lines"
    row_schema = BudgetLineWrite
    numeric_columns = frozenset({"amount"})

    async def validate(
        self, ctx: Ctx, rows: Sequence[dict[str, Any]]
    ) -> tuple[list[writes.ValidRow], list[writes.RowError]]:
        lookups = await writes.resolve(ctx, rows)
        valid, errors = writes.validate(rows, lookups)
        errors += await writes.check_existing(ctx, valid)
        return valid, errors

    async def classify(self, ctx: Ctx, valid: Sequence[writes.ValidRow]) -> dict[str, int]:
        return dict(Counter(row.result for row in valid))

    async def write(self, ctx: Ctx, valid: Sequence[writes.ValidRow], batch_id: uuid.UUID) -> None:
        await writes.write(ctx, valid, batch_id)
