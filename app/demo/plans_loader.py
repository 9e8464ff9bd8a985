"""The seed goal plans (``app.demo.plans``) loaded through the services the API uses.

Every indicator, target, goal and measurement goes through the API's own schema
(``IndicatorCreate``, ``TargetWrite``, ``GoalCreate``, ``MeasurementWrite``) and service, so the
demo data is validated and audited like any other write. Idempotent: what exists is left alone —
indicators by code, targets by (indicator, year), goals by (code, valid_from_year), measurements
by (indicator, org unit, period, gender) — so a second run adds nothing and never overwrites a
value someone has changed since.
"""

import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from app.auth.deps import Ctx
from app.demo.outcomes import SOURCE_SYSTEM, generate
from app.demo.plans import DemoGoal, DemoIndicator, DemoPlan, DemoTarget
from app.goals import service as goals
from app.goals.models import Goal
from app.goals.schemas import AllChildren, GoalCreate, GoalIndicatorLink, ShareOfIndicators
from app.indicators import service as indicators
from app.indicators.models import Indicator, Target
from app.indicators.schemas import IndicatorCreate, TargetWrite
from app.measurements import service as measurements
from app.measurements.models import Measurement
from app.measurements.schemas import MeasurementWrite
from app.orgunits.models import OrgUnit

# The seed's footnote for a baseline marked "*" (seed 004, e.g. line 271).
MISSING_BASELINE = (
    "Ingående värde saknas utifrån att indikatorn beräknas på nytt sätt alternativt inte har "
    "följts tidigare."
)

# "+/- 0" (Budgetföljsamhet, seed 004 line 980) is the band between 0 and 0. The default yellow
# tolerance, 10 % of the target's magnitude, is nothing for a target of 0, so every deviation
# however small would be red. One percentage point of the net budget (about 8 mnkr of the
# 823,3 mnkr kommunbidrag 2023, seed 004 line 1351) is a deviation the monthly follow-up can still
# act on: yellow within ±1, red beyond — so the 2022 forecast, +1,9, would be red.
POINT_BAND_TOLERANCE = Decimal(1)


@dataclass
class PlanCounts:
    indicators: int = 0
    goals: int = 0
    targets: int = 0
    measurements: int = 0

    def __str__(self) -> str:
        return (
            f"{self.indicators} indicator(s), {self.goals} goal(s), {self.targets} target(s), "
            f"{self.measurements} measurement(s) added"
        )


def plan_years(plan: DemoPlan) -> tuple[int, int]:
    """The years the plan covers: from its goals (Södertälje 2023–2025, Österåker 2019, …)."""
    return (
        min(goal.valid_from_year for goal in plan.goals),
        max(goal.valid_to_year for goal in plan.goals),
    )


def indicator_create(indicator: DemoIndicator, years: tuple[int, int]) -> IndicatorCreate:
    # A baseline period without a value ("ej aktuellt", 2016) is not a baseline; the text stays.
    has_baseline = indicator.baseline_value is not None
    missing = indicator.baseline_text == "*"
    return IndicatorCreate.model_validate(
        {
            "code": indicator.code,
            "title": indicator.title,
            "description": MISSING_BASELINE if missing else None,
            "unit": indicator.unit,
            "polarity": indicator.polarity,
            "periodicity": indicator.periodicity,
            "aggregation": indicator.aggregation,
            "gender_split": indicator.gender_split,
            "source": indicator.source,
            "kolada_kpi": indicator.kolada_kpi,
            "baseline_value": indicator.baseline_value,
            "baseline_period": indicator.baseline_period if has_baseline else None,
            "baseline_text": None if missing else indicator.baseline_text,
            # None: the service's default scale, 100 for percent (the only ratio unit here).
            "ratio_scale": None,
            "valid_from_year": years[0],
            "valid_to_year": years[1],
        }
    )


def target_write(target: DemoTarget) -> TargetWrite:
    data: dict[str, Any] = {"kind": target.kind, "text": target.text}
    if target.kind in ("at_least", "at_most"):
        data["value"] = target.value
    elif target.kind == "between":
        data["low"], data["high"] = target.low, target.high
        if target.low == target.high:
            data["yellow_tolerance"] = {"kind": "absolute", "value": POINT_BAND_TOLERANCE}
    elif target.kind in ("increase", "decrease") and target.change is not None:
        data["min_change"] = abs(target.change)  # "minska med 10 %" is stored as -0.10
    return TargetWrite.model_validate(data)


def goal_rule(rule: dict[str, object]) -> ShareOfIndicators | AllChildren:
    kind = rule.get("kind", "share_of_indicators")
    if kind == "all_children":
        return AllChildren()
    if kind == "share_of_indicators":
        if "threshold" not in rule:
            return ShareOfIndicators()
        return ShareOfIndicators(threshold=Decimal(str(rule["threshold"])))
    raise ValueError(f"unknown goal rule kind {kind!r}")


def goal_create(
    goal: DemoGoal,
    owner_id: uuid.UUID,
    parent_id: uuid.UUID | None,
    indicator_ids: dict[str, uuid.UUID],
) -> GoalCreate:
    return GoalCreate.model_validate(
        {
            "level": goal.level,
            "code": goal.code,
            "title": goal.title,
            "description": goal.description,
            "direction": goal.direction,
            "goal_area": goal.goal_area,
            "related_plans": list(goal.related_plans),
            "rule": goal_rule(goal.rule),
            "owner_id": owner_id,
            "parent_id": parent_id,
            "valid_from_year": goal.valid_from_year,
            "valid_to_year": goal.valid_to_year,
            "indicators": [
                GoalIndicatorLink(indicator_id=indicator_ids[code]) for code in goal.indicators
            ],
        }
    )


async def load_plan(ctx: Ctx, plan: DemoPlan) -> PlanCounts:
    """Indicators with their targets, then goals (council before committee), then outcomes."""
    counts = PlanCounts()
    indicator_ids = await _load_indicators(ctx, plan, counts)
    await _load_goals(ctx, plan, indicator_ids, counts)
    await _load_measurements(ctx, plan, indicator_ids, counts)
    return counts


async def _load_indicators(ctx: Ctx, plan: DemoPlan, counts: PlanCounts) -> dict[str, uuid.UUID]:
    years = plan_years(plan)
    ids = {i.code: i.id for i in (await ctx.session.scalars(select(Indicator))).all()}
    has_target = set((await ctx.session.execute(select(Target.indicator_id, Target.year))).all())
    for demo in plan.indicators:
        if demo.code not in ids:
            created = await indicators.create(ctx, indicator_create(demo, years))
            ids[demo.code] = created.id
            counts.indicators += 1
        for target in demo.targets:
            if (ids[demo.code], target.year) in has_target:
                continue
            await indicators.put_target(ctx, ids[demo.code], target.year, target_write(target))
            counts.targets += 1
    return ids


async def _load_goals(
    ctx: Ctx, plan: DemoPlan, indicator_ids: dict[str, uuid.UUID], counts: PlanCounts
) -> None:
    owner_id = await ctx.session.scalar(select(OrgUnit.id).where(OrgUnit.code == plan.owner))
    if owner_id is None:
        raise ValueError(f"{plan.municipality}: no org unit {plan.owner} to own the goals")
    ids = {
        (g.code, g.valid_from_year): g.id for g in (await ctx.session.scalars(select(Goal))).all()
    }
    council_first = sorted(plan.goals, key=lambda g: g.level != "council")
    starts = {g.code: g.valid_from_year for g in plan.goals}
    for goal in council_first:
        key = (goal.code, goal.valid_from_year)
        if key in ids:
            continue
        parent_id = ids[(goal.parent, starts[goal.parent])] if goal.parent else None
        created = await goals.create(ctx, goal_create(goal, owner_id, parent_id, indicator_ids))
        ids[key] = created.id
        counts.goals += 1


async def _load_measurements(
    ctx: Ctx, plan: DemoPlan, indicator_ids: dict[str, uuid.UUID], counts: PlanCounts
) -> None:
    rows = generate(plan)
    if not rows:
        return
    wanted = {row.org_unit_code for row in rows}
    found = await ctx.session.execute(
        select(OrgUnit.code, OrgUnit.id).where(OrgUnit.code.in_(wanted))
    )
    unit_ids: dict[str, uuid.UUID] = {row.code: row.id for row in found}
    if missing := wanted - unit_ids.keys():
        raise ValueError(f"{plan.municipality}: no org unit(s) {sorted(missing)} for the outcomes")
    existing = set(
        (
            await ctx.session.execute(
                select(
                    Measurement.indicator_id,
                    Measurement.org_unit_id,
                    Measurement.period,
                    Measurement.gender,
                )
            )
        ).all()
    )
    for row in rows:
        indicator_id, unit_id = indicator_ids[row.indicator_code], unit_ids[row.org_unit_code]
        if (indicator_id, unit_id, row.period, row.gender) in existing:
            continue
        _, result = await measurements.put(
            ctx,
            MeasurementWrite.model_validate(
                {
                    "indicator_id": indicator_id,
                    "org_unit_id": unit_id,
                    "period": row.period,
                    "gender": row.gender,
                    "value": row.value,
                    "numerator": row.numerator,
                    "denominator": row.denominator,
                    "source_system": SOURCE_SYSTEM,
                }
            ),
        )
        if result == "created":
            counts.measurements += 1
