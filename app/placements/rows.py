"""What every placement write path shares: row errors, and resolving the references rows make.

:func:`resolve` looks up every category, org unit and provider the rows name (by id or code; a
provider also by organisation number) in one query per kind — in chunks, so 100 000 rows stay
within both engines' limits on bound parameters — and the caller's writable subtree if its
credential is limited to one.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import ValidationError
from sqlalchemy import select

from app.auth.deps import Ctx
from app.batches.rows import codes_in, ids_in
from app.errors import FieldError
from app.orgunits.models import OrgUnit
from app.orgunits.service import subtree_ids
from app.personnummer import contains_personal_identity_number
from app.placements.models import PlacementCategory, PlacementProvider

T = TypeVar("T")
CHUNK = 5000  # bound parameters per IN list (PostgreSQL allows 32 767 in one statement)


@dataclass(frozen=True)
class RowError:
    index: int
    key: dict[str, Any]
    field: str
    code: str
    message: str


def chunks(items: Iterable[T], size: int = CHUNK) -> Iterator[list[T]]:
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def safe_text(value: Any, limit: int = 100) -> str | None:
    """A client's value fit to repeat in an error report: short text without a personnummer."""
    if not isinstance(value, str) or len(value) > limit:
        return None
    return None if contains_personal_identity_number(value) else value


def ref(row: dict[str, Any], what: str) -> Any:
    """The reference as the client sent it (code preferred), for error reports."""
    return safe_text(row.get(f"{what}_code")) or safe_text(str(row.get(f"{what}_id") or "")) or None


def validation_errors(exc: ValidationError) -> list[tuple[str, str, str]]:
    """(field, code, message) of each error, never the input."""
    return [
        (".".join(str(p) for p in e["loc"]) or "row", e["type"], e["msg"])
        for e in exc.errors(include_input=False, include_context=False)
    ]


def field_errors(errors: Sequence[RowError]) -> list[FieldError]:
    return [FieldError(field=e.field, code=e.code, message=e.message) for e in errors]


@dataclass
class Lookups:
    categories_by_id: dict[uuid.UUID, PlacementCategory] = field(default_factory=dict)
    categories_by_code: dict[str, PlacementCategory] = field(default_factory=dict)
    units_by_id: dict[uuid.UUID, OrgUnit] = field(default_factory=dict)
    units_by_code: dict[str, OrgUnit] = field(default_factory=dict)
    providers_by_id: dict[uuid.UUID, PlacementProvider] = field(default_factory=dict)
    providers_by_org_number: dict[str, PlacementProvider] = field(default_factory=dict)
    writable: set[uuid.UUID] | None = None  # None: the whole municipality

    def category(self, by_id: uuid.UUID | None, code: str | None) -> PlacementCategory | None:
        if by_id is not None:
            return self.categories_by_id.get(by_id)
        return self.categories_by_code.get(code or "")

    def unit(self, by_id: uuid.UUID | None, code: str | None) -> OrgUnit | None:
        if by_id is not None:
            return self.units_by_id.get(by_id)
        return self.units_by_code.get(code or "")

    def provider(self, by_id: uuid.UUID | None, org_number: str | None) -> PlacementProvider | None:
        if by_id is not None:
            return self.providers_by_id.get(by_id)
        return self.providers_by_org_number.get(org_number or "")


def _org_numbers(rows: Sequence[dict[str, Any]]) -> set[str]:
    found = set()
    for row in rows:
        value = row.get("provider_org_number")
        if isinstance(value, str):
            digits = value.replace("-", "").strip()
            if len(digits) == 10 and digits.isdigit():
                found.add(f"{digits[:6]}-{digits[6:]}")
    return found


async def resolve(ctx: Ctx, rows: Sequence[dict[str, Any]]) -> Lookups:
    """Everything the rows refer to, in one query per kind (and chunk)."""
    lookups = Lookups()
    session = ctx.session
    ids, codes = ids_in(rows, "category_id"), codes_in(rows, "category_code")
    for chunk in chunks([*ids, *codes]):
        chunk_ids = [c for c in chunk if isinstance(c, uuid.UUID)]
        chunk_codes = [c for c in chunk if isinstance(c, str)]
        for category in await session.scalars(
            select(PlacementCategory).where(
                PlacementCategory.id.in_(chunk_ids) | PlacementCategory.code.in_(chunk_codes)
            )
        ):
            lookups.categories_by_id[category.id] = category
            lookups.categories_by_code[category.code] = category
    ids, codes = ids_in(rows, "org_unit_id"), codes_in(rows, "org_unit_code")
    for chunk in chunks([*ids, *codes]):
        chunk_ids = [c for c in chunk if isinstance(c, uuid.UUID)]
        chunk_codes = [c for c in chunk if isinstance(c, str)]
        for unit in await session.scalars(
            select(OrgUnit).where(OrgUnit.id.in_(chunk_ids) | OrgUnit.code.in_(chunk_codes))
        ):
            lookups.units_by_id[unit.id] = unit
            lookups.units_by_code[unit.code] = unit
    ids, numbers = ids_in(rows, "provider_id"), _org_numbers(rows)
    for chunk in chunks([*ids, *numbers]):
        chunk_ids = [c for c in chunk if isinstance(c, uuid.UUID)]
        chunk_numbers = [c for c in chunk if isinstance(c, str)]
        for provider in await session.scalars(
            select(PlacementProvider).where(
                PlacementProvider.id.in_(chunk_ids)
                | PlacementProvider.organisation_number.in_(chunk_numbers)
            )
        ):
            lookups.providers_by_id[provider.id] = provider
            if provider.organisation_number:
                lookups.providers_by_org_number[provider.organisation_number] = provider
    if ctx.principal.org_unit_id is not None:
        lookups.writable = set(
            (await session.scalars(subtree_ids(ctx.principal.org_unit_id))).all()
        )
    return lookups


OUTSIDE_SUBTREE = "this credential may write only within its own org unit's subtree"


def check_references(
    lookups: Lookups, row: Any, fail: Any, *, provider: bool = False
) -> tuple[PlacementCategory, OrgUnit, PlacementProvider | None] | None:
    """The category, org unit (and provider) a validated row names, or ``None`` after ``fail``."""
    category = lookups.category(row.category_id, row.category_code)
    unit = lookups.unit(row.org_unit_id, row.org_unit_code)
    found_provider = None
    ok = True
    if category is None:
        fail(
            "category_id" if row.category_id else "category_code",
            "not_found",
            "placement category not found",
        )
        ok = False
    if unit is None:
        fail(
            "org_unit_id" if row.org_unit_id else "org_unit_code",
            "not_found",
            "org unit not found",
        )
        ok = False
    if provider and (row.provider_id is not None or row.provider_org_number is not None):
        found_provider = lookups.provider(row.provider_id, row.provider_org_number)
        if found_provider is None:
            fail(
                "provider_id" if row.provider_id else "provider_org_number",
                "not_found",
                "provider not found",
            )
            ok = False
    if not ok or category is None or unit is None:
        return None
    if lookups.writable is not None and unit.id not in lookups.writable:
        fail(
            "org_unit_code" if row.org_unit_code else "org_unit_id",
            "outside_subtree",
            OUTSIDE_SUBTREE,
        )
        return None
    return category, unit, found_provider
