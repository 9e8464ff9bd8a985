"""Running an export: check, record it in the audit trail, then stream it (or digest it)."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.audit.recorder import Change, record_events
from app.auth.deps import Ctx
from app.db import utcnow
from app.errors import FieldError, Forbidden, Unprocessable
from app.exports.formats import (
    CsvOptions,
    CsvWriter,
    ExportFormat,
    JsonWriter,
    NdjsonWriter,
    Writer,
    XlsxWriter,
)
from app.exports.kinds import KINDS, ExportKind, ExportQuery, Rows
from app.exports.pgcopy import CsvRowCounter, copy_csv
from app.exports.snapshots import FEEDS, decode_rows, encode_rows, reproducible
from app.pagination import AnySelect
from app.privacy import redact_values


@dataclass(frozen=True)
class Manifest:
    kind: str
    format: ExportFormat
    as_of: datetime
    query: dict[str, str]
    row_count: int
    bytes: int
    sha256: str
    generated_at: datetime


def kind_for(ctx: Ctx, name: str, q: ExportQuery) -> ExportKind:
    kind = KINDS[name]
    if kind.permission is not None and not ctx.principal.can(kind.permission):
        raise Forbidden(f"the {name} export needs permission '{kind.permission}'")
    unknown = [f for f in q.given() if f not in kind.accepts]
    if unknown:
        raise Unprocessable(
            f"unknown query parameter(s) for the {name} export: {len(unknown)}",
            errors=[
                FieldError(
                    field=f"query.{f}",
                    code="unknown_parameter",
                    message=f"the {name} export takes no {f}: it takes the filters of the "
                    "resource it exports; see the OpenAPI document",
                )
                for f in unknown
            ],
        )
    ungroupable = [g for g in q.group_by if g not in kind.groupings]
    if ungroupable:
        raise Unprocessable.for_field(
            "query.group_by", "unknown_grouping", f"the {name} export cannot group by that"
        )
    for field in kind.required:
        if getattr(q, field) is None:
            raise Unprocessable.for_field(
                f"query.{field}", "missing", f"the {name} export needs {field}"
            )
    return kind


def _writer(kind: ExportKind, fmt: ExportFormat, q: ExportQuery, csv: CsvOptions) -> Writer:
    if fmt == ExportFormat.CSV:
        return CsvWriter(csv)
    if fmt == ExportFormat.NDJSON:
        return NdjsonWriter()
    if fmt == ExportFormat.JSON:
        return JsonWriter({"export": kind.name, "as_of": q.as_of.isoformat(), "query": q.as_dict()})
    return XlsxWriter(kind.sheet, q.as_of)


class ExportStream:
    """The export's bytes, batch by batch; deterministic for a given query and ``as_of``.

    ``announce`` (recording the export in the audit trail) runs once the export is sure to be
    handed over and before its data is read as a stream: a kept export is built (or refused)
    first; a streamed one is announced before its cursor opens, as a commit would close it.
    """

    def __init__(
        self,
        ctx: Ctx,
        kind: ExportKind,
        fmt: ExportFormat,
        q: ExportQuery,
        csv: CsvOptions,
        announce: Callable[[], Awaitable[None]] | None = None,
    ) -> None:
        self.ctx, self.kind, self.query = ctx, kind, q
        self.writer = _writer(kind, fmt, q, csv)
        self.announce = announce
        self.row_count = 0

    async def _announce(self) -> None:
        if self.announce is not None:
            await self.announce()

    async def __aiter__(self) -> AsyncIterator[bytes]:
        select = self.kind.select
        on_postgres = self.ctx.session.get_bind().dialect.name == "postgresql"
        if isinstance(self.writer, CsvWriter) and select is not None and on_postgres:
            # PostgreSQL writes the CSV itself where the kind has a plain statement.
            await self._announce()
            async for chunk in self._copy(self.writer, select(self.query)):
                yield chunk
            return
        if self.kind.name in FEEDS:
            batches = _once(await self._kept_rows())
            await self._announce()
        else:
            await self._announce()
            batches = aiter(self.kind.rows(self.ctx, self.query))
        # The first batch is read before the first byte leaves, so a problem with the query is
        # still a proper error response.
        first = await anext(batches, None)
        head = self.writer.start(self.kind.columns)
        if first is not None:
            self.row_count += len(first)
            head += self.writer.rows(first)
        yield head
        async for batch in batches:
            self.row_count += len(batch)
            yield self.writer.rows(batch)
        for tail in self.writer.finish(self.row_count):
            yield tail

    async def _copy(self, writer: CsvWriter, stmt: AnySelect) -> AsyncIterator[bytes]:
        counter = CsvRowCounter()
        body = copy_csv(self.ctx.session, stmt, self.kind.columns, writer.options)
        head = writer.start(self.kind.columns)
        async for chunk in body:
            counter.feed(chunk)
            if head:
                chunk, head = head + chunk, b""
            yield chunk
        if head:
            yield head
        self.row_count = counter.rows

    async def _kept_rows(self) -> list[list[Any]]:
        """A kind whose data is not versioned: its rows as kept for this query and as_of."""

        async def build() -> list[Any]:
            return [row async for batch in self.kind.rows(self.ctx, self.query) for row in batch]

        q = self.query
        rows: list[list[Any]] = await reproducible(
            self.ctx, self.kind.name, q.as_dict(), q.as_of, build, encode_rows, decode_rows
        )
        return rows


async def _once(rows: list[list[Any]]) -> Rows:
    yield rows


async def record(ctx: Ctx, export: str, fmt: str, query: dict[str, str]) -> None:
    """Who pulled what, when: an audit event, committed before the first byte leaves."""
    change = Change(
        entity_type="export",
        entity_id=export,
        action="export",
        before=None,
        after={"format": fmt, "query": redact_values(query)},
        municipality_id=ctx.municipality_id,
    )
    await ctx.session.run_sync(lambda session: record_events(session, [change]))
    await ctx.commit()


async def manifest(
    ctx: Ctx, kind: ExportKind, fmt: ExportFormat, q: ExportQuery, csv: CsvOptions
) -> Manifest:
    """Row count, size and SHA-256 of exactly what the export with these parameters streams."""
    digest, size = hashlib.sha256(), 0
    stream = ExportStream(ctx, kind, fmt, q, csv)
    async for chunk in stream:
        digest.update(chunk)
        size += len(chunk)
    return Manifest(
        kind.name, fmt, q.as_of, q.as_dict(), stream.row_count, size, digest.hexdigest(), utcnow()
    )
