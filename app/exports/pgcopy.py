"""CSV exports written by PostgreSQL itself: ``COPY (SELECT …) TO STDOUT``.

Formatting a million rows in Python (decimal normalisation, ISO timestamps, CSV quoting) costs
several times what the database spends reading them; COPY does the same in C. On PostgreSQL a
CSV export of a kind that has a ``select`` is therefore a COPY of the kind's own statement with
each column formatted in SQL exactly as :mod:`app.exports.formats` formats it in Python, so both
paths give the same bytes (tests/exports hold them to it):

* text as is, an empty text as an empty field (COPY would quote it to tell it from NULL), a text
  starting with a formula character prefixed with ``'`` (:func:`app.exports.formats.neutralise`);
* numbers with trailing zeros removed (``trim_scale``), decimal comma with ``delimiter=;``;
* timestamps as UTC ISO 8601, microseconds only when there are any (Python's ``isoformat``);
* NULL as an empty field; quoting where a field holds the delimiter, a quote or a line break.

The statement is scoped to the tenant by the same criteria the session guard adds
(:func:`app.db.scoped_to_tenant`), compiled, and sent through the session's own connection, in
its transaction. The COPY runs in a task that hands chunks over a bounded queue: it waits while
the client is slow, so memory stays flat.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Sequence
from typing import Any

from sqlalchemy import String, case, cast, func, literal
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from app.db import scoped_to_tenant, tenant_of
from app.exports.formats import FORMULA_STARTS, Column, CsvOptions
from app.pagination import AnySelect

QUEUE_CHUNKS = 8
# The text starts with one of FORMULA_STARTS (a regular expression: one bind parameter, where an
# IN list would need a post-compile step COPY's hand-compiled statement does not take).
_FORMULA_PATTERN = "^[" + "".join("\\" + c if c in "-^]\\" else c for c in FORMULA_STARTS) + "]"


def csv_expression(expr: Any, column: Column, decimal_comma: bool) -> ColumnElement[Any]:
    """``expr`` as the text :func:`app.exports.formats._text` would write for it."""
    if column.kind == "number":
        text = cast(func.trim_scale(expr), String)
        return func.replace(text, ".", ",") if decimal_comma else text
    if column.kind == "datetime":
        utc = func.timezone("UTC", expr)
        whole = func.to_char(utc, 'YYYY-MM-DD"T"HH24:MI:SS')
        fraction = case(
            (func.date_trunc("second", expr) == expr, literal("")),
            else_=literal(".") + func.to_char(utc, "US"),
        )
        return whole + fraction + literal("+00:00")
    if column.kind == "integer":
        return cast(expr, String)
    text = cast(expr, String)
    neutralised = case(
        (text.regexp_match(_FORMULA_PATTERN), literal("'") + text),
        else_=text,
    )
    return func.nullif(neutralised, "")


def formatted(stmt: AnySelect, columns: Sequence[Column], options: CsvOptions) -> AnySelect:
    """The same rows in the same order, each column already the CSV text."""
    exprs = [
        csv_expression(expr, column, options.decimal_comma).label(column.name)
        for expr, column in zip(stmt.selected_columns, columns, strict=True)
    ]
    return stmt.with_only_columns(*exprs)


COPY_TIMEOUT_SECONDS = 24 * 3600
"""asyncpg's bound on a whole COPY (its command timeout otherwise): a day, not a query's."""


async def copy_csv(
    session: AsyncSession, stmt: AnySelect, columns: Sequence[Column], options: CsvOptions
) -> AsyncIterator[bytes]:
    """The CSV body (no header) of ``stmt``'s rows, as PostgreSQL's COPY writes it."""
    scoped = scoped_to_tenant(formatted(stmt, columns, options), tenant_of(session))
    connection = await session.connection()
    compiled = scoped.compile(dialect=connection.dialect)
    params = compiled.construct_params()
    # The driver gets the values as SQLAlchemy would bind them (a UTC timestamp, say); COPY has
    # no SQLAlchemy execution path of its own, so the compiled statement's processors apply here.
    processors = compiled._bind_processors
    args = [
        processors[name](params[name]) if name in processors else params[name]
        for name in compiled.positiontup or ()
    ]
    # A COPY streams as fast as the client reads: the statement timeout, a bound for queries
    # (STYRKORT_DATABASE_STATEMENT_TIMEOUT_SECONDS), would cut a slow download short.
    await connection.exec_driver_sql("SET LOCAL statement_timeout = 0")
    driver: Any = (await connection.get_raw_connection()).driver_connection
    queue: asyncio.Queue[bytes | Exception | None] = asyncio.Queue(QUEUE_CHUNKS)

    async def sink(chunk: bytes) -> None:
        await queue.put(bytes(chunk))

    async def run() -> None:
        try:
            await driver.copy_from_query(
                compiled.string,
                *args,
                output=sink,
                format="csv",
                delimiter=options.delimiter,
                null="",
                timeout=COPY_TIMEOUT_SECONDS,
            )
        except Exception as exc:  # handed to the reader, which raises it
            await queue.put(exc)
            return
        await queue.put(None)

    task = asyncio.create_task(run())
    try:
        while (item := await queue.get()) is not None:
            if isinstance(item, Exception):
                raise item
            yield item
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


class CsvRowCounter:
    """Counts the rows of a CSV stream fed in chunks: line ends outside quoted fields. Every
    quote toggles "inside a quoted field" (an escaped ``""`` toggles twice), so splitting at the
    quotes and counting line ends in every other piece is exact, and runs in C."""

    def __init__(self) -> None:
        self.rows = 0
        self.quoted = False

    def feed(self, chunk: bytes) -> None:
        for piece in chunk.split(b'"'):
            if not self.quoted:
                self.rows += piece.count(b"\n")
            self.quoted = not self.quoted
        self.quoted = not self.quoted  # n pieces are separated by n - 1 quotes
