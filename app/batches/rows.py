"""Small helpers every importer uses on raw rows, before they are validated."""

import uuid
from collections.abc import Sequence
from typing import Any


def ids_in(rows: Sequence[dict[str, Any]], name: str) -> set[uuid.UUID]:
    """The valid UUIDs the rows give in column ``name`` (others are reported by validation)."""
    found = set()
    for row in rows:
        try:
            found.add(uuid.UUID(str(row[name])))
        except (KeyError, ValueError, TypeError):
            continue
    return found


def codes_in(rows: Sequence[dict[str, Any]], name: str) -> set[str]:
    """The non-empty codes the rows give in column ``name``."""
    return {str(row[name]) for row in rows if row.get(name) not in (None, "")}


def location(loc: Sequence[int | str]) -> str:
    """A pydantic error location as a field name within the row (``row`` for the row itself)."""
    return ".".join(str(part) for part in loc) or "row"
