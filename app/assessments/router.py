import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, status

from app.assessments import service
from app.assessments.schemas import AssessmentCreate, AssessmentRead
from app.auth.deps import Ctx, Require
from app.auth.permissions import Permission
from app.errors import problem_responses
from app.fields import PeriodText

router = APIRouter(
    prefix="/assessments", tags=["assessments"], responses=problem_responses(401, 403)
)


@router.post(
    "",
    operation_id="assessments:create",
    summary="Assess an indicator or goal by hand (with a mandatory comment)",
    description="Shown beside the computed status in the scorecard, never instead of it.",
    status_code=status.HTTP_201_CREATED,
    response_model=AssessmentRead,
    responses=problem_responses(422),
)
async def create_assessment(
    ctx: Annotated[Ctx, Depends(Require(Permission.ASSESSMENTS_WRITE))], body: AssessmentCreate
) -> AssessmentRead:
    return AssessmentRead.model_validate(await service.create(ctx, body))


@router.get(
    "",
    operation_id="assessments:list",
    summary="Manual assessments, oldest first (the history)",
    response_model=list[AssessmentRead],
    responses=problem_responses(422),
)
async def list_assessments(
    ctx: Annotated[Ctx, Depends(Require(Permission.GOALS_READ))],
    subject_id: Annotated[uuid.UUID | None, Query(description="Indicator or goal id.")] = None,
    org_unit_id: uuid.UUID | None = None,
    period: Annotated[PeriodText | None, Query()] = None,
) -> list[AssessmentRead]:
    rows = await service.history(ctx, subject_id, org_unit_id, period)
    return [AssessmentRead.model_validate(a) for a in rows]
