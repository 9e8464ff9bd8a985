"""Reading a batch body: JSON or CSV as integrations and Swedish spreadsheets produce them.

* JSON: a list of row objects, or ``{"rows": [...]}``.
* CSV: UTF-8 (a BOM is fine), a header row, ``;`` or ``,`` as separator (whichever the header
  uses). With ``;`` a decimal comma is read as a decimal point in the numeric columns, as Excel
  in Swedish writes ``5,25``. Empty cells are absent values.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

import orjson

from app.errors import FieldError, PayloadTooLarge, Unprocessable, UnsupportedMediaType
from app.personnummer import repeatable_name

MAX_ROWS = 100_000
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
        raise PayloadTooLarge(f"{len(rows)} rows; at most {MAX_ROWS} a request")
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
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise Unprocessable.for_field("body", "encoding", "CSV must be UTF-8") from exc
    header = text.split("\n", 1)[0]
    separator = ";" if header.count(";") >= header.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=separator)
    if not reader.fieldnames:
        raise Unprocessable.for_field("body", "csv_header", "the CSV needs a header row")
    rows = []
    for record in reader:
        row: dict[str, Any] = {}
        for name, cell in record.items():
            if name is None or cell is None or cell.strip() == "":
                continue
            value = cell.strip()
            if separator == ";" and name in numeric:
                value = _swedish_number(value)
            row[name.strip()] = value
        rows.append(row)
    if not rows:
        raise Unprocessable.for_field("body", "csv_empty", "the CSV has a header but no rows")
    _check_header([name.strip() for name in reader.fieldnames], columns)
    return rows


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
