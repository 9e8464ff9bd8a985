"""The one write path for measurements: the single ``PUT`` and the batch ingest both come here.

1. :func:`resolve` looks up every indicator and org unit the rows name (by id or code) in one
   query per kind, and the caller's writable subtree if its credential is limited to one.
2. :func:`validate` checks each row (schema, references, periodicity, gender split, ratio
   fields, personnummer guard, duplicates within the request) without I/O.
3. :func:`classify` reads the current versions of all the rows' keys in one query and sorts each
   row into created, updated or unchanged (same content sent again: no new version).
4. :func:`write` writes set-based — :func:`app.db.copy_many` (binary COPY on the session's
   connection on PostgreSQL, executemany on SQLite), never one ORM object per row — appending one
   version per changed value (versions are never updated: the database refuses it) and pointing
   the key rows at them.

The audit rule (DOMAIN §3, §11, issue 18): a single write (``PUT``) records its own audit event
with before and after. A batch records one event for the whole batch
(:func:`app.batches.service.record_batch_event`); the before and after of each value it changed
are its versions, which carry the batch id (``GET /import-batches/{id}/changes`` reads them).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal, cast

from pydantic import ValidationError
from sqlalchemy import Connection, Table, bindparam, func, select, update
from sqlalchemy.dialects.postgresql import ARRAY

from app.audit.recorder import Change, json_value, record_events
from app.auth.deps import BATCH_ID_KEY, Ctx
from app.batches.rows import codes_in, ids_in, location
from app.db import copy_many, utcnow, uuid7
from app.errors import Conflict, FieldError
from app.indicators.models import Aggregation, Indicator, Periodicity
from app.measurements.models import Measurement, MeasurementVersion
from app.measurements.schemas import MeasurementWrite
from app.measurements.validation import IndicatorRules, UnitValidity, check_measurement
from app.orgunits.models import OrgUnit
from app.orgunits.service import subtree_ids
from app.periods import Period

Result = Literal["created", "updated", "unchanged"]
CONTENT = ("value", "numerator", "denominator", "status", "source_system", "comment")
# Core tables: set-based writes go around the ORM unit of work (the rows are this tenant's).
MEASUREMENTS = cast(Table, Measurement.__table__)
VERSIONS = cast(Table, MeasurementVersion.__table__)
NaturalKey = tuple[uuid.UUID, uuid.UUID, str, str]  # indicator, org unit, period, gender


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
    period: Period
    content: dict[str, Any]
    result: Result = "created"
    measurement_id: uuid.UUID | None = None
    current: dict[str, Any] | None = None  # the current version's content, if not deleted
    current_version_id: uuid.UUID | None = None


@dataclass
class Lookups:
    indicators_by_id: dict[uuid.UUID, Indicator] = field(default_factory=dict)
    indicators_by_code: dict[str, Indicator] = field(default_factory=dict)
    units_by_id: dict[uuid.UUID, OrgUnit] = field(default_factory=dict)
    units_by_code: dict[str, OrgUnit] = field(default_factory=dict)
    writable: set[uuid.UUID] | None = None  # None: the whole municipality


async def resolve(ctx: Ctx, rows: Sequence[dict[str, Any]]) -> Lookups:
    """Everything the rows refer to, in one query per kind."""
    lookups = Lookups()
    indicator_ids, indicator_codes = ids_in(rows, "indicator_id"), codes_in(rows, "indicator_code")
    if indicator_ids or indicator_codes:
        for indicator in await ctx.session.scalars(
            select(Indicator).where(
                Indicator.id.in_(indicator_ids) | Indicator.code.in_(indicator_codes)
            )
        ):
            lookups.indicators_by_id[indicator.id] = indicator
            lookups.indicators_by_code[indicator.code] = indicator
    unit_ids, unit_codes = ids_in(rows, "org_unit_id"), codes_in(rows, "org_unit_code")
    if unit_ids or unit_codes:
        for unit in await ctx.session.scalars(
            select(OrgUnit).where(OrgUnit.id.in_(unit_ids) | OrgUnit.code.in_(unit_codes))
        ):
            lookups.units_by_id[unit.id] = unit
            lookups.units_by_code[unit.code] = unit
    if ctx.principal.org_unit_id is not None:
        lookups.writable = set(
            (await ctx.session.scalars(subtree_ids(ctx.principal.org_unit_id))).all()
        )
    return lookups


def _raw_key(row: dict[str, Any]) -> dict[str, Any]:
    """The natural key as the client sent it, for error reports (never free text)."""
    return {
        "indicator": row.get("indicator_code") or row.get("indicator_id"),
        "org_unit": row.get("org_unit_code") or row.get("org_unit_id"),
        "period": row.get("period"),
        "gender": row.get("gender") or "total",
    }


def validate(
    rows: Sequence[dict[str, Any]], lookups: Lookups, prefix: str = ""
) -> tuple[list[ValidRow], list[RowError]]:
    valid: list[ValidRow] = []
    errors: list[RowError] = []
    seen: dict[NaturalKey, int] = {}
    rules: dict[uuid.UUID, IndicatorRules] = {}
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
            row = MeasurementWrite.model_validate(raw)
        except ValidationError as exc:
            for error in exc.errors(include_input=False, include_context=False):
                fail(location(error["loc"]), error["type"], error["msg"])
            continue
        indicator = (
            lookups.indicators_by_id.get(row.indicator_id)
            if row.indicator_id
            else lookups.indicators_by_code.get(row.indicator_code or "")
        )
        unit = (
            lookups.units_by_id.get(row.org_unit_id)
            if row.org_unit_id
            else lookups.units_by_code.get(row.org_unit_code or "")
        )
        if indicator is None:
            fail(
                "indicator_id" if row.indicator_id else "indicator_code",
                "not_found",
                "indicator not found",
            )
        if unit is None:
            fail(
                "org_unit_id" if row.org_unit_id else "org_unit_code",
                "not_found",
                "org unit not found",
            )
        if indicator is None or unit is None:
            continue
        if lookups.writable is not None and unit.id not in lookups.writable:
            fail(
                "org_unit_code" if row.org_unit_code else "org_unit_id",
                "outside_subtree",
                "this credential may write only within its own org unit's subtree",
            )
            continue
        period = Period.parse(row.period)
        checked = check_measurement(
            rules.get(indicator.id) or rules.setdefault(indicator.id, rules_of(indicator)),
            UnitValidity(unit.code, unit.valid_from, unit.valid_to),
            period,
            row.gender,
            row.value,
            row.numerator,
            row.denominator,
            prefix="",
        )
        if checked.errors:
            for problem in checked.errors:
                fail(problem.field, problem.code, problem.message)
            continue
        natural: NaturalKey = (indicator.id, unit.id, str(period), row.gender.value)
        if natural in seen:
            fail("period", "duplicate_in_request", f"the same key as row {seen[natural]}")
            continue
        seen[natural] = index
        valid.append(
            ValidRow(
                index=index,
                key=natural,
                period=period,
                content={
                    "value": checked.value,
                    "numerator": row.numerator,
                    "denominator": row.denominator,
                    "status": row.status.value,
                    "source_system": row.source_system,
                    "comment": row.comment,
                },
            )
        )
    return valid, errors


def rules_of(indicator: Indicator) -> IndicatorRules:
    return IndicatorRules(
        periodicity=Periodicity(indicator.periodicity),
        aggregation=Aggregation(indicator.aggregation),
        gender_split=indicator.gender_split,
        ratio_scale=indicator.ratio_scale,
    )


def _same(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return all(_norm(a[k]) == _norm(b[k]) for k in CONTENT)


def _norm(value: Any) -> Any:
    return value.normalize() if isinstance(value, Decimal) else value


async def classify(ctx: Ctx, rows: list[ValidRow]) -> None:
    """Mark each row created, updated or unchanged against the current versions (one query)."""
    if not rows:
        return
    indicators = {r.key[0] for r in rows}
    units = {r.key[1] for r in rows}
    periods = {r.key[2] for r in rows}
    v = MeasurementVersion
    stmt = (
        select(
            Measurement.id,
            Measurement.indicator_id,
            Measurement.org_unit_id,
            Measurement.period,
            Measurement.gender,
            v.id,
            v.deleted,
            *(getattr(v, k) for k in CONTENT),
        )
        .join(v, v.id == Measurement.current_version_id)
        .where(
            Measurement.indicator_id.in_(indicators),
            Measurement.org_unit_id.in_(units),
            Measurement.period.in_(periods),
        )
    )
    existing: dict[NaturalKey, tuple[uuid.UUID, uuid.UUID | None, dict[str, Any] | None]] = {}
    for mid, ind, unit, period, gender, vid, deleted, *content in await ctx.session.execute(stmt):
        current = None if deleted else dict(zip(CONTENT, content, strict=True))
        existing[(ind, unit, period, gender)] = (mid, vid, current)
    for row in rows:
        found = existing.get(row.key)
        if found is None:
            continue
        row.measurement_id, row.current_version_id, row.current = found
        if row.current is None:
            row.result = "created"
        elif _same(row.current, row.content):
            row.result = "unchanged"
        else:
            row.result = "updated"


def _json(content: dict[str, Any] | None) -> dict[str, Any] | None:
    return None if content is None else json_value(content)


async def write(ctx: Ctx, rows: Iterable[ValidRow], batch_id: uuid.UUID | None) -> None:
    """Write the changed rows set-based: a new version each, the key rows pointing at it.

    Without a batch (a single write) each change gets its own audit event with before and after;
    a batch's audit event is written once by the batch machinery."""
    changed = [r for r in rows if r.result != "unchanged"]
    if not changed:
        return
    now = utcnow()
    tenant = ctx.municipality_id
    session = ctx.session
    session.info[BATCH_ID_KEY] = batch_id
    versions = {id(r): uuid7() for r in changed}
    new_measurements = []
    for row in changed:
        if row.measurement_id is None:
            row.measurement_id = uuid7()
            new_measurements.append(
                {
                    "id": row.measurement_id,
                    "municipality_id": tenant,
                    "indicator_id": row.key[0],
                    "org_unit_id": row.key[1],
                    "period": row.key[2],
                    "period_start": row.period.start,
                    "period_end": row.period.end,
                    "gender": row.key[3],
                    "created_at": now,
                    "current_version_id": versions[id(row)],
                }
            )
    await copy_many(session, MEASUREMENTS, new_measurements)
    await copy_many(
        session,
        VERSIONS,
        [
            {
                "id": versions[id(r)],
                "municipality_id": tenant,
                "measurement_id": r.measurement_id,
                "recorded_by": ctx.principal.actor,
                "batch_id": batch_id,
                "deleted": False,
                "sys_from": now,
                **r.content,
            }
            for r in changed
        ],
    )
    moves = [
        (r.measurement_id, r.current_version_id, versions[id(r)])
        for r in changed
        if r.current_version_id is not None
    ]
    await session.run_sync(lambda sync: _repoint(sync.connection(), moves))
    if batch_id is not None:
        return
    changes = [
        Change(
            entity_type="measurement",
            entity_id=str(r.measurement_id),
            action="create" if r.result == "created" else "update",
            before=_json(r.current),
            after=_json(r.content),
            municipality_id=tenant,
        )
        for r in changed
    ]
    await session.run_sync(lambda sync: record_events(sync, changes))


def _repoint(connection: Connection, moves: Sequence[tuple[Any, Any, Any]]) -> None:
    """Point each key row (id, expected current version, new version) at its new version.

    Only where it still points at the version this request classified against: a concurrent
    writer that got there first makes this a 409 rather than a lost update (PostgreSQL; SQLite
    transactions take the write lock up front, so they cannot interleave)."""
    if not moves:
        return
    table = MEASUREMENTS
    if connection.dialect.name != "postgresql":
        stmt = (
            update(table)
            .where(table.c.id == bindparam("b_id"))
            .values(current_version_id=bindparam("b_new"))
        )
        connection.execute(stmt, [{"b_id": m, "b_new": new} for m, _, new in moves])
        return
    ids, expected, new = (list(column) for column in zip(*moves, strict=True))
    array = ARRAY(table.c.id.type)
    data = (
        func.unnest(
            bindparam("ids", ids, type_=array),
            bindparam("expected", expected, type_=array),
            bindparam("new", new, type_=array),
        )
        .table_valued("id", "expected", "new")
        .render_derived()
    )
    result = connection.execute(
        update(table)
        .where(table.c.id == data.c.id, table.c.current_version_id == data.c.expected)
        .values(current_version_id=data.c.new)
    )
    if result.rowcount != len(moves):
        raise Conflict("another write changed some of these values meanwhile; send them again")


def field_errors(errors: Sequence[RowError]) -> list[FieldError]:
    return [FieldError(field=e.field, code=e.code, message=e.message) for e in errors]
