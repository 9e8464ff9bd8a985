"""Measurements: upsert by natural key, versioned in system time, readable as of any time."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from sqlalchemy import ColumnElement, and_, exists, false, or_, select

from app.audit.recorder import Change, record_events
from app.auth.deps import BATCH_ID_KEY, Ctx
from app.db import utcnow
from app.errors import Forbidden, NotFound, Unprocessable
from app.indicators.models import Aggregation, Indicator, Periodicity
from app.measurements.models import (
    Gender,
    Measurement,
    MeasurementStatus,
    MeasurementVersion,
)
from app.measurements.schemas import (
    MeasurementHistory,
    MeasurementRead,
    MeasurementVersionRead,
    MeasurementWrite,
)
from app.measurements.validation import IndicatorRules, UnitValidity, check_measurement
from app.orgunits.models import OrgUnit
from app.orgunits.service import subtree_ids
from app.pagination import AnySelect, Keyset, PageParams
from app.periods import Period

Result = Literal["created", "updated", "unchanged"]
CONTENT = ("value", "numerator", "denominator", "status", "source_system", "comment")

KEYSET = Keyset(
    columns={"period": Measurement.period_start, "id": Measurement.id},
    id_column=Measurement.id,
    default="period",
)


def rules_of(indicator: Indicator) -> IndicatorRules:
    return IndicatorRules(
        periodicity=Periodicity(indicator.periodicity),
        aggregation=Aggregation(indicator.aggregation),
        gender_split=indicator.gender_split,
        ratio_scale=indicator.ratio_scale,
    )


def version_at(as_of: datetime | None, version: Any = MeasurementVersion) -> ColumnElement[bool]:
    """The version current at ``as_of`` (now when None): half-open [sys_from, sys_to)."""
    if as_of is None:
        condition: ColumnElement[bool] = version.sys_to.is_(None)
        return condition
    return and_(version.sys_from <= as_of, or_(version.sys_to.is_(None), version.sys_to > as_of))


def _select_read() -> AnySelect:
    """Measurement, version and codes in one row; callers add the system-time condition."""
    stmt: AnySelect = (
        select(
            Measurement.id,
            Measurement.indicator_id,
            Indicator.code.label("indicator_code"),
            Measurement.org_unit_id,
            OrgUnit.code.label("org_unit_code"),
            Measurement.period,
            Measurement.period_start,
            Measurement.gender,
            MeasurementVersion.value,
            MeasurementVersion.numerator,
            MeasurementVersion.denominator,
            MeasurementVersion.status,
            MeasurementVersion.source_system,
            MeasurementVersion.comment,
            MeasurementVersion.recorded_by,
            MeasurementVersion.sys_from.label("recorded_at"),
            MeasurementVersion.id.label("version_id"),
            MeasurementVersion.batch_id,
        )
        .join(MeasurementVersion, MeasurementVersion.measurement_id == Measurement.id)
        .join(Indicator, Indicator.id == Measurement.indicator_id)
        .join(OrgUnit, OrgUnit.id == Measurement.org_unit_id)
        .where(MeasurementVersion.deleted == false())
    )
    return stmt


def _read(row: Any) -> MeasurementRead:
    return MeasurementRead.model_validate(row, from_attributes=True)


@dataclass(frozen=True)
class MeasurementFilter:
    indicator_id: uuid.UUID | None = None
    org_unit_id: uuid.UUID | None = None
    subtree_of: uuid.UUID | None = None
    period_from: Period | None = None
    period_to: Period | None = None
    gender: Gender | None = None
    source_system: str | None = None
    status: str | None = None
    as_of: datetime | None = None


async def list_measurements(
    ctx: Ctx, f: MeasurementFilter, page: PageParams, sort: str
) -> tuple[list[MeasurementRead], str | None]:
    stmt = _select_read().where(version_at(f.as_of))
    if f.indicator_id is not None:
        stmt = stmt.where(Measurement.indicator_id == f.indicator_id)
    if f.org_unit_id is not None:
        stmt = stmt.where(Measurement.org_unit_id == f.org_unit_id)
    if f.subtree_of is not None:
        stmt = stmt.where(Measurement.org_unit_id.in_(subtree_ids(f.subtree_of)))
    if f.period_from is not None:
        stmt = stmt.where(Measurement.period_start >= f.period_from.start)
    if f.period_to is not None:
        stmt = stmt.where(Measurement.period_end <= f.period_to.end)
    if f.gender is not None:
        stmt = stmt.where(Measurement.gender == f.gender.value)
    if f.source_system is not None:
        stmt = stmt.where(MeasurementVersion.source_system == f.source_system)
    if f.status is not None:
        stmt = stmt.where(MeasurementVersion.status == f.status)
    rows = (await ctx.session.execute(KEYSET.apply(stmt, sort, page.cursor, page.limit))).all()
    items, next_cursor = KEYSET.page(rows, sort, page.limit)
    return [_read(r) for r in items], next_cursor


async def get(ctx: Ctx, measurement_id: uuid.UUID, as_of: datetime | None) -> MeasurementRead:
    row = (
        await ctx.session.execute(
            _select_read().where(Measurement.id == measurement_id, version_at(as_of))
        )
    ).one_or_none()
    if row is None:
        raise NotFound("measurement not found" + (f" as of {as_of.isoformat()}" if as_of else ""))
    return _read(row)


async def history(ctx: Ctx, measurement_id: uuid.UUID) -> MeasurementHistory:
    measurement = await ctx.get(Measurement, measurement_id, "measurement")
    versions = (
        await ctx.session.scalars(
            select(MeasurementVersion)
            .where(MeasurementVersion.measurement_id == measurement.id)
            .order_by(MeasurementVersion.sys_from, MeasurementVersion.id)
        )
    ).all()
    return MeasurementHistory(
        id=measurement.id,
        indicator_id=measurement.indicator_id,
        org_unit_id=measurement.org_unit_id,
        period=measurement.period,
        gender=Gender(measurement.gender),
        versions=[
            MeasurementVersionRead(
                version_id=v.id,
                value=v.value,
                numerator=v.numerator,
                denominator=v.denominator,
                status=MeasurementStatus(v.status),
                source_system=v.source_system,
                comment=v.comment,
                deleted=v.deleted,
                recorded_by=v.recorded_by,
                batch_id=v.batch_id,
                valid_from=v.sys_from,
                valid_to=v.sys_to,
            )
            for v in versions
        ],
    )


async def _resolve(
    ctx: Ctx, model: type[Indicator] | type[OrgUnit], ident: uuid.UUID | None, code: str | None
) -> Any:
    what = "indicator" if model is Indicator else "org_unit"
    if ident is not None:
        found = await ctx.session.get(model, ident)
        field = f"body.{what}_id"
    else:
        found = await ctx.session.scalar(select(model).where(model.code == code))
        field = f"body.{what}_code"
    if found is None:
        raise Unprocessable.for_field(field, "not_found", f"{what.replace('_', ' ')} not found")
    return found


async def ensure_may_write(ctx: Ctx, org_unit_id: uuid.UUID) -> None:
    """A credential limited to an org unit writes only within that unit's subtree."""
    root = ctx.principal.org_unit_id
    if root is None:
        return
    subtree = subtree_ids(root).subquery()
    if not await ctx.session.scalar(select(exists().where(subtree.c.id == org_unit_id))):
        raise Forbidden("this credential may write only within its own org unit's subtree")


def _snapshot(version: MeasurementVersion | None) -> dict[str, Any] | None:
    if version is None or version.deleted:
        return None
    return {key: _json(getattr(version, key)) for key in CONTENT}


def _json(value: Any) -> Any:
    return str(value) if isinstance(value, Decimal) else value


def _same(version: MeasurementVersion, content: dict[str, Any]) -> bool:
    return all(getattr(version, key) == content[key] for key in CONTENT)


async def _current(ctx: Ctx, measurement_id: uuid.UUID) -> MeasurementVersion | None:
    found: MeasurementVersion | None = await ctx.session.scalar(
        select(MeasurementVersion)
        .where(
            MeasurementVersion.measurement_id == measurement_id,
            MeasurementVersion.sys_to.is_(None),
        )
        .with_for_update()
    )
    return found


async def _audit(ctx: Ctx, measurement: Measurement, action: str, before: Any, after: Any) -> None:
    change = Change(
        entity_type="measurement",
        entity_id=str(measurement.id),
        action=action,
        before=before,
        after=after,
        municipality_id=ctx.municipality_id,
    )
    await ctx.session.run_sync(lambda session: record_events(session, [change]))


async def put(ctx: Ctx, data: MeasurementWrite) -> tuple[MeasurementRead, Result]:
    indicator: Indicator = await _resolve(ctx, Indicator, data.indicator_id, data.indicator_code)
    unit: OrgUnit = await _resolve(ctx, OrgUnit, data.org_unit_id, data.org_unit_code)
    await ensure_may_write(ctx, unit.id)
    period = Period.parse(data.period)
    checked = check_measurement(
        rules_of(indicator),
        UnitValidity(unit.code, unit.valid_from, unit.valid_to),
        period,
        data.gender,
        data.value,
        data.numerator,
        data.denominator,
    )
    if checked.errors:
        raise Unprocessable(checked.errors[0].message, errors=checked.errors)
    content = {
        "value": checked.value,
        "numerator": data.numerator,
        "denominator": data.denominator,
        "status": data.status.value,
        "source_system": data.source_system,
        "comment": data.comment,
    }
    measurement = await ctx.session.scalar(
        select(Measurement).where(
            Measurement.indicator_id == indicator.id,
            Measurement.org_unit_id == unit.id,
            Measurement.period == str(period),
            Measurement.gender == data.gender.value,
        )
    )
    current = None
    if measurement is None:
        measurement = Measurement(
            municipality_id=ctx.municipality_id,
            indicator_id=indicator.id,
            org_unit_id=unit.id,
            period=str(period),
            period_start=period.start,
            period_end=period.end,
            gender=data.gender.value,
        )
        ctx.session.add(measurement)
        await ctx.session.flush()
    else:
        current = await _current(ctx, measurement.id)
        if current is not None and not current.deleted and _same(current, content):
            return await get(ctx, measurement.id, None), "unchanged"
    result: Result = "created" if current is None or current.deleted else "updated"
    now = utcnow()
    if current is not None:
        current.sys_to = now
        await ctx.session.flush()
    version = MeasurementVersion(
        municipality_id=ctx.municipality_id,
        measurement_id=measurement.id,
        recorded_by=ctx.principal.actor,
        batch_id=ctx.session.info.get(BATCH_ID_KEY),
        sys_from=now,
        **content,
    )
    ctx.session.add(version)
    await ctx.session.flush()
    action = "create" if result == "created" else "update"
    await _audit(ctx, measurement, action, _snapshot(current), _snapshot(version))
    await ctx.commit()
    return await get(ctx, measurement.id, None), result


async def delete(ctx: Ctx, measurement_id: uuid.UUID) -> None:
    """Deleting is a version too: a tombstone, so as-of reads before it still see the value."""
    measurement = await ctx.get(Measurement, measurement_id, "measurement")
    await ensure_may_write(ctx, measurement.org_unit_id)
    current = await _current(ctx, measurement.id)
    if current is None or current.deleted:
        raise NotFound("measurement not found")
    now = utcnow()
    current.sys_to = now
    await ctx.session.flush()
    ctx.session.add(
        MeasurementVersion(
            municipality_id=ctx.municipality_id,
            measurement_id=measurement.id,
            status=current.status,
            deleted=True,
            recorded_by=ctx.principal.actor,
            batch_id=ctx.session.info.get(BATCH_ID_KEY),
            sys_from=now,
        )
    )
    await _audit(ctx, measurement, "delete", _snapshot(current), None)
    await ctx.commit()
