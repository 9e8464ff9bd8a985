"""Indicators and targets: definitions that must be right before any value can be judged."""

import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy import func, or_, select

from app.auth.deps import Ctx
from app.benchmarks.models import BenchmarkGroup
from app.errors import Conflict, NotFound, Unprocessable
from app.indicators.models import ColourMode, Indicator, Target, TargetKind, ToleranceKind, Unit
from app.indicators.schemas import (
    IndicatorCreate,
    IndicatorUpdate,
    TargetRead,
    TargetWrite,
    Tolerance,
)
from app.pagination import Keyset, PageParams

CLEARABLE = frozenset(
    {
        "description",
        "source",
        "kolada_kpi",
        "benchmark_group_id",
        "baseline_value",
        "baseline_period",
        "baseline_text",
        "seasonal_profile",
        "valid_to_year",
    }
)

KEYSET = Keyset(
    columns={"code": Indicator.code, "title": Indicator.title, "created_at": Indicator.created_at},
    id_column=Indicator.id,
    default="code",
)


async def get(ctx: Ctx, indicator_id: uuid.UUID) -> Indicator:
    return await ctx.get(Indicator, indicator_id, "indicator")


async def by_code(ctx: Ctx, code: str) -> Indicator | None:
    found: Indicator | None = await ctx.session.scalar(
        select(Indicator).where(Indicator.code == code)
    )
    return found


async def list_indicators(
    ctx: Ctx,
    page: PageParams,
    sort: str,
    *,
    code: str | None = None,
    source: str | None = None,
    kolada_kpi: str | None = None,
    year: int | None = None,
    search: str | None = None,
) -> tuple[list[Indicator], str | None]:
    stmt = select(Indicator)
    if code is not None:
        stmt = stmt.where(Indicator.code == code)
    if source is not None:
        stmt = stmt.where(Indicator.source == source)
    if kolada_kpi is not None:
        stmt = stmt.where(Indicator.kolada_kpi == kolada_kpi)
    if year is not None:
        stmt = stmt.where(
            Indicator.valid_from_year <= year,
            or_(Indicator.valid_to_year.is_(None), Indicator.valid_to_year >= year),
        )
    if search:
        stmt = stmt.where(func.lower(Indicator.title).contains(search.lower()))
    rows = (await ctx.session.scalars(KEYSET.apply(stmt, sort, page.cursor, page.limit))).all()
    return KEYSET.page(rows, sort, page.limit)


async def create(ctx: Ctx, data: IndicatorCreate) -> Indicator:
    if await by_code(ctx, data.code) is not None:
        raise Conflict(f"an indicator with code '{data.code}' already exists")
    await _check_colour_mode(ctx, data.colour_mode, data.kolada_kpi, data.benchmark_group_id)
    fields = data.model_dump(exclude={"ratio_scale"})
    fields["seasonal_profile"] = _profile(data.seasonal_profile)
    ratio_scale = data.ratio_scale or (Decimal(100) if data.unit == Unit.PERCENT else Decimal(1))
    indicator = Indicator(municipality_id=ctx.municipality_id, ratio_scale=ratio_scale, **fields)
    ctx.session.add(indicator)
    await ctx.commit()
    return indicator


async def update(ctx: Ctx, indicator_id: uuid.UUID, data: IndicatorUpdate) -> Indicator:
    indicator = await get(ctx, indicator_id)
    # null clears an optional field; for a required one it means "unchanged".
    changes: dict[str, Any] = {
        key: value
        for key, value in data.model_dump(exclude_unset=True).items()
        if value is not None or key in CLEARABLE
    }
    start = changes.get("valid_from_year", indicator.valid_from_year)
    end = changes.get("valid_to_year", indicator.valid_to_year)
    if end is not None and end < start:
        raise Unprocessable.for_field(
            "body.valid_to_year", "before_valid_from", "valid_to_year is before valid_from_year"
        )
    baseline = (
        changes.get("baseline_value", indicator.baseline_value),
        changes.get("baseline_period", indicator.baseline_period),
    )
    if (baseline[0] is None) != (baseline[1] is None):
        raise Unprocessable.for_field(
            "body.baseline_value" if baseline[0] is None else "body.baseline_period",
            "baseline_pair",
            "give baseline_value and baseline_period together",
        )
    await _check_colour_mode(
        ctx,
        ColourMode(changes.get("colour_mode", indicator.colour_mode)),
        changes.get("kolada_kpi", indicator.kolada_kpi),
        changes.get("benchmark_group_id", indicator.benchmark_group_id),
    )
    outside_plan = Target.year < start
    if end is not None:
        outside_plan = or_(outside_plan, Target.year > end)
    outside = await ctx.session.scalar(
        select(func.count()).where(Target.indicator_id == indicator.id, outside_plan)
    )
    if outside:
        raise Conflict(f"{outside} target(s) fall outside {start}–{end or '…'}; remove them first")
    if "seasonal_profile" in changes:
        changes["seasonal_profile"] = _profile(changes["seasonal_profile"])
    for key, value in changes.items():
        setattr(indicator, key, value)
    await ctx.commit()
    return indicator


async def _check_colour_mode(
    ctx: Ctx, mode: ColourMode, kolada_kpi: str | None, group_id: uuid.UUID | None
) -> None:
    """A ``quartile`` indicator names the Kolada KPI and the group it is compared in; a group
    named (in either mode) must be one of this municipality's."""
    if mode == ColourMode.QUARTILE:
        for field, value in (("kolada_kpi", kolada_kpi), ("benchmark_group_id", group_id)):
            if value is None:
                raise Unprocessable.for_field(
                    f"body.{field}", "needed_for_quartile", f"colour_mode 'quartile' needs {field}"
                )
    if group_id is None:
        return
    group = await ctx.session.get(BenchmarkGroup, group_id)
    if group is None or group.municipality_id != ctx.municipality_id:
        raise Unprocessable.for_field(
            "body.benchmark_group_id", "unknown_group", "no benchmark group with this id"
        )


def _profile(weights: list[Decimal] | None) -> list[str] | None:
    """The weights as exact decimal strings: a JSON column cannot hold a Decimal."""
    return None if weights is None else [str(w) for w in weights]


async def delete_indicator(ctx: Ctx, indicator_id: uuid.UUID) -> None:
    from app.goals.models import GoalIndicator
    from app.measurements.models import Measurement

    indicator = await get(ctx, indicator_id)
    for model, what in ((Measurement, "measurements"), (GoalIndicator, "goals")):
        used = await ctx.session.scalar(
            select(func.count()).select_from(model).where(model.indicator_id == indicator.id)
        )
        if used:
            raise Conflict(f"the indicator has {what}; it cannot be deleted")
    for target in await list_targets(ctx, indicator.id):
        await ctx.session.delete(target)
    # The targets first: without a relationship the unit of work may order the deletes either way.
    await ctx.session.flush()
    await ctx.session.delete(indicator)
    await ctx.commit()


def target_read(target: Target) -> TargetRead:
    tolerance = (
        Tolerance(kind=ToleranceKind(target.tolerance_kind), value=target.tolerance_value)
        if target.tolerance_kind is not None and target.tolerance_value is not None
        else None
    )
    return TargetRead(
        id=target.id,
        indicator_id=target.indicator_id,
        year=target.year,
        kind=TargetKind(target.kind),
        value=target.value,
        low=target.low,
        high=target.high,
        min_change=target.min_change,
        yellow_tolerance=tolerance,
        text=target.text,
        updated_at=target.updated_at,
    )


async def list_targets(ctx: Ctx, indicator_id: uuid.UUID) -> list[Target]:
    await get(ctx, indicator_id)
    rows = await ctx.session.scalars(
        select(Target).where(Target.indicator_id == indicator_id).order_by(Target.year)
    )
    return list(rows.all())


async def put_target(
    ctx: Ctx, indicator_id: uuid.UUID, year: int, data: TargetWrite
) -> tuple[Target, bool]:
    """Create or replace the target of one year. Returns (target, created)."""
    indicator = await get(ctx, indicator_id)
    if year < indicator.valid_from_year or (
        indicator.valid_to_year is not None and year > indicator.valid_to_year
    ):
        span = f"{indicator.valid_from_year}–{indicator.valid_to_year or '…'}"
        raise Unprocessable.for_field(
            "path.year", "outside_plan", f"{year} is outside the indicator's plan years {span}"
        )
    target = await ctx.session.scalar(
        select(Target).where(Target.indicator_id == indicator.id, Target.year == year)
    )
    created = target is None
    if target is None:
        target = Target(municipality_id=ctx.municipality_id, indicator_id=indicator.id, year=year)
        ctx.session.add(target)
    tolerance = data.yellow_tolerance
    target.kind = data.kind.value
    target.value, target.low, target.high = data.value, data.low, data.high
    target.min_change = data.min_change
    target.tolerance_kind = tolerance.kind.value if tolerance else None
    target.tolerance_value = tolerance.value if tolerance else None
    target.text = data.text
    await ctx.commit()
    return target, created


async def delete_target(ctx: Ctx, indicator_id: uuid.UUID, year: int) -> None:
    await get(ctx, indicator_id)
    target = await ctx.session.scalar(
        select(Target).where(Target.indicator_id == indicator_id, Target.year == year)
    )
    if target is None:
        raise NotFound(f"no target for {year}")
    await ctx.session.delete(target)
    await ctx.commit()
