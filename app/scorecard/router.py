import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from app.auth.deps import Ctx, Require
from app.auth.permissions import Permission
from app.errors import problem_responses
from app.fields import IsoDateTime, PeriodText
from app.periods import Period
from app.readcache.route import CACHED_READS
from app.scorecard import service
from app.scorecard.schemas import GoalScore, IndicatorScore, Scorecard

router = APIRouter(
    dependencies=CACHED_READS, tags=["scorecard"], responses=problem_responses(401, 403, 404, 422)
)

Reader = Annotated[Ctx, Depends(Require(Permission.GOALS_READ))]
AsOfPeriod = Annotated[
    PeriodText,
    Query(description="Evaluate the year of this period, up to its end, e.g. 2023-T2 or 2023-06."),
]
AsOf = Annotated[
    IsoDateTime | None,
    Query(description="Read data as it was known at this time (system time). Default: now."),
]


@router.get(
    "/scorecard",
    operation_id="scorecard:get",
    summary="The scorecard: goal tree with statuses, explanations, trends and counts",
    description=(
        "Goals owned by `org_unit_id` (all goals without it) valid in the period's year, each "
        "with its status by its rule, its indicators' statuses with the numbers that decided "
        "them, the trend against the previous period, manual assessments beside the computed "
        "status, and counts per status."
    ),
    response_model=Scorecard,
)
async def get_scorecard(
    ctx: Reader,
    period: AsOfPeriod,
    org_unit_id: Annotated[
        uuid.UUID | None, Query(description="The committee (or other goal owner).")
    ] = None,
    as_of: AsOf = None,
) -> Scorecard:
    return await service.scorecard(ctx, org_unit_id, Period.parse(period), as_of)


@router.get(
    "/goals/{goal_id:uuid}/status",
    operation_id="goals:status",
    summary="One goal's status with its subtree, as in the scorecard",
    response_model=GoalScore,
    tags=["goals"],
)
async def get_goal_status(
    ctx: Reader, goal_id: uuid.UUID, period: AsOfPeriod, as_of: AsOf = None
) -> GoalScore:
    return await service.goal_status(ctx, goal_id, Period.parse(period), as_of)


@router.get(
    "/indicators/{indicator_id:uuid}/status",
    operation_id="indicators:status",
    summary="One indicator's status at an org unit (rolled up over its subtree)",
    response_model=IndicatorScore,
    tags=["indicators"],
)
async def get_indicator_status(
    ctx: Annotated[Ctx, Depends(Require(Permission.INDICATORS_READ))],
    indicator_id: uuid.UUID,
    org_unit_id: uuid.UUID,
    period: AsOfPeriod,
    as_of: AsOf = None,
) -> IndicatorScore:
    return await service.indicator_status(
        ctx, indicator_id, org_unit_id, Period.parse(period), as_of
    )
