"""The one write path for budget lines: ``PUT /budget-lines``, the ERP batch and the demo loader.

Built like ``app.measurements.writes``:

1. :func:`resolve` installs the default chart if the municipality has no categories yet, then
   looks up every org unit, category and ERP account the rows name, one query per kind.
2. :func:`validate` checks each row without I/O: schema, references, period (a year or a month),
   the unit's validity, the credential's subtree, duplicate keys and annual/monthly mixing within
   the request.
3. :func:`check_existing` reads the stored lines of the rows' units and years in one query: it
   refuses a row whose key is annual where the stored one is monthly (or the reverse), and marks
   every other row created, updated or unchanged (the same amount and texts sent again).
4. :func:`write` inserts and updates set-based (executemany) and appends a version per changed
   line (:mod:`app.versions`), with the batch id on the lines and on the versions.

The audit rule (DOMAIN §3, §11, issue 18), as for measurements: a single write (``PUT``) also
records its own audit event with before and after; a batch records one event for the whole batch,
and the before and after of each line it changed are the line's versions.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal, cast

from pydantic import ValidationError
from sqlalchemy import Table, bindparam, select, update

from app.audit.recorder import Change
from app.auth.deps import BATCH_ID_KEY, Ctx
from app.batches.rows import codes_in, ids_in, location
from app.budget import categories
from app.budget.models import WHOLE_YEAR, BudgetAccount, BudgetCategory, BudgetLine, Scenario
from app.budget.money import to_ore
from app.budget.schemas import BudgetLineWrite
from app.db import insert_many, utcnow, uuid7
from app.errors import FieldError
from app.orgunits.models import OrgUnit
from app.orgunits.service import subtree_ids
from app.periods import Period, PeriodKind
from app.versions.service import record_changes

Result = Literal["created", "updated", "unchanged"]
CONTENT = ("amount_ore", "source_system", "comment")
LINES = cast(Table, BudgetLine.__table__)
# org unit, category, account ("" by category), year, month (0 = year), scenario, forecast date
NaturalKey = tuple[uuid.UUID, uuid.UUID, str, int, int, str, date | None]


def base_key(key: NaturalKey) -> tuple[Any, ...]:
    """The key without the month: annual and monthly lines of one base key never mix."""
    return key[:4] + key[5:]


@dataclass(frozen=True)
class RowError:
    index: int
    key: dict[str, Any]
    field: str
    code: str
    message: str


@dataclass
class ValidRow:
    index: int
    key: NaturalKey
    raw_key: dict[str, Any]
    content: dict[str, Any]
    result: Result = "created"
    line_id: uuid.UUID | None = None
    current: dict[str, Any] | None = None


@dataclass
class Lookups:
    units_by_id: dict[uuid.UUID, OrgUnit] = field(default_factory=dict)
    units_by_code: dict[str, OrgUnit] = field(default_factory=dict)
    categories_by_id: dict[uuid.UUID, BudgetCategory] = field(default_factory=dict)
    categories_by_code: dict[str, BudgetCategory] = field(default_factory=dict)
    accounts: dict[str, uuid.UUID] = field(default_factory=dict)  # ERP account → category id
    writable: set[uuid.UUID] | None = None  # None: the whole municipality


async def resolve(ctx: Ctx, rows: Sequence[dict[str, Any]]) -> Lookups:
    """Everything the rows refer to, in one query per kind."""
    await categories.ensure_default_chart(ctx)
    lookups = Lookups()
    unit_ids, unit_codes = ids_in(rows, "org_unit_id"), codes_in(rows, "org_unit_code")
    if unit_ids or unit_codes:
        for unit in await ctx.session.scalars(
            select(OrgUnit).where(OrgUnit.id.in_(unit_ids) | OrgUnit.code.in_(unit_codes))
        ):
            lookups.units_by_id[unit.id] = unit
            lookups.units_by_code[unit.code] = unit
    account_codes = codes_in(rows, "account_code")
    if account_codes:
        for code, category_id in await ctx.session.execute(
            select(BudgetAccount.code, BudgetAccount.category_id).where(
                BudgetAccount.code.in_(account_codes)
            )
        ):
            lookups.accounts[code] = category_id
    category_ids = ids_in(rows, "category_id") | set(lookups.accounts.values())
    category_codes = codes_in(rows, "category_code")
    if category_ids or category_codes:
        for category in await ctx.session.scalars(
            select(BudgetCategory).where(
                BudgetCategory.id.in_(category_ids) | BudgetCategory.code.in_(category_codes)
            )
        ):
            lookups.categories_by_id[category.id] = category
            lookups.categories_by_code[category.code] = category
    if ctx.principal.org_unit_id is not None:
        lookups.writable = set(
            (await ctx.session.scalars(subtree_ids(ctx.principal.org_unit_id))).all()
        )
    return lookups


def _raw_key(row: dict[str, Any]) -> dict[str, Any]:
    """The natural key as the client sent it, for error reports (never free text)."""
    return {
        "org_unit": row.get("org_unit_code") or row.get("org_unit_id"),
        "category": row.get("category_code") or row.get("category_id"),
        "account": row.get("account_code"),
        "period": row.get("period"),
        "scenario": row.get("scenario"),
        "forecast_date": row.get("forecast_date"),
    }


def validate(
    rows: Sequence[dict[str, Any]], lookups: Lookups, prefix: str = ""
) -> tuple[list[ValidRow], list[RowError]]:
    valid: list[ValidRow] = []
    errors: list[RowError] = []
    seen: dict[NaturalKey, int] = {}
    granularity: dict[tuple[Any, ...], tuple[bool, int]] = {}  # base key → (annual?, row)
    for index, raw in enumerate(rows):
        key = _raw_key(raw)

        def fail(
            field_name: str,
            code: str,
            message: str,
            index: int = index,
            key: dict[str, Any] = key,
        ) -> None:
            errors.append(RowError(index, key, prefix + field_name, code, message))

        try:
            row = BudgetLineWrite.model_validate(raw)
        except ValidationError as exc:
            for error in exc.errors(include_input=False, include_context=False):
                fail(location(error["loc"]), error["type"], error["msg"])
            continue
        before = len(errors)
        if (row.org_unit_id is None) == (row.org_unit_code is None):
            fail("org_unit_code", "reference", "give exactly one of org_unit_id and org_unit_code")
        given = [row.category_id, row.category_code, row.account_code]
        if sum(x is not None for x in given) != 1:
            fail(
                "category_code",
                "reference",
                "give exactly one of category_id, category_code and account_code",
            )
        if row.scenario == Scenario.FORECAST and row.forecast_date is None:
            fail("forecast_date", "missing", "a forecast needs the date it was made")
        if row.scenario != Scenario.FORECAST and row.forecast_date is not None:
            fail("forecast_date", "not_allowed", "only a forecast has a forecast_date")
        if len(errors) > before:
            continue
        unit = (
            lookups.units_by_id.get(row.org_unit_id)
            if row.org_unit_id
            else lookups.units_by_code.get(row.org_unit_code or "")
        )
        unit_field = "org_unit_id" if row.org_unit_id else "org_unit_code"
        if row.account_code is not None:
            category_field = "account_code"
            category_id = lookups.accounts.get(row.account_code)
            category = lookups.categories_by_id.get(category_id) if category_id else None
        elif row.category_id is not None:
            category_field = "category_id"
            category = lookups.categories_by_id.get(row.category_id)
        else:
            category_field = "category_code"
            category = lookups.categories_by_code.get(row.category_code or "")
        if unit is None:
            fail(unit_field, "not_found", "org unit not found")
        if category is None:
            fail(
                category_field,
                "not_found",
                "no category maps this ERP account"
                if category_field == "account_code"
                else "budget category not found",
            )
        if unit is None or category is None:
            continue
        if lookups.writable is not None and unit.id not in lookups.writable:
            fail(
                unit_field,
                "outside_subtree",
                "this credential may write only within its own org unit's subtree",
            )
            continue
        period = Period.parse(row.period)
        if period.kind not in (PeriodKind.YEAR, PeriodKind.MONTH):
            fail("period", "period_kind", "a budget line is for a year (2023) or a month (2023-05)")
            continue
        if period.end < unit.valid_from or (
            unit.valid_to is not None and period.start > unit.valid_to
        ):
            fail("period", "org_unit_not_valid", f"org unit {unit.code} does not exist in {period}")
            continue
        month = period.index if period.kind == PeriodKind.MONTH else WHOLE_YEAR
        natural: NaturalKey = (
            unit.id,
            category.id,
            row.account_code or "",
            period.year,
            month,
            row.scenario.value,
            row.forecast_date,
        )
        if natural in seen:
            fail("period", "duplicate_in_request", f"the same key as row {seen[natural]}")
            continue
        annual, first = granularity.setdefault(base_key(natural), (month == WHOLE_YEAR, index))
        if annual != (month == WHOLE_YEAR):
            fail(
                "period",
                "granularity_conflict",
                f"row {first} gives the same key for the "
                + ("whole year" if annual else "months")
                + "; a key is annual or monthly, not both",
            )
            continue
        seen[natural] = index
        valid.append(
            ValidRow(
                index=index,
                key=natural,
                raw_key=key,
                content={
                    "amount_ore": to_ore(row.amount),
                    "source_system": row.source_system,
                    "comment": row.comment,
                },
            )
        )
    return valid, errors


async def check_existing(ctx: Ctx, rows: list[ValidRow], prefix: str = "") -> list[RowError]:
    """Classify ``rows`` against the stored lines (one query); return (and drop) the rows whose
    key is stored with the other granularity."""
    if not rows:
        return []
    units = {r.key[0] for r in rows}
    years = {r.key[3] for r in rows}
    b = BudgetLine
    stmt = select(
        b.id,
        b.org_unit_id,
        b.category_id,
        b.account_code,
        b.year,
        b.month,
        b.scenario,
        b.forecast_date,
        *(getattr(b, k) for k in CONTENT),
    ).where(b.org_unit_id.in_(units), b.year.in_(years))
    stored: dict[NaturalKey, tuple[uuid.UUID, dict[str, Any]]] = {}
    stored_annual: dict[tuple[Any, ...], bool] = {}
    for line_id, *key_values, amount, source, comment in await ctx.session.execute(stmt):
        key = cast(NaturalKey, tuple(key_values))
        stored[key] = (line_id, {"amount_ore": amount, "source_system": source, "comment": comment})
        stored_annual[base_key(key)] = key[4] == WHOLE_YEAR
    errors: list[RowError] = []
    kept: list[ValidRow] = []
    for row in rows:
        annual = stored_annual.get(base_key(row.key))
        if annual is not None and annual != (row.key[4] == WHOLE_YEAR):
            errors.append(
                RowError(
                    row.index,
                    row.raw_key,
                    prefix + "period",
                    "granularity_conflict",
                    "this key is stored "
                    + ("for the whole year" if annual else "by month")
                    + "; delete those lines before sending "
                    + ("months" if annual else "a whole year"),
                )
            )
            continue
        kept.append(row)
        found = stored.get(row.key)
        if found is None:
            continue
        row.line_id, row.current = found
        row.result = "unchanged" if row.current == row.content else "updated"
    rows[:] = kept
    return errors


def snapshot(key: NaturalKey, content: dict[str, Any]) -> dict[str, Any]:
    """A line as its versions and audit events show it (amount in öre)."""
    unit, category, account, year, month, scenario, forecast = key
    return {
        "org_unit_id": str(unit),
        "category_id": str(category),
        "account_code": account or None,
        "year": year,
        "month": month or None,
        "scenario": scenario,
        "forecast_date": forecast.isoformat() if forecast else None,
        **content,
    }


async def write(ctx: Ctx, rows: Iterable[ValidRow], batch_id: uuid.UUID | None) -> None:
    """Write the changed rows set-based, with a version each (and an audit event each when
    no batch is writing them)."""
    changed = [r for r in rows if r.result != "unchanged"]
    if not changed:
        return
    now = utcnow()
    tenant = ctx.municipality_id
    actor = ctx.principal.actor
    ctx.session.info[BATCH_ID_KEY] = batch_id
    created = [r for r in changed if r.line_id is None]
    for row in created:
        row.line_id = uuid7()
    if created:
        await insert_many(
            ctx.session,
            LINES,
            [
                {
                    "id": r.line_id,
                    "municipality_id": tenant,
                    "org_unit_id": r.key[0],
                    "category_id": r.key[1],
                    "account_code": r.key[2],
                    "year": r.key[3],
                    "month": r.key[4],
                    "scenario": r.key[5],
                    "forecast_date": r.key[6],
                    "recorded_by": actor,
                    "batch_id": batch_id,
                    "created_at": now,
                    "updated_at": now,
                    **r.content,
                }
                for r in created
            ],
        )
    updated = [r for r in changed if r.result == "updated"]
    if updated:
        await ctx.session.execute(
            update(LINES)
            .where(LINES.c.id == bindparam("b_id"))
            .values(
                amount_ore=bindparam("b_amount"),
                source_system=bindparam("b_source"),
                comment=bindparam("b_comment"),
                recorded_by=actor,
                batch_id=batch_id,
                updated_at=now,
            ),
            [
                {
                    "b_id": r.line_id,
                    "b_amount": r.content["amount_ore"],
                    "b_source": r.content["source_system"],
                    "b_comment": r.content["comment"],
                }
                for r in updated
            ],
        )
    changes = [
        Change(
            entity_type="budget_line",
            entity_id=str(r.line_id),
            action="create" if r.current is None else "update",
            before=None if r.current is None else snapshot(r.key, r.current),
            after=snapshot(r.key, r.content),
            municipality_id=tenant,
        )
        for r in changed
    ]
    await record_changes(ctx, changes)


def field_errors(errors: Sequence[RowError]) -> list[FieldError]:
    return [FieldError(field=e.field, code=e.code, message=e.message) for e in errors]
