import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Response, status

from app.auth.deps import Ctx, Require
from app.auth.permissions import Permission
from app.errors import problem_responses
from app.fields import IsoDate, PeriodText
from app.pagination import Page, PageParams, page_params
from app.periods import Period
from app.quality.feedback import service
from app.quality.feedback.models import FeedbackKind, FeedbackTopic
from app.quality.feedback.schemas import (
    FeedbackCreate,
    FeedbackRead,
    FeedbackStatistics,
    FeedbackUpdate,
)
from app.quality.feedback.statistics import FeedbackDimension, statistics

router = APIRouter(prefix="/feedback", tags=["feedback"], responses=problem_responses(401, 403))

Reader = Annotated[Ctx, Depends(Require(Permission.FEEDBACK_READ))]
Writer = Annotated[Ctx, Depends(Require(Permission.FEEDBACK_WRITE, within_org_unit=True))]
SubtreeOf = Annotated[
    uuid.UUID | None, Query(description="Only feedback on this org unit and its descendants.")
]


@router.get(
    "",
    operation_id="feedback:list",
    summary="List feedback (complaints, praise, suggestions)",
    response_model=Page[FeedbackRead],
    responses=problem_responses(422),
)
async def list_feedback(
    ctx: Reader,
    page: Annotated[PageParams, Depends(page_params)],
    org_unit_id: SubtreeOf = None,
    kind: FeedbackKind | None = None,
    topic: FeedbackTopic | None = None,
    received_from: Annotated[IsoDate | None, Query(description="Received on or after.")] = None,
    received_to: Annotated[IsoDate | None, Query(description="Received on or before.")] = None,
    answered: bool | None = None,
    source: Annotated[str | None, Query(max_length=100)] = None,
    reference: Annotated[str | None, Query(max_length=100)] = None,
    sort: Literal["received_on", "-received_on", "created_at", "-created_at"] = "-received_on",
) -> Page[FeedbackRead]:
    f = service.FeedbackFilter(
        org_unit_id=org_unit_id,
        kind=kind.value if kind else None,
        topic=topic.value if topic else None,
        received_from=received_from,
        received_to=received_to,
        answered=answered,
        source=source,
        reference=reference,
    )
    items, next_cursor = await service.list_feedback(ctx, f, page, sort)
    return Page[FeedbackRead](
        items=[FeedbackRead.model_validate(i) for i in items], next_cursor=next_cursor
    )


@router.get(
    "/statistics",
    operation_id="feedback:statistics",
    summary="Feedback statistics per period, kind, topic and unit, with answer times",
    description=(
        "Counts per group (by the database) and days from received to answered (median and "
        "90th percentile, interpolated like `percentile_cont`). Periods are by `received_on`; "
        "group by at most one of year, tertial, quarter and month. The default, year × kind, is "
        "the seed's table of synpunkter per year; year × topic its breakdown of complaints."
    ),
    response_model=FeedbackStatistics,
    response_model_exclude_unset=True,
    responses=problem_responses(422),
)
async def feedback_statistics(
    ctx: Reader,
    group_by: Annotated[
        list[FeedbackDimension],
        Query(description="Dimensions, repeated: `group_by=year&group_by=topic`."),
    ] = ["year", "kind"],  # noqa: B006 (FastAPI copies query defaults)
    period_from: Annotated[
        PeriodText | None, Query(description="Received from this period.")
    ] = None,
    period_to: Annotated[
        PeriodText | None, Query(description="Received up to this period.")
    ] = None,
    org_unit_id: SubtreeOf = None,
    kind: FeedbackKind | None = None,
    topic: FeedbackTopic | None = None,
) -> FeedbackStatistics:
    f = service.FeedbackFilter(
        org_unit_id=org_unit_id,
        kind=kind.value if kind else None,
        topic=topic.value if topic else None,
    )
    return await statistics(
        ctx,
        f,
        Period.parse(period_from) if period_from else None,
        Period.parse(period_to) if period_to else None,
        group_by,
    )


@router.post(
    "",
    operation_id="feedback:create",
    summary="Register feedback",
    status_code=status.HTTP_201_CREATED,
    response_model=FeedbackRead,
    responses=problem_responses(409, 422),
)
async def create_feedback(ctx: Writer, body: FeedbackCreate) -> FeedbackRead:
    return FeedbackRead.model_validate(await service.create(ctx, body))


@router.get(
    "/{feedback_id:uuid}",
    operation_id="feedback:get",
    summary="Get one feedback",
    response_model=FeedbackRead,
    responses=problem_responses(404, 422),
)
async def get_feedback(ctx: Reader, feedback_id: uuid.UUID) -> FeedbackRead:
    return FeedbackRead.model_validate(await service.get(ctx, feedback_id))


@router.patch(
    "/{feedback_id:uuid}",
    operation_id="feedback:update",
    summary="Change feedback, e.g. record the answer",
    response_model=FeedbackRead,
    responses=problem_responses(404, 409, 422),
)
async def update_feedback(
    ctx: Writer, feedback_id: uuid.UUID, body: FeedbackUpdate
) -> FeedbackRead:
    return FeedbackRead.model_validate(await service.update(ctx, feedback_id, body))


@router.delete(
    "/{feedback_id:uuid}",
    operation_id="feedback:delete",
    summary="Delete feedback registered by mistake",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=problem_responses(404, 422),
)
async def delete_feedback(ctx: Writer, feedback_id: uuid.UUID) -> Response:
    await service.delete(ctx, feedback_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
