import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select

from app.assessments.models import Assessment, SubjectType
from app.assessments.schemas import AssessmentCreate
from app.auth.deps import Ctx
from app.errors import Unprocessable
from app.goals.models import Goal
from app.indicators.models import Indicator
from app.orgunits.models import OrgUnit


async def create(ctx: Ctx, data: AssessmentCreate) -> Assessment:
    model = Indicator if data.subject_type == SubjectType.INDICATOR else Goal
    if await ctx.session.get(model, data.subject_id) is None:
        raise Unprocessable.for_field(
            "body.subject_id", "not_found", f"{data.subject_type.value} not found"
        )
    if await ctx.session.get(OrgUnit, data.org_unit_id) is None:
        raise Unprocessable.for_field("body.org_unit_id", "not_found", "org unit not found")
    assessment = Assessment(
        municipality_id=ctx.municipality_id,
        subject_type=data.subject_type.value,
        subject_id=data.subject_id,
        org_unit_id=data.org_unit_id,
        period=data.period,
        status=data.status.value,
        comment=data.comment,
        assessed_by=ctx.principal.actor,
    )
    ctx.session.add(assessment)
    await ctx.commit()
    return assessment


async def history(
    ctx: Ctx,
    subject_id: uuid.UUID | None,
    org_unit_id: uuid.UUID | None,
    period: str | None,
) -> list[Assessment]:
    stmt = select(Assessment).order_by(Assessment.assessed_at, Assessment.id)
    if subject_id is not None:
        stmt = stmt.where(Assessment.subject_id == subject_id)
    if org_unit_id is not None:
        stmt = stmt.where(Assessment.org_unit_id == org_unit_id)
    if period is not None:
        stmt = stmt.where(Assessment.period == period)
    return list((await ctx.session.scalars(stmt)).all())


async def current_for(
    ctx: Ctx,
    subject_ids: Sequence[uuid.UUID],
    org_unit_id: uuid.UUID,
    period: str,
    as_of: datetime | None,
) -> dict[uuid.UUID, Assessment]:
    """The latest assessment of each subject for the unit and period (as known at ``as_of``)."""
    if not subject_ids:
        return {}
    stmt = (
        select(Assessment)
        .where(
            Assessment.subject_id.in_(subject_ids),
            Assessment.org_unit_id == org_unit_id,
            Assessment.period == period,
        )
        .order_by(Assessment.assessed_at, Assessment.id)
    )
    if as_of is not None:
        stmt = stmt.where(Assessment.assessed_at <= as_of)
    latest: dict[uuid.UUID, Assessment] = {}
    for assessment in (await ctx.session.scalars(stmt)).all():
        latest[assessment.subject_id] = assessment
    return latest
