"""Export formats: CSV, XLSX, JSON and NDJSON, each written row batch by row batch.

Every writer is deterministic: the same rows give the same bytes (no timestamps of its own; the
XLSX creation time is the export's ``as_of``), which is what makes an export reproducible.
Memory stays flat: CSV/JSON/NDJSON yield bytes per batch; XLSX is written by xlsxwriter in
constant-memory mode to a temporary file, streamed out in chunks when done.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any, Literal

import orjson
import xlsxwriter

ColumnKind = Literal["text", "number", "integer", "date", "datetime"]


class ExportFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"
    JSON = "json"
    NDJSON = "ndjson"


MEDIA_TYPES = {
    ExportFormat.CSV: "text/csv; charset=utf-8",
    ExportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ExportFormat.JSON: "application/json",
    ExportFormat.NDJSON: "application/x-ndjson",
}


@dataclass(frozen=True)
class Column:
    name: str
    kind: ColumnKind = "text"


@dataclass(frozen=True)
class CsvOptions:
    delimiter: Literal[",", ";"] = ","
    bom: bool = True

    @property
    def decimal_comma(self) -> bool:
        # Swedish Excel: semicolon-separated files carry decimal commas.
        return self.delimiter == ";"


def _text(value: Any, decimal_comma: bool) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        text = f"{value.normalize():f}"
        return text.replace(".", ",") if decimal_comma else text
    if isinstance(value, float):
        text = repr(value)
        return text.replace(".", ",") if decimal_comma else text
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


# A spreadsheet reads a cell starting with one of these as a formula (OWASP, "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """A text cell a spreadsheet would run as a formula, prefixed with ``'`` so it shows as the
    text it is. Only text columns: numbers (a negative one too) stay numbers."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _csv_field(text: str, delimiter: str) -> str:
    """``text`` as one CSV field, quoted as PostgreSQL's COPY quotes: when it holds the
    delimiter, a quote, a CR or a LF (Python's csv module leaves a lone CR bare)."""
    if delimiter in text or '"' in text or "\n" in text or "\r" in text:
        return '"' + text.replace('"', '""') + '"'
    return text


def _json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        normal = value.normalize()
        return int(normal) if normal == normal.to_integral_value() else float(normal)
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def _dumps(item: dict[str, Any]) -> bytes:
    # Drivers hand back their own types (asyncpg's UUID, say): anything else becomes its text.
    return orjson.dumps(item, default=str)


class Writer:
    def start(self, columns: Sequence[Column]) -> bytes:
        raise NotImplementedError

    def rows(self, rows: Sequence[Sequence[Any]]) -> bytes:
        raise NotImplementedError

    def finish(self, row_count: int) -> Iterator[bytes]:
        raise NotImplementedError


class CsvWriter(Writer):
    def __init__(self, options: CsvOptions) -> None:
        self.options = options
        self.text_columns: list[bool] = []

    def _line(self, cells: Sequence[str]) -> str:
        delimiter = self.options.delimiter
        return delimiter.join(_csv_field(cell, delimiter) for cell in cells) + "\n"

    def start(self, columns: Sequence[Column]) -> bytes:
        self.text_columns = [c.kind == "text" for c in columns]
        bom = "\ufeff" if self.options.bom else ""
        return (bom + self._line([c.name for c in columns])).encode("utf-8")

    def rows(self, rows: Sequence[Sequence[Any]]) -> bytes:
        comma = self.options.decimal_comma
        lines = []
        for row in rows:
            cells = [
                neutralise(_text(v, comma)) if is_text else _text(v, comma)
                for v, is_text in zip(row, self.text_columns, strict=True)
            ]
            lines.append(self._line(cells))
        return "".join(lines).encode("utf-8")

    def finish(self, row_count: int) -> Iterator[bytes]:
        return iter(())


class NdjsonWriter(Writer):
    def start(self, columns: Sequence[Column]) -> bytes:
        self.names = [c.name for c in columns]
        return b""

    def rows(self, rows: Sequence[Sequence[Any]]) -> bytes:
        return b"".join(
            _dumps({n: _json_value(v) for n, v in zip(self.names, row, strict=True)}) + b"\n"
            for row in rows
        )

    def finish(self, row_count: int) -> Iterator[bytes]:
        return iter(())


class JsonWriter(NdjsonWriter):
    """``{"export": …, "as_of": …, "query": …, "rows": [...], "row_count": n}``."""

    def __init__(self, head: dict[str, Any]) -> None:
        self.head = head
        self.first = True

    def start(self, columns: Sequence[Column]) -> bytes:
        super().start(columns)
        return orjson.dumps(self.head)[:-1] + b',"rows":['

    def rows(self, rows: Sequence[Sequence[Any]]) -> bytes:
        parts = []
        for row in rows:
            item = _dumps({n: _json_value(v) for n, v in zip(self.names, row, strict=True)})
            parts.append(item if self.first else b"," + item)
            self.first = False
        return b"".join(parts)

    def finish(self, row_count: int) -> Iterator[bytes]:
        yield b'],"row_count":' + str(row_count).encode() + b"}"


class XlsxWriter(Writer):
    """Typed cells, a bold frozen header row, written to a temporary file in constant memory."""

    CHUNK = 1 << 16

    def __init__(self, sheet: str, created: datetime) -> None:
        handle, self.path = tempfile.mkstemp(suffix=".xlsx")
        os.close(handle)
        self.book = xlsxwriter.Workbook(self.path, {"constant_memory": True})
        self.book.set_properties({"created": created.astimezone(UTC).replace(tzinfo=None)})
        self.first_sheet = sheet
        self.header = self.book.add_format({"bold": True, "bg_color": "#DDE5EE"})
        self.date = self.book.add_format({"num_format": "yyyy-mm-dd"})
        # Times are UTC, as in the CSV and JSON; every time cell says so (Excel has no zones).
        self.datetime = self.book.add_format({"num_format": 'yyyy-mm-dd hh:mm:ss "UTC"'})
        self.next_row = 0

    def start(self, columns: Sequence[Column]) -> bytes:
        self.new_sheet(self.first_sheet, columns)
        return b""

    def new_sheet(self, name: str, columns: Sequence[Column]) -> None:
        """Begin a sheet (a report section) with its header row; rows go to it from now on."""
        self.sheet = self.book.add_worksheet(name[:31])
        self.kinds = [c.kind for c in columns]
        for i, column in enumerate(columns):
            self.sheet.write_string(0, i, column.name, self.header)
            self.sheet.set_column(i, i, max(12, len(column.name) + 2))
        self.sheet.freeze_panes(1, 0)
        self.next_row = 1

    def rows(self, rows: Sequence[Sequence[Any]]) -> bytes:
        for row in rows:
            for i, (kind, value) in enumerate(zip(self.kinds, row, strict=True)):
                self._cell(self.next_row, i, kind, value)
            self.next_row += 1
        return b""

    def _cell(self, r: int, c: int, kind: ColumnKind, value: Any) -> None:
        if value is None:
            return
        if kind in ("number", "integer") and isinstance(value, int | float | Decimal):
            self.sheet.write_number(r, c, float(value))
        elif kind == "datetime" and isinstance(value, datetime):
            self.sheet.write_datetime(
                r, c, value.astimezone(UTC).replace(tzinfo=None), self.datetime
            )
        elif kind == "date" and isinstance(value, date):
            self.sheet.write_datetime(r, c, datetime(value.year, value.month, value.day), self.date)
        else:
            self.sheet.write_string(r, c, str(value))

    def finish(self, row_count: int) -> Iterator[bytes]:
        self.book.close()
        try:
            with open(self.path, "rb") as handle:
                while chunk := handle.read(self.CHUNK):
                    yield chunk
        finally:
            os.unlink(self.path)
