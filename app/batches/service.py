"""Running an import: parse, validate every row, classify, write set-based, summarise.

Each kind of batch (measurements, budget lines, placement episodes, placement aggregates)
supplies an :class:`Importer`; everything else — modes, dry runs, the summary, the batch record,
the batch's audit event, the Idempotency-Key — is done here, once.

The audit trail records **one event per batch** (DOMAIN §3, §11 as changed by issue 18), for
every kind: ``entity_type=import_batch``, ``action=import``, the actor and time as for every
event, and in ``after`` the endpoint, the kind, the mode, the summary's counts and
``rows_sha256``, the SHA-256 of the request body exactly as received (JSON or CSV bytes). The
before and after of each value the batch changed are its version rows, which carry the batch id
and which the database refuses to update or delete: ``measurement_version`` for measurements,
``entity_version`` for budget lines, episodes and aggregates (:mod:`app.versions`). No importer
records an event per row; ``GET /import-batches/{id}/changes`` reads the versions
(:mod:`app.batches.changes`), and export snapshots watch the versions too.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from pydantic import BaseModel

from app.audit.recorder import Change, record_events
from app.auth.deps import BATCH_ID_KEY, Ctx
from app.batches import idempotency
from app.batches.models import ImportBatch
from app.batches.parsing import parse_rows
from app.batches.schemas import ImportSummary, RowErrorOut
from app.collector import cyclic_gc_paused
from app.errors import PROBLEM_TYPE_BASE, Unprocessable
from app.personnummer import ERROR_MESSAGE, ERROR_TYPE
from app.privacy import clean_key, screen_rows

Mode = Literal["atomic", "partial"]


class RowErrorLike(Protocol):
    @property
    def index(self) -> int: ...
    @property
    def key(self) -> dict[str, Any]: ...
    @property
    def field(self) -> str: ...
    @property
    def code(self) -> str: ...
    @property
    def message(self) -> str: ...


class Importer(Protocol):
    kind: str

    @property
    def row_schema(self) -> type[BaseModel]:
        """One row as the client sends it."""
        ...

    numeric_columns: frozenset[str]

    async def validate(
        self, ctx: Ctx, rows: Sequence[dict[str, Any]]
    ) -> tuple[Sequence[Any], Sequence[RowErrorLike]]: ...

    async def classify(self, ctx: Ctx, valid: Sequence[Any]) -> dict[str, int]: ...

    async def write(self, ctx: Ctx, valid: Sequence[Any], batch_id: uuid.UUID) -> None: ...


@dataclass(frozen=True)
class Answer:
    status_code: int
    body: dict[str, Any]
    replayed: bool = False


def _errors_out(errors: Sequence[RowErrorLike]) -> list[RowErrorOut]:
    return [
        RowErrorOut(
            index=e.index, key=clean_key(e.key), field=e.field, code=e.code, message=e.message
        )
        for e in sorted(errors, key=lambda e: e.index)
    ]


@dataclass(frozen=True)
class _Refused:
    index: int
    key: dict[str, Any]
    field: str
    code: str = ERROR_TYPE
    message: str = ERROR_MESSAGE


async def _validate_screened(
    ctx: Ctx, importer: Importer, rows: list[dict[str, Any]]
) -> tuple[Sequence[Any], list[RowErrorLike]]:
    """The importer validates the rows with every cell holding a personal identity number taken
    out; a row that had one is refused, named by its index and what is left of its key."""
    screened, refused = screen_rows(rows)
    valid, errors = await importer.validate(ctx, screened)
    if not refused:
        return valid, list(errors)
    keys = {e.index: e.key for e in errors}
    guard: list[RowErrorLike] = [
        _Refused(index, keys.get(index, {}), field)
        for index, fields in refused.items()
        for field in fields
    ]
    others = [e for e in errors if e.field not in refused.get(e.index, ())]
    return [v for v in valid if v.index not in refused], [*guard, *others]


def _refusal(summary: ImportSummary) -> dict[str, Any]:
    """Atomic mode with bad rows: a problem document that carries the summary."""
    return {
        "type": PROBLEM_TYPE_BASE + "batch-rejected",
        "title": "Batch rejected",
        "status": 422,
        "detail": f"{summary.rejected} of {summary.received} rows are invalid; nothing was written",
        "errors": [
            {"field": f"rows.{e.index}.{e.field}", "code": e.code, "message": e.message}
            for e in summary.errors
        ],
        "summary": summary.model_dump(mode="json"),
    }


@dataclass(frozen=True)
class Received:
    """The request as it came: where, and a fingerprint of the rows exactly as sent."""

    endpoint: str
    rows_sha256: str

    @classmethod
    def of(cls, endpoint: str, body: bytes) -> Received:
        return cls(endpoint, hashlib.sha256(body).hexdigest())


async def record_batch_event(ctx: Ctx, batch: ImportBatch, received: Received) -> None:
    """The batch's one audit event: who and when (as every event), where, how, and what it did."""
    after = {
        "endpoint": received.endpoint,
        "kind": batch.kind,
        "mode": batch.mode,
        "received": batch.received,
        "created": batch.created,
        "updated": batch.updated,
        "unchanged": batch.unchanged,
        "rejected": batch.rejected,
        "rows_sha256": received.rows_sha256,
    }
    change = Change("import_batch", str(batch.id), "import", None, after, ctx.municipality_id)
    ctx.session.info[BATCH_ID_KEY] = batch.id
    await ctx.session.run_sync(lambda session: record_events(session, [change]))


async def _run(
    ctx: Ctx,
    importer: Importer,
    rows: list[dict[str, Any]],
    mode: Mode,
    dry_run: bool,
    received: Received,
) -> Answer:
    valid, errors = await _validate_screened(ctx, importer, rows)
    rejected = len({e.index for e in errors})
    counts = await importer.classify(ctx, valid)
    summary = ImportSummary(
        batch_id=None,
        kind=importer.kind,
        mode=mode,
        dry_run=dry_run,
        received=len(rows),
        created=counts.get("created", 0),
        updated=counts.get("updated", 0),
        unchanged=counts.get("unchanged", 0),
        rejected=rejected,
        errors=_errors_out(errors),
    )
    # Atomic with a bad row, or partial with nothing good: the request is refused as a whole.
    if errors and (mode == "atomic" or not valid):
        summary = summary.model_copy(update={"created": 0, "updated": 0, "unchanged": 0})
        return Answer(422, _refusal(summary))
    if dry_run:
        return Answer(200, summary.model_dump(mode="json"))
    batch = ImportBatch(
        municipality_id=ctx.municipality_id,
        kind=importer.kind,
        mode=mode,
        received=summary.received,
        created=summary.created,
        updated=summary.updated,
        unchanged=summary.unchanged,
        rejected=summary.rejected,
        errors=[e.model_dump(mode="json") for e in summary.errors],
        created_by=ctx.principal.actor,
        request_id=ctx.request_id,
    )
    ctx.session.add(batch)
    await ctx.session.flush()
    await importer.write(ctx, valid, batch.id)
    await record_batch_event(ctx, batch, received)
    summary = summary.model_copy(
        update={
            "batch_id": batch.id,
            "created_at": batch.created_at,
            "created_by": batch.created_by,
        }
    )
    return Answer(200, summary.model_dump(mode="json"))


async def run_import(
    ctx: Ctx,
    importer: Importer,
    *,
    body: bytes,
    content_type: str | None,
    mode: Mode,
    dry_run: bool,
    idempotency_key: str | None,
    fingerprint: str,
    ttl_hours: int,
    wait_seconds: float,
    endpoint: str,
) -> Answer:
    """The whole import as one unit of work, the Idempotency-Key's claim included.

    Only an import that wrote something keeps its answer under the Idempotency-Key (Stripe's rule
    too): a refusal or a dry run changed nothing, so its claim is rolled back with the rest.
    """
    if idempotency_key is not None:
        stored = await idempotency.claim(ctx, idempotency_key, fingerprint, ttl_hours, wait_seconds)
        if stored is not None:
            await ctx.session.rollback()
            return Answer(stored.status_code, stored.body, replayed=True)
    try:
        with cyclic_gc_paused():
            rows = parse_rows(body, content_type, importer.numeric_columns, columns_of(importer))
            answer = await _run(ctx, importer, rows, mode, dry_run, Received.of(endpoint, body))
    except Unprocessable as problem:
        answer = Answer(422, _problem_body(problem))
    except BaseException:
        await ctx.session.rollback()
        raise
    if answer.status_code == 200 and not dry_run:
        if idempotency_key is not None:
            await idempotency.complete(ctx, idempotency_key, answer.status_code, answer.body)
        await ctx.commit()
    else:
        # Nothing landed (a refusal or a dry run), so there is nothing a retry could repeat: the
        # claim goes with the rest and the retry is judged afresh, e.g. once the indicator exists.
        await ctx.session.rollback()
    return answer


def columns_of(importer: Importer) -> frozenset[str]:
    """The names a row may carry: its schema's fields, by name or alias."""
    fields = importer.row_schema.model_fields
    return frozenset(fields) | {f.alias for f in fields.values() if f.alias}


def _problem_body(problem: Unprocessable) -> dict[str, Any]:
    return {
        "type": PROBLEM_TYPE_BASE + problem.slug,
        "title": problem.title,
        "status": problem.status,
        "detail": problem.detail,
        "errors": [e.model_dump() for e in problem.errors or []],
    }


async def get_batch(ctx: Ctx, batch_id: uuid.UUID) -> ImportSummary:
    batch = await ctx.get(ImportBatch, batch_id, "import batch")
    return ImportSummary(
        batch_id=batch.id,
        kind=batch.kind,
        mode="partial" if batch.mode == "partial" else "atomic",
        dry_run=False,
        received=batch.received,
        created=batch.created,
        updated=batch.updated,
        unchanged=batch.unchanged,
        rejected=batch.rejected,
        errors=[RowErrorOut.model_validate(e) for e in batch.errors],
        created_at=batch.created_at,
        created_by=batch.created_by,
    )
