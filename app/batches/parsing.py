"""Reading a batch body: JSON or CSV as integrations and Swedish spreadsheets produce them.

* JSON: a list of row objects, or ``{"rows": [...]}``.
* CSV: UTF-8 (a BOM is fine), a header row, ``;`` or ``,`` as separator (whichever the header
  uses). With ``;`` a decimal comma is read as a decimal point in the numeric columns, as Excel
  in Swedish writes ``5,25``. Empty cells are absent values.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Iterable, Iterator
from typing import Any

import orjson

from app.errors import FieldError, PayloadTooLarge, Unprocessable, UnsupportedMediaType
from app.personnummer import repeatable_name

MAX_ROWS = 100_000
MAX_CELL_CHARS = 10_000
"""The longest CSV cell read; the longest text a batch row takes (a comment) is 2 000."""
JSON, CSV = "application/json", "text/csv"


def media_type(content_type: str | None) -> str:
    return (content_type or "").split(";")[0].strip().lower()


def parse_rows(
    body: bytes, content_type: str | None, numeric: Iterable[str], columns: frozenset[str]
) -> list[dict[str, Any]]:
    """The rows, each a dict of the cells given. ``columns`` are the names a row may carry: a CSV
    header naming another is refused as a whole, once, rather than in every row."""
    kind = media_type(content_type)
    if kind == JSON:
        rows = _json_rows(body)
    elif kind == CSV:
        rows = _csv_rows(body, frozenset(numeric), columns)
    else:
        raise UnsupportedMediaType("send application/json or text/csv")
    if len(rows) > MAX_ROWS:
        raise _too_many_rows()
    return rows


def _json_rows(body: bytes) -> list[dict[str, Any]]:
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise Unprocessable.for_field("body", "json_invalid", "the body is not valid JSON") from exc
    if isinstance(data, dict):
        data = data.get("rows")
    if not isinstance(data, list) or not all(isinstance(row, dict) for row in data):
        raise Unprocessable.for_field(
            "body", "rows_expected", 'send a list of row objects, or {"rows": [...]}'
        )
    if not data:  # as a CSV with a header and no rows: nothing to import is not an import
        raise Unprocessable.for_field("body", "rows_empty", "the body has no rows")
    return data


def _csv_rows(
    body: bytes, numeric: frozenset[str], columns: frozenset[str]
) -> list[dict[str, Any]]:
    """The rows of a CSV body, read as a stream: it stops at the first row past
    :data:`MAX_ROWS` (413) and at the first cell past :data:`MAX_CELL_CHARS` (422), so a body
    that is refused never becomes a list of every row first."""
    text = io.TextIOWrapper(io.BytesIO(body), encoding="utf-8-sig", newline="")
    try:
        header_line = text.readline()
        separator = ";" if header_line.count(";") >= header_line.count(",") else ","
        reader = csv.reader(itertools.chain([header_line], text), delimiter=separator, strict=True)
        names = [name.strip() for name in next(reader, [])]
        if not any(names):
            raise Unprocessable.for_field("body", "csv_header", "the CSV needs a header row")
        _check_unique(names)
        rows = [
            _csv_row(index, names, record, separator, numeric)
            for index, record in _numbered(reader)
        ]
    except UnicodeDecodeError as exc:
        raise Unprocessable.for_field("body", "encoding", "CSV must be UTF-8") from exc
    if not rows:
        raise Unprocessable.for_field("body", "csv_empty", "the CSV has a header but no rows")
    _check_header(names, columns)
    return rows


def _numbered(reader: Iterator[list[str]]) -> Iterator[tuple[int, list[str]]]:
    """The records with their row index, refusing a malformed record (an unclosed quote, a cell
    past the csv module's own limit) and the row past :data:`MAX_ROWS` as soon as it is read."""
    index = 0
    while True:
        try:
            record = next(reader, None)
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):
                raise _cell_too_long(f"rows.{index}") from exc
            raise Unprocessable.for_field(
                "body", "csv_invalid", f"row {index} is not well-formed CSV (e.g. an open quote)"
            ) from exc
        if record is None:
            return
        if not record:  # a blank line is no row (as csv.DictReader has it)
            continue
        if index == MAX_ROWS:
            raise _too_many_rows()
        yield index, record
        index += 1


def _csv_row(
    index: int, names: list[str], record: list[str], separator: str, numeric: frozenset[str]
) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for name, cell in zip(names, record, strict=False):  # extra cells have no column: ignored
        if not name or cell.strip() == "":
            continue
        if len(cell) > MAX_CELL_CHARS:
            raise _cell_too_long(
                f"rows.{index}.{name}" if repeatable_name(name) else f"rows.{index}"
            )
        value = cell.strip()
        if separator == ";" and name in numeric:
            value = _swedish_number(value)
        row[name] = value
    return row


def _cell_too_long(field: str) -> Unprocessable:
    return Unprocessable.for_field(
        field, "cell_too_long", f"a cell holds at most {MAX_CELL_CHARS} characters"
    )


def _too_many_rows() -> PayloadTooLarge:
    return PayloadTooLarge(f"more than {MAX_ROWS} rows; at most {MAX_ROWS} a request")


def _check_unique(names: list[str]) -> None:
    twice = sorted({name for name in names if name and names.count(name) > 1})
    if not twice:
        return
    raise Unprocessable(
        f"the CSV header names {len(twice)} column(s) more than once",
        errors=[
            FieldError(
                field=f"header.{name}" if repeatable_name(name) else "header",
                code="duplicate_column",
                message="a column may appear once in the header",
            )
            for name in twice
        ],
    )


# Thousands separators Swedish Excel writes: a space, a no-break space, or (in some locales and
# versions) a narrow no-break space.
THOUSANDS_SEPARATORS = str.maketrans("", "", " \u00a0\u202f")


def _swedish_number(cell: str) -> str:
    """``11 716 412,50`` as ``11716412.50``: separators out, the decimal comma a point."""
    return cell.translate(THOUSANDS_SEPARATORS).replace(",", ".")


def _check_header(names: list[str], columns: frozenset[str]) -> None:
    unknown = [name for name in names if name and name not in columns]
    if not unknown:
        return
    expected = ", ".join(sorted(columns))
    raise Unprocessable(
        f"the CSV header names {len(unknown)} column(s) this batch does not take",
        errors=[
            FieldError(
                field=f"header.{name}" if repeatable_name(name) else "header",
                code="unknown_column",
                message=f"not a column of this batch; the columns are: {expected}",
            )
            for name in unknown
        ],
    )
