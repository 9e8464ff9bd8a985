"""The one write path for episodes: ``POST``/``PATCH /placements`` and the batch ingest come here.

1. :func:`app.placements.rows.resolve` looks up what the rows name;
2. :func:`validate` checks each row without I/O (schema, rate periods covering the episode,
   references, the caller's subtree, the personnummer guard, duplicates within the request);
3. :func:`classify` reads the stored episodes of the rows' keys (``case_ref``, ``start_date``)
   and their rate periods, a query each per chunk, and sorts each row into created, updated or
   unchanged;
4. :func:`write` writes set-based — executemany of Core statements — replacing the rate periods
   of changed episodes, and appends a version per changed episode (its :func:`snapshot`, rates
   included) with the batch id (:mod:`app.versions`); a single write also records its own audit
   event with before and after, a batch one event for the batch (DOMAIN §3, §11, issue 18).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Literal, cast

from pydantic import ValidationError
from sqlalchemy import Table, bindparam, delete, select, update

from app.audit.recorder import Change
from app.auth.deps import BATCH_ID_KEY, Ctx
from app.db import insert_many, utcnow, uuid7
from app.placements.models import Placement, PlacementRate
from app.placements.money import to_ore
from app.placements.rows import (
    Lookups,
    RowError,
    check_references,
    chunks,
    ref,
    safe_text,
    validation_errors,
)
from app.placements.schemas import PlacementWrite
from app.versions.service import record_changes

Result = Literal["created", "updated", "unchanged"]
Key = tuple[str, date]  # case_ref, start_date
Rate = tuple[date, date | None, int]  # valid_from, valid_to, daily rate in öre
CONTENT = (
    "category_id",
    "org_unit_id",
    "provider_id",
    "end_date",
    "gender",
    "age_band",
    "source_system",
    "comment",
)
PLACEMENTS = cast(Table, Placement.__table__)
RATES = cast(Table, PlacementRate.__table__)


@dataclass
class EpisodeRow:
    index: int
    key: Key
    content: dict[str, Any]
    rates: list[Rate]
    result: Result = "created"
    placement_id: uuid.UUID | None = None
    current: dict[str, Any] | None = None  # the stored episode, as its versions show it

    def snapshot(self) -> dict[str, Any]:
        return snapshot(self.key, self.content, self.rates)


def snapshot(key: Key, content: dict[str, Any], rates: Sequence[Rate]) -> dict[str, Any]:
    """An episode as JSON for its versions and audit events (amounts in SEK, as the API shows
    them)."""
    values: dict[str, Any] = {"case_ref": key[0], "start_date": key[1].isoformat()}
    for name in CONTENT:
        value = content[name]
        values[name] = (
            str(value)
            if isinstance(value, uuid.UUID)
            else _iso(value)
            if name == "end_date"
            else value
        )
    values["rates"] = [
        {"valid_from": f.isoformat(), "valid_to": _iso(t), "daily_rate": f"{Decimal(r) / 100:.2f}"}
        for f, t, r in rates
    ]
    return values


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


def raw_key(row: dict[str, Any]) -> dict[str, Any]:
    """The natural key as sent, for error reports — without a refused case reference."""
    return {
        "case_ref": safe_text(row.get("case_ref")),
        "start_date": safe_text(row.get("start_date"), 10),
        "category": ref(row, "category"),
        "org_unit": ref(row, "org_unit"),
    }


def validate(
    rows: Sequence[dict[str, Any]], lookups: Lookups, prefix: str = ""
) -> tuple[list[EpisodeRow], list[RowError]]:
    valid: list[EpisodeRow] = []
    errors: list[RowError] = []
    seen: dict[Key, int] = {}
    for index, raw in enumerate(rows):
        key = raw_key(raw)

        def fail(
            name: str, code: str, message: str, index: int = index, key: dict[str, Any] = key
        ) -> None:
            errors.append(RowError(index, key, prefix + name, code, message))

        try:
            row = PlacementWrite.model_validate(raw)
        except ValidationError as exc:
            for name, code, message in validation_errors(exc):
                fail(name, code, message)
            continue
        found = check_references(lookups, row, fail, provider=True)
        if found is None:
            continue
        category, unit, provider = found
        natural: Key = (row.case_ref, row.start_date)
        if natural in seen:
            fail("start_date", "duplicate_in_request", f"the same key as row {seen[natural]}")
            continue
        seen[natural] = index
        valid.append(
            EpisodeRow(
                index=index,
                key=natural,
                content={
                    "category_id": category.id,
                    "org_unit_id": unit.id,
                    "provider_id": provider.id if provider else None,
                    "end_date": row.end_date,
                    "gender": row.gender.value if row.gender else None,
                    "age_band": row.age_band.value if row.age_band else None,
                    "source_system": row.source_system,
                    "comment": row.comment,
                },
                rates=[(f, t, to_ore(r)) for f, t, r in row.rate_periods()],
            )
        )
    return valid, errors


async def stored(
    ctx: Ctx, keys: Iterable[Key]
) -> dict[Key, tuple[uuid.UUID, dict[str, Any], list[Rate]]]:
    """The stored episodes with these keys: id, content and rate periods."""
    wanted = set(keys)
    found: dict[Key, tuple[uuid.UUID, dict[str, Any], list[Rate]]] = {}
    columns = [getattr(Placement, name) for name in CONTENT]
    for chunk in chunks(sorted({case_ref for case_ref, _ in wanted})):
        result = await ctx.session.execute(
            select(Placement.id, Placement.case_ref, Placement.start_date, *columns).where(
                Placement.case_ref.in_(chunk)
            )
        )
        for pid, case_ref, start, *content in result:
            if (case_ref, start) in wanted:
                found[(case_ref, start)] = (pid, dict(zip(CONTENT, content, strict=True)), [])
    by_id = {pid: rates for pid, _, rates in found.values()}
    for ids in chunks(by_id):
        result = await ctx.session.execute(
            select(
                PlacementRate.placement_id,
                PlacementRate.valid_from,
                PlacementRate.valid_to,
                PlacementRate.daily_rate_ore,
            )
            .where(PlacementRate.placement_id.in_(ids))
            .order_by(PlacementRate.placement_id, PlacementRate.valid_from)
        )
        for pid, valid_from, valid_to, rate in result:
            by_id[pid].append((valid_from, valid_to, rate))
    return found


async def classify(ctx: Ctx, rows: list[EpisodeRow]) -> None:
    """Mark each row created, updated or unchanged against the stored episodes."""
    if not rows:
        return
    existing = await stored(ctx, (r.key for r in rows))
    for row in rows:
        found = existing.get(row.key)
        if found is None:
            continue
        row.placement_id, content, rates = found
        row.current = snapshot(row.key, content, rates)
        row.result = "unchanged" if row.current == row.snapshot() else "updated"


async def write(ctx: Ctx, rows: Iterable[EpisodeRow], batch_id: uuid.UUID | None) -> None:
    """Write the changed rows set-based, rate periods and versions included."""
    changed = [r for r in rows if r.result != "unchanged"]
    if not changed:
        return
    now = utcnow()
    tenant = ctx.municipality_id
    session = ctx.session
    session.info[BATCH_ID_KEY] = batch_id
    created = [r for r in changed if r.placement_id is None]
    for row in created:
        row.placement_id = uuid7()
    if created:
        await insert_many(
            session,
            PLACEMENTS,
            [
                {
                    "id": r.placement_id,
                    "municipality_id": tenant,
                    "case_ref": r.key[0],
                    "start_date": r.key[1],
                    "batch_id": batch_id,
                    "created_at": now,
                    "updated_at": now,
                    **r.content,
                }
                for r in created
            ],
        )
    updated = [r for r in changed if r.result == "updated"]
    if updated:
        await session.execute(
            update(PLACEMENTS)
            .where(PLACEMENTS.c.id == bindparam("b_id"))
            .values(
                {name: bindparam(f"b_{name}") for name in CONTENT}
                | {"batch_id": bindparam("b_batch_id"), "updated_at": bindparam("b_now")}
            ),
            [
                {"b_id": r.placement_id, "b_batch_id": batch_id, "b_now": now}
                | {f"b_{name}": r.content[name] for name in CONTENT}
                for r in updated
            ],
        )
        for chunk in chunks([r.placement_id for r in updated]):
            await session.execute(delete(RATES).where(RATES.c.placement_id.in_(chunk)))
    await insert_many(
        session,
        RATES,
        [
            {
                "id": uuid7(),
                "municipality_id": tenant,
                "placement_id": r.placement_id,
                "valid_from": valid_from,
                "valid_to": valid_to,
                "daily_rate_ore": rate,
            }
            for r in changed
            for valid_from, valid_to, rate in r.rates
        ],
    )
    changes = [
        Change(
            entity_type="placement",
            entity_id=str(r.placement_id),
            action="create" if r.result == "created" else "update",
            before=r.current,
            after=r.snapshot(),
            municipality_id=tenant,
        )
        for r in changed
    ]
    await record_changes(ctx, changes)
