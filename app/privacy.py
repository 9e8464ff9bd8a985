"""Where a personal identity number could enter the service, and what is done with it there.

:mod:`app.personnummer` recognises a number; this module applies it to every channel (issue 15):

* **refused** (422, the location named, the value never echoed): every string of a JSON body —
  codes, lists and object keys included — every query parameter, every path segment of a matched
  route, and the ``Idempotency-Key`` header (it is stored); batch rows are screened cell by cell
  by :func:`screen_rows`, CSV and JSON alike;
* **redacted** (:data:`~app.personnummer.REDACTED` in its place), where refusing is not possible
  or already happened: the path in the access log and in a problem's ``instance``, a refused
  ``Content-Type``, token claims kept as the actor, every log line, the query kept in an export's
  audit event; an ``X-Request-ID`` holding one is replaced by a fresh id.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Mapping, Sequence
from functools import lru_cache
from typing import Any

import orjson
from fastapi import Request

from app.errors import FieldError, Unprocessable
from app.personnummer import (
    ERROR_MESSAGE,
    ERROR_TYPE,
    contains_personal_identity_number,
    redact,
    repeatable_name,
)

IDEMPOTENCY_HEADER = "Idempotency-Key"


def _holds_number(text: str) -> bool:
    """Whether a client's string holds a number. A UUID never does, though one in a few hundred
    ends in twelve decimal digits that happen to read as one."""
    if len(text) == 36 and text.count("-") == 4:
        try:
            uuid.UUID(text)
        except ValueError:
            pass
        else:
            return False
    return contains_personal_identity_number(text)


def _refusal(field: str) -> FieldError:
    return FieldError(field=field, code=ERROR_TYPE, message=ERROR_MESSAGE)


def _strings(value: Any, location: str) -> Iterator[tuple[str, str]]:
    """Every string in a decoded JSON value with its dotted location; an object key that is not
    a plain name is reported at its parent's location, so it is never repeated."""
    if isinstance(value, str):
        yield location, value
    elif isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, str):
                yield f"{location}.{index}", item
            elif isinstance(item, list | dict):
                yield from _strings(item, f"{location}.{index}")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield location, key
            if isinstance(item, str):
                yield f"{location}.{key}" if _plain(key) else location, item
            elif isinstance(item, list | dict):
                yield from _strings(item, f"{location}.{key}" if _plain(key) else location)


@lru_cache(maxsize=1024)
def _plain(name: str) -> bool:
    # Rows repeat the same few keys; a name is judged once.
    return repeatable_name(name)


async def _body_refusals(request: Request) -> list[FieldError]:
    # Only routes that declare a body: FastAPI has read it already, so this reads no more bytes.
    # Batch routes stream their own body and screen their rows (screen_rows).
    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    if dependant is None or not dependant.body_params:
        return []
    body = await request.body()
    if not body:
        return []
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError:
        return []  # FastAPI answers that one, without the body
    seen: dict[str, None] = {}
    for location, text in _strings(data, "body"):
        if _holds_number(text):
            seen.setdefault(location)
    return [_refusal(location) for location in seen]


async def refuse_personal_identity_numbers(request: Request) -> None:
    """Router dependency: 422 when a path segment, query parameter, kept header or body string
    holds a personal identity number, naming where and never repeating it."""
    errors = [
        _refusal(f"path.{name}")
        for name, value in request.path_params.items()
        if isinstance(value, str) and _holds_number(value)
    ]
    for name, value in request.query_params.multi_items():
        if _holds_number(name) or _holds_number(value):
            errors.append(_refusal(f"query.{name}" if repeatable_name(name) else "query"))
    key = request.headers.get(IDEMPOTENCY_HEADER)
    if key is not None and _holds_number(key):
        errors.append(_refusal(f"header.{IDEMPOTENCY_HEADER}"))
    errors += await _body_refusals(request)
    if errors:
        raise Unprocessable(
            f"{len(errors)} field(s) contain a personal identity number; nothing was stored",
            errors=errors,
        )


def screen_rows(
    rows: Sequence[dict[str, Any]],
) -> tuple[list[dict[str, Any]], dict[int, list[str]]]:
    """Batch rows with every cell holding a number taken out, and which cells those were, by
    row index. The importer then validates only what passed the guard, so a refused row is
    named by its index and the parts of its key that passed, never by what was sent."""
    screened: list[dict[str, Any]] = []
    refused: dict[int, list[str]] = {}
    for index, row in enumerate(rows):
        bad = [name for name, value in row.items() if _cell_holds_number(name, value)]
        if bad:
            refused[index] = [name if _plain(str(name)) else "row" for name in bad]
            row = {name: value for name, value in row.items() if name not in bad}
        screened.append(row)
    return screened, refused


def _cell_holds_number(name: Any, value: Any) -> bool:
    if not _plain(str(name)) and _holds_number(str(name)):
        return True
    if isinstance(value, str):
        return _holds_number(value)
    return isinstance(value, list | dict) and any(
        _holds_number(text) for _, text in _strings(value, "")
    )


def clean_key(key: Mapping[str, Any]) -> dict[str, Any]:
    """A row's key for an error report, each part that holds a number set to ``None``."""
    return {
        name: None if isinstance(value, str) and _holds_number(value) else value
        for name, value in key.items()
    }


def redact_values(values: Mapping[str, Any]) -> dict[str, Any]:
    """The string values of a mapping redacted (an export's query, a log line's fields)."""
    return {
        name: redact(value) if isinstance(value, str) else value for name, value in values.items()
    }
