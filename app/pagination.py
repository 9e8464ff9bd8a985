"""Cursor (keyset) pagination shared by every list endpoint.

A list is sorted by one column plus the id as tie-breaker; the cursor is an opaque token holding
the sort key and the last row's values, so pages stay stable while rows are added. A cursor from
another sort order, or one that does not decode, is a 422 on the ``cursor`` parameter.
"""

from __future__ import annotations

import base64
import binascii
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any, Generic, TypeVar

import orjson
from fastapi import Query
from pydantic import BaseModel, Field
from sqlalchemy import ColumnElement, Select, and_, or_
from sqlalchemy.orm import InstrumentedAttribute

from app.errors import Unprocessable

T = TypeVar("T")
AnySelect = Select[*tuple[Any, ...]]
S = TypeVar("S", bound=AnySelect)
MAX_LIMIT = 500


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = Field(
        default=None, description="Pass as `cursor` to get the next page; absent on the last page."
    )


@dataclass(frozen=True)
class PageParams:
    cursor: str | None
    limit: int


async def page_params(
    cursor: Annotated[
        str | None, Query(max_length=500, description="Opaque cursor from `next_cursor`.")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Page size.")] = 50,
) -> PageParams:
    return PageParams(cursor=cursor, limit=limit)


def _encode(sort: str, values: Sequence[Any]) -> str:
    raw = orjson.dumps([sort, *values], default=str)
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(token: str) -> list[Any]:
    try:
        padded = token + "=" * (-len(token) % 4)
        data = orjson.loads(base64.urlsafe_b64decode(padded))
    except (binascii.Error, ValueError) as exc:
        raise Unprocessable.for_field(
            "query.cursor", "invalid_cursor", "cursor is invalid"
        ) from exc
    if not isinstance(data, list) or len(data) != 3:
        raise Unprocessable.for_field("query.cursor", "invalid_cursor", "cursor is invalid")
    return data


def _restore(value: Any, python_type: type) -> Any:
    try:
        if value is None:
            return None
        if python_type is uuid.UUID:
            return uuid.UUID(str(value))
        if python_type is datetime:
            return datetime.fromisoformat(str(value))
        if python_type is date:
            return date.fromisoformat(str(value))
        return python_type(value)
    except (TypeError, ValueError) as exc:
        raise Unprocessable.for_field(
            "query.cursor", "invalid_cursor", "cursor is invalid"
        ) from exc


@dataclass(frozen=True)
class Keyset:
    """The sort orders a list offers: ``{"code": Model.code, "created_at": …}`` plus the id."""

    columns: Mapping[str, InstrumentedAttribute[Any]]
    id_column: InstrumentedAttribute[Any]
    default: str

    def apply(self, stmt: S, sort: str, cursor: str | None, limit: int) -> S:
        descending = sort.startswith("-")
        column = self._column(sort)
        if cursor is not None:
            token_sort, last_value, last_id = _decode(cursor)
            if token_sort != sort:
                raise Unprocessable.for_field(
                    "query.cursor", "cursor_sort_mismatch", "cursor was made for another sort"
                )
            value = _restore(last_value, column.type.python_type)
            ident = _restore(last_id, uuid.UUID)
            stmt = stmt.where(self._after(column, value, ident, descending))
        order = (column.desc(), self.id_column.desc()) if descending else (column, self.id_column)
        return stmt.order_by(*order).limit(limit + 1)

    def page(self, rows: Sequence[Any], sort: str, limit: int) -> tuple[list[Any], str | None]:
        """Cut the extra row fetched by :meth:`apply` and make the next cursor from the last."""
        items = list(rows[:limit])
        if len(rows) <= limit:
            return items, None
        last = items[-1]
        key = self._column(sort).key
        return items, _encode(sort, [getattr(last, key), getattr(last, self.id_column.key)])

    def _column(self, sort: str) -> InstrumentedAttribute[Any]:
        name = sort.removeprefix("-")
        if name not in self.columns:
            allowed = ", ".join(sorted(self.columns))
            raise Unprocessable.for_field(
                "query.sort", "invalid_sort", f"sort by one of {allowed} (prefix - for descending)"
            )
        return self.columns[name]

    def _after(
        self, column: Any, value: Any, ident: uuid.UUID, descending: bool
    ) -> ColumnElement[bool]:
        if descending:
            return or_(column < value, and_(column == value, self.id_column < ident))
        return or_(column > value, and_(column == value, self.id_column > ident))
