"""What a batch changed: each value it wrote, with before and after, read from the versions.

A batch is audited by one event (``app.batches.service.record_batch_event``); the values it
changed are the measurement versions that carry its batch id. Each such version is the *after*;
the *before* is the version of the same measurement just before it in system time (none, or a
tombstone, for a value the batch created). Versions are never updated, so the answer is what the
batch did then, whatever happened to the values since.

``action``: ``create`` (nothing before, or a deleted value), ``update``, or ``delete`` (a
tombstone; batches do not delete today, so that appears only for versions written otherwise).
Budget-line and placement batches are read the same way from their versions
(:mod:`app.versions.changes`); :mod:`app.batches.changes` picks by the batch's kind.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import aliased

from app.audit.recorder import json_value
from app.auth.deps import Ctx
from app.batches.models import ImportBatch
from app.indicators.models import Indicator
from app.measurements.models import Measurement, MeasurementVersion
from app.measurements.writes import CONTENT
from app.orgunits.models import OrgUnit
from app.pagination import Keyset, PageParams
from app.versions.changes import change_action, every_change, keyset_page, previous_version_id

CSV_COLUMNS = (
    "indicator_code", "org_unit_code", "period", "gender", "action",
    *(f"before_{name}" for name in CONTENT), *(f"after_{name}" for name in CONTENT),
    "recorded_at", "recorded_by", "measurement_id", "version_id", "batch_id",
)  # fmt: skip


class BatchChange(BaseModel):
    """One value a batch changed: its key, what it was before and what the batch made it."""

    entity_type: Literal["measurement"] = "measurement"
    measurement_id: uuid.UUID
    version_id: uuid.UUID = Field(description="The version the batch wrote (the after).")
    batch_id: uuid.UUID
    indicator_code: str = Field(examples=["SN-8.1.4"])
    org_unit_code: str = Field(examples=["AF"])
    period: str = Field(examples=["2023-03"])
    gender: str = Field(examples=["total"])
    action: str = Field(examples=["create", "update"])
    before: dict[str, Any] | None = Field(
        description="The value's content before the batch; null if it did not exist (or was "
        "deleted).",
        examples=[{"value": "1170", "status": "final", "source_system": "Procapita"}],
    )
    after: dict[str, Any] | None = Field(
        description="The content the batch wrote; null for a deletion."
    )
    recorded_at: datetime
    recorded_by: str


_V = MeasurementVersion
_PREVIOUS = aliased(MeasurementVersion)
KEYSET = Keyset(columns={"id": _V.id}, id_column=_V.id, default="id")


def _select(batch_id: uuid.UUID) -> Any:
    p = _PREVIOUS
    return (
        select(
            _V.id,
            _V.measurement_id,
            _V.batch_id,
            _V.deleted,
            _V.sys_from,
            _V.recorded_by,
            *(getattr(_V, name) for name in CONTENT),
            p.deleted.label("before_deleted"),
            *(getattr(p, name).label(f"before_{name}") for name in CONTENT),
            Indicator.code.label("indicator_code"),
            OrgUnit.code.label("org_unit_code"),
            Measurement.period,
            Measurement.gender,
        )
        .join(Measurement, Measurement.id == _V.measurement_id)
        .join(Indicator, Indicator.id == Measurement.indicator_id)
        .join(OrgUnit, OrgUnit.id == Measurement.org_unit_id)
        .outerjoin(p, p.id == previous_version_id(MeasurementVersion, _V, "measurement_id"))
        .where(_V.batch_id == batch_id)
    )


def _change(row: Any) -> BatchChange:
    before = None
    if row.before_deleted is not None and not row.before_deleted:
        before = json_value({name: getattr(row, f"before_{name}") for name in CONTENT})
    after = None if row.deleted else json_value({name: getattr(row, name) for name in CONTENT})
    return BatchChange(
        measurement_id=row.measurement_id,
        version_id=row.id,
        batch_id=row.batch_id,
        indicator_code=row.indicator_code,
        org_unit_code=row.org_unit_code,
        period=row.period,
        gender=row.gender,
        action=change_action(before, after),
        before=before,
        after=after,
        recorded_at=row.sys_from,
        recorded_by=row.recorded_by,
    )


async def list_changes(
    ctx: Ctx, batch_id: uuid.UUID, page: PageParams
) -> tuple[list[BatchChange], str | None]:
    """One page of the batch's changes, in the order they were written (404: no such batch)."""
    await ctx.get(ImportBatch, batch_id, "import batch")
    return await keyset_page(ctx, KEYSET, _select(batch_id), page, _change)


def all_changes(ctx: Ctx, batch_id: uuid.UUID) -> AsyncIterator[BatchChange]:
    """Every change of the batch, page by page (for the CSV export)."""
    return every_change(lambda page: list_changes(ctx, batch_id, page))


def csv_line(change: BatchChange) -> list[Any]:
    before, after = change.before or {}, change.after or {}
    return [
        change.indicator_code,
        change.org_unit_code,
        change.period,
        change.gender,
        change.action,
        *(before.get(name) for name in CONTENT),
        *(after.get(name) for name in CONTENT),
        change.recorded_at.isoformat(),
        change.recorded_by,
        change.measurement_id,
        change.version_id,
        change.batch_id,
    ]
