"""Kolada import, municipality groups, the benchmark answer and the export in Kolada's shape.

The import takes one Kolada response as the client fetched it (a page of data or of KPI metadata)
and writes set-based: one query reads what exists for the response's keys, then executemany
inserts the new rows and updates the changed ones — never one ORM object per value. Sending the
same page again counts every value as unchanged and writes nothing. One audit event per import
that changed something records who imported what (values are public Kolada figures; one event per
value would drown the trail).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal, cast

from pydantic import TypeAdapter, ValidationError
from sqlalchemy import Table, bindparam, func, or_, select, update

from app.audit.recorder import Change, record_events
from app.auth.deps import Ctx
from app.benchmarks import lookup
from app.benchmarks.models import BenchmarkGroup, BenchmarkValue, KoladaKpi
from app.benchmarks.schemas import (
    GENDER_KOLADA,
    KOLADA_GENDER,
    SIX_PLACES,
    Benchmark,
    GroupCreate,
    GroupRef,
    KoladaDataItem,
    KoladaExport,
    KoladaGenderValueOut,
    KoladaImportSummary,
    KoladaKpiRecord,
    KoladaValueOut,
    Municipality,
    Placed,
)
from app.db import insert_many, utcnow, uuid7
from app.errors import Conflict, FieldError, PayloadTooLarge, Unprocessable
from app.indicators.models import Indicator, Target
from app.measurements.models import Gender
from app.orgunits.models import OrgUnit
from app.pagination import Keyset, PageParams
from app.rules import benchmark as rules
from app.rules.definitions import Polarity
from app.rules.indicator import actual_to_date
from app.scorecard.rollup import observations, rolled_up_values, subtree_of
from app.scorecard.service import spec_of

MAX_VALUES = 100_000
MAX_ERRORS = 100
VALUES = cast(Table, BenchmarkValue.__table__)
KPIS = cast(Table, KoladaKpi.__table__)
DATA_ITEMS = TypeAdapter(list[KoladaDataItem])
KPI_RECORDS = TypeAdapter(list[KoladaKpiRecord])
ValueKey = tuple[str, str, int, str]  # kpi, municipality code, year, gender
KPI_FIELDS = (
    "title",
    "description",
    "is_divided_by_gender",
    "municipality_type",
    "operating_area",
    "has_ou_data",
    "publication_date",
)

GROUP_KEYSET = Keyset(
    columns={"name": BenchmarkGroup.name, "created_at": BenchmarkGroup.created_at},
    id_column=BenchmarkGroup.id,
    default="name",
)
VALUE_KEYSET = Keyset(
    columns={
        "municipality": BenchmarkValue.municipality_code,
        "kpi": BenchmarkValue.kpi,
        "year": BenchmarkValue.year,
    },
    id_column=BenchmarkValue.id,
    default="municipality",
)
KPI_KEYSET = Keyset(
    columns={"kpi": KoladaKpi.kpi, "title": KoladaKpi.title}, id_column=KoladaKpi.id, default="kpi"
)


# --- import ---------------------------------------------------------------------------------


def _invalid(errors: list[FieldError]) -> Unprocessable:
    shown = errors[:MAX_ERRORS]
    detail = f"{len(errors)} invalid field(s): " + ", ".join(e.field for e in shown[:10])
    if len(errors) > len(shown):
        detail += f" (the first {MAX_ERRORS} are listed)"
    return Unprocessable(detail, errors=shown)


def _validation_errors(exc: ValidationError, prefix: str) -> list[FieldError]:
    return [
        FieldError(
            field=".".join([prefix, *(str(p) for p in e["loc"])]),
            code=e["type"],
            message=e["msg"],
        )
        for e in exc.errors(include_input=False, include_context=False, include_url=False)
    ]


def _next_link(body: dict[str, Any]) -> str | None:
    link = body.get("next_url") or body.get("next_page")
    return link if isinstance(link, str) and len(link) <= 2000 else None


def _shape(body: dict[str, Any], first: dict[str, Any]) -> Literal["v3", "v2"] | None:
    """v3 pages with ``next_url`` and a numeric period; v2 with ``next_page`` and "2009"."""
    if "next_url" in body or "previous_url" in body:
        return "v3"
    if "next_page" in body or "previous_page" in body:
        return "v2"
    period = first.get("period")
    if isinstance(period, str):
        return "v2"
    if isinstance(period, int):
        return "v3"
    return None


def _kind(first: object) -> Literal["data", "kpi_metadata"]:
    if not isinstance(first, dict):
        raise Unprocessable.for_field(
            "body.values.0", "object_type", "each item of `values` is an object"
        )
    if "kpi" in first and ("municipality" in first or "period" in first):
        if "ou" in first and "municipality" not in first:
            raise Unprocessable.for_field(
                "body.values.0.ou",
                "ou_data_not_supported",
                "organisational-unit data (`ou`) is not imported; fetch municipality data",
            )
        return "data"
    if "id" in first and "title" in first:
        return "kpi_metadata"
    raise Unprocessable.for_field(
        "body.values.0",
        "unknown_kolada_record",
        "neither a Kolada data value (kpi, municipality, period, values) nor a KPI metadata "
        "record (id, title, description, is_divided_by_gender, …)",
    )


async def import_kolada(ctx: Ctx, body: dict[str, Any]) -> KoladaImportSummary:
    """Detect the kind of Kolada response, validate all of it, then upsert set-based."""
    values = body.get("values")
    if values is None:
        raise Unprocessable.for_field(
            "body.values", "missing", "a Kolada response has a `values` list"
        )
    if not isinstance(values, list):
        raise Unprocessable.for_field("body.values", "list_type", "`values` is a list")
    link = _next_link(body)
    if not values:
        return KoladaImportSummary(
            kind="empty", received=0, created=0, updated=0, unchanged=0, next=link
        )
    kind = _kind(values[0])
    if kind == "kpi_metadata":
        summary = await _import_kpis(ctx, values)
    else:
        summary = await _import_values(ctx, values, _shape(body, values[0]))
    summary.next = link
    if summary.created or summary.updated:
        after = summary.model_dump(mode="json", exclude={"next"})
        change = Change(
            entity_type="kolada_import",
            entity_id=str(uuid7()),
            action="create",
            before=None,
            after=after,
            municipality_id=ctx.municipality_id,
        )
        await ctx.session.run_sync(lambda sync: record_events(sync, [change]))
    await ctx.commit()
    return summary


@dataclass
class _Row:
    key: ValueKey
    value: Decimal | None
    count: int | None
    status: str | None


def _same_number(a: Decimal | None, b: Decimal | None) -> bool:
    if a is None or b is None:
        return a is b
    return Decimal(str(a)).quantize(SIX_PLACES) == b.quantize(SIX_PLACES)


def _flatten(items: Sequence[KoladaDataItem]) -> list[_Row]:
    rows: list[_Row] = []
    seen: dict[ValueKey, str] = {}
    errors: list[FieldError] = []
    for i, item in enumerate(items):
        for j, gv in enumerate(item.values):
            key: ValueKey = (item.kpi, item.municipality, item.period, KOLADA_GENDER[gv.gender])
            where = f"body.values.{i}.values.{j}.gender"
            if key in seen:
                errors.append(
                    FieldError(
                        field=where,
                        code="duplicate_in_request",
                        message=f"the same kpi, municipality, period and gender as {seen[key]}",
                    )
                )
                continue
            seen[key] = where
            rows.append(_Row(key, gv.value, gv.count, gv.status))
    if errors:
        raise _invalid(errors)
    return rows


async def _import_values(
    ctx: Ctx, raw: list[Any], shape: Literal["v3", "v2"] | None
) -> KoladaImportSummary:
    try:
        items = DATA_ITEMS.validate_python(raw)
    except ValidationError as exc:
        raise _invalid(_validation_errors(exc, "body.values")) from exc
    received = sum(len(item.values) for item in items)
    if received > MAX_VALUES:
        raise PayloadTooLarge(f"{received} values; at most {MAX_VALUES} a request")
    rows = _flatten(items)
    kpis = sorted({r.key[0] for r in rows})
    codes = sorted({r.key[1] for r in rows})
    years = sorted({r.key[2] for r in rows})

    existing: dict[ValueKey, tuple[uuid.UUID, Decimal | None, int | None, str | None]] = {}
    if rows:
        b = BenchmarkValue
        for ident, kpi, code, year, gender, value, count, status in await ctx.session.execute(
            select(
                b.id, b.kpi, b.municipality_code, b.year, b.gender, b.value, b.count, b.status
            ).where(b.kpi.in_(kpis), b.year.in_(years), b.municipality_code.in_(codes))
        ):
            existing[(kpi, code, year, gender)] = (ident, value, count, status)

    now = utcnow()
    tenant = ctx.municipality_id
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    unchanged = 0
    for row in rows:
        found = existing.get(row.key)
        if found is None:
            kpi, code, year, gender = row.key
            inserts.append(
                {
                    "id": uuid7(),
                    "municipality_id": tenant,
                    "kpi": kpi,
                    "municipality_code": code,
                    "year": year,
                    "gender": gender,
                    "value": row.value,
                    "count": row.count,
                    "status": row.status,
                    "created_at": now,
                    "updated_at": now,
                }
            )
            continue
        ident, value, count, status = found
        if _same_number(value, row.value) and count == row.count and status == row.status:
            unchanged += 1
            continue
        updates.append(
            {
                "b_id": ident,
                "b_value": row.value,
                "b_count": row.count,
                "b_status": row.status,
                "b_now": now,
            }
        )
    if inserts:
        await insert_many(ctx.session, VALUES, inserts)
    if updates:
        await ctx.session.execute(
            update(VALUES)
            .where(VALUES.c.id == bindparam("b_id"))
            .values(
                value=bindparam("b_value"),
                count=bindparam("b_count"),
                status=bindparam("b_status"),
                updated_at=bindparam("b_now"),
            ),
            updates,
        )
    return KoladaImportSummary(
        kind="data",
        shape=shape,
        received=received,
        created=len(inserts),
        updated=len(updates),
        unchanged=unchanged,
        missing=sum(1 for r in rows if r.value is None),
        kpis=kpis,
        years=years,
        municipalities=len(codes),
    )


async def _import_kpis(ctx: Ctx, raw: list[Any]) -> KoladaImportSummary:
    try:
        records = KPI_RECORDS.validate_python(raw)
    except ValidationError as exc:
        raise _invalid(_validation_errors(exc, "body.values")) from exc
    if len(records) > MAX_VALUES:
        raise PayloadTooLarge(f"{len(records)} records; at most {MAX_VALUES} a request")
    seen: dict[str, int] = {}
    for i, record in enumerate(records):
        if record.id in seen:
            raise Unprocessable.for_field(
                f"body.values.{i}.id",
                "duplicate_in_request",
                f"the same id as item {seen[record.id]}",
            )
        seen[record.id] = i
    current = {
        row.kpi: row
        for row in (
            await ctx.session.execute(
                select(
                    KoladaKpi.id, KoladaKpi.kpi, *(getattr(KoladaKpi, f) for f in KPI_FIELDS)
                ).where(KoladaKpi.kpi.in_(list(seen)))
            )
        ).all()
    }
    now = utcnow()
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    for record in records:
        fields = {f: getattr(record, f) for f in KPI_FIELDS}
        row = current.get(record.id)
        if row is None:
            inserts.append(
                {
                    "id": uuid7(),
                    "municipality_id": ctx.municipality_id,
                    "kpi": record.id,
                    **fields,
                    "created_at": now,
                    "updated_at": now,
                }
            )
        elif any(getattr(row, f) != fields[f] for f in KPI_FIELDS):
            updates.append({"b_id": row.id, **{f"b_{f}": v for f, v in fields.items()}})
    if inserts:
        await insert_many(ctx.session, KPIS, inserts)
    if updates:
        await ctx.session.execute(
            update(KPIS)
            .where(KPIS.c.id == bindparam("b_id"))
            .values(updated_at=now, **{f: bindparam(f"b_{f}") for f in KPI_FIELDS}),
            updates,
        )
    return KoladaImportSummary(
        kind="kpi_metadata",
        received=len(records),
        created=len(inserts),
        updated=len(updates),
        unchanged=len(records) - len(inserts) - len(updates),
        kpis=sorted(seen),
    )


async def list_values(
    ctx: Ctx, page: PageParams, sort: str, filters: dict[str, Any]
) -> tuple[list[BenchmarkValue], str | None]:
    stmt = select(BenchmarkValue)
    for name, column in (
        ("kpi", BenchmarkValue.kpi),
        ("year", BenchmarkValue.year),
        ("municipality", BenchmarkValue.municipality_code),
        ("gender", BenchmarkValue.gender),
    ):
        if filters.get(name) is not None:
            stmt = stmt.where(column == filters[name])
    stmt = VALUE_KEYSET.apply(stmt, sort, page.cursor, page.limit)
    rows = (await ctx.session.scalars(stmt)).all()
    return VALUE_KEYSET.page(rows, sort, page.limit)


async def list_kpis(
    ctx: Ctx, page: PageParams, sort: str, search: str | None
) -> tuple[list[KoladaKpi], str | None]:
    stmt = select(KoladaKpi)
    if search:
        needle = search.lower()
        stmt = stmt.where(
            or_(func.lower(KoladaKpi.title).contains(needle), KoladaKpi.kpi == search.upper())
        )
    rows = (await ctx.session.scalars(KPI_KEYSET.apply(stmt, sort, page.cursor, page.limit))).all()
    return KPI_KEYSET.page(rows, sort, page.limit)


# --- groups ---------------------------------------------------------------------------------


async def create_group(ctx: Ctx, body: GroupCreate) -> BenchmarkGroup:
    taken = await ctx.session.scalar(
        select(BenchmarkGroup.id).where(BenchmarkGroup.name == body.name)
    )
    if taken is not None:
        raise Conflict(f"a group named '{body.name}' exists")
    group = BenchmarkGroup(
        name=body.name,
        description=body.description,
        members=[m.model_dump() for m in body.members],
    )
    ctx.session.add(group)
    await ctx.session.flush()
    await ctx.commit()
    return group


async def list_groups(
    ctx: Ctx, page: PageParams, sort: str
) -> tuple[list[BenchmarkGroup], str | None]:
    stmt = GROUP_KEYSET.apply(select(BenchmarkGroup), sort, page.cursor, page.limit)
    rows = (await ctx.session.scalars(stmt)).all()
    return GROUP_KEYSET.page(rows, sort, page.limit)


async def get_group(ctx: Ctx, group_id: uuid.UUID) -> BenchmarkGroup:
    return await ctx.get(BenchmarkGroup, group_id, "benchmark group")


async def delete_group(ctx: Ctx, group_id: uuid.UUID) -> None:
    group = await get_group(ctx, group_id)
    users = await ctx.session.scalar(
        select(func.count()).where(Indicator.benchmark_group_id == group.id)
    )
    if users:
        raise Conflict(f"{users} indicator(s) are coloured by quartile in this group")
    await ctx.session.delete(group)
    await ctx.session.flush()
    await ctx.commit()


# --- the benchmark answer -------------------------------------------------------------------


async def compare(
    ctx: Ctx, indicator_id: uuid.UUID, year: int, group_id: uuid.UUID, gender: Gender
) -> Benchmark:
    indicator = await ctx.get(Indicator, indicator_id, "indicator")
    group = await get_group(ctx, group_id)
    kpi = indicator.kolada_kpi
    if not kpi:
        raise Unprocessable.for_field(
            "query.indicator_id",
            "no_kolada_kpi",
            "the indicator has no kolada_kpi; set one to compare it with Kolada values",
        )
    own = await lookup.own_municipality(ctx)
    found = (
        await lookup.kolada_values(
            ctx, [kpi], [own[0], *lookup.member_codes(group)], gender, (year, year)
        )
    ).get((kpi, year), {})
    polarity = Polarity(indicator.polarity)
    point = None
    if polarity == Polarity.TARGET_IS_BEST:
        target = await ctx.session.scalar(
            select(Target).where(Target.indicator_id == indicator.id, Target.year == year)
        )
        point = lookup.best_point(target)
    result = lookup.compare_in_group(own, group, found, polarity, point)
    own_code, own_name = own
    own_status = found.get(own_code, (None, None))[1]
    kpi_title = await ctx.session.scalar(select(KoladaKpi.title).where(KoladaKpi.kpi == kpi))

    def placed(p: rules.Placed) -> Placed:
        return Placed(code=p.code, name=p.name, value=p.value, rank=p.rank, own=p.own)

    return Benchmark(
        indicator_id=indicator.id,
        indicator_code=indicator.code,
        kpi=kpi,
        kpi_title=kpi_title,
        year=year,
        gender=gender,
        polarity=polarity,
        best_point=point,
        group=GroupRef(id=group.id, name=group.name, members=len(group.members)),
        municipality=Municipality(code=own_code, name=own_name),
        own_value=result.own_value,
        own_status=own_status,
        mean=result.mean,
        median=result.median,
        members_with_value=result.members_with_value,
        missing=[Municipality(code=m.code, name=m.name) for m in result.missing],
        ranked=result.ranked,
        rank=result.rank,
        ranked_count=len(result.ranking),
        quartile=result.quartile,
        colour=result.colour,
        best_performers=[placed(p) for p in result.best],
        ranking=[placed(p) for p in result.ranking],
        summary=result.summary,
    )


# --- export ---------------------------------------------------------------------------------


async def export_kolada(
    ctx: Ctx, year: int, org_unit_id: uuid.UUID, as_of: datetime | None
) -> KoladaExport:
    """The year's outcome at the org unit (the scorecard's roll-up and aggregation) of every
    indicator with a ``kolada_kpi``, as one Kolada v3 data value each (gender T). Indicators
    without an outcome that year are left out; of two indicators with the same KPI the first by
    code is exported."""
    await ctx.get(OrgUnit, org_unit_id, "org unit")
    indicators = (
        await ctx.session.scalars(
            select(Indicator)
            .where(
                Indicator.kolada_kpi.is_not(None),
                Indicator.valid_from_year <= year,
                or_(Indicator.valid_to_year.is_(None), Indicator.valid_to_year >= year),
            )
            .order_by(Indicator.kolada_kpi, Indicator.code)
        )
    ).all()
    rows = await rolled_up_values(
        ctx.session,
        await subtree_of(ctx.session, org_unit_id),
        [i.id for i in indicators],
        date(year, 1, 1),
        date(year, 12, 31),
        as_of,
    )
    values: list[KoladaValueOut] = []
    done: set[str] = set()
    for indicator in indicators:
        kpi = cast(str, indicator.kolada_kpi)
        if kpi in done:
            continue
        outcome = actual_to_date(spec_of(indicator), observations(rows.get(indicator.id, [])))
        if outcome is None:
            continue
        done.add(kpi)
        values.append(
            KoladaValueOut(
                kpi=kpi,
                municipality=ctx.principal.municipality_code,
                period=year,
                values=[
                    KoladaGenderValueOut(
                        gender=GENDER_KOLADA[Gender.TOTAL.value],
                        count=1,
                        status="",
                        value=outcome.quantize(SIX_PLACES),
                    )
                ],
            )
        )
    return KoladaExport(count=len(values), values=values)
