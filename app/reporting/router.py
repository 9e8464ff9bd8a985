import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from app.auth.deps import Ctx, Require
from app.auth.permissions import Permission
from app.errors import problem_responses
from app.fields import IsoDateTime, PeriodText
from app.periods import Period
from app.reporting import service
from app.reporting.schemas import ReportingStatus

router = APIRouter(tags=["reporting"], responses=problem_responses(401, 403))

Reader = Annotated[Ctx, Depends(Require(Permission.MEASUREMENTS_READ))]


@router.get(
    "/reporting-status",
    operation_id="reporting:status",
    summary="Reporting completeness: which expected values arrived, when, from which system",
    description=(
        "For each indicator valid in the period's year and each org unit expected to report "
        "it, every period of the indicator's periodicity from the start of the year to the end "
        "of `period` that is over: whether its value has arrived, when (system time of its "
        "first version) and from which source system, and its state against the indicator's "
        "due day (`report_due_day` of the month `report_due_months` after the period; default "
        "the 10th of the next month): `on_time`, `late`, `overdue` or `pending`. Totals, per "
        'indicator source ("did HR\'s feed arrive for every unit"), per org unit and per '
        "indicator give the share complete and the share on time, as DHIS2's reporting-rate "
        "summary does. A unit is expected to report an indicator when it has reported it in "
        "the year or the year before; an indicator nobody has reported is expected from the "
        "owners of the goals it measures."
    ),
    response_model=ReportingStatus,
    responses=problem_responses(404, 422),
)
async def get_reporting_status(
    ctx: Reader,
    period: Annotated[
        PeriodText,
        Query(description="Up to the end of this period, in its year, e.g. 2023-T1 or 2023-03."),
    ],
    as_of: Annotated[
        IsoDateTime | None,
        Query(
            description="The status as it stood at this time: arrivals known then, deadlines "
            "passed by then. Default: now."
        ),
    ] = None,
    source: Annotated[
        str | None,
        Query(max_length=100, description="Only indicators with this source, e.g. HR."),
    ] = None,
    org_unit_id: Annotated[
        uuid.UUID | None, Query(description="Only this org unit and its subtree.")
    ] = None,
) -> ReportingStatus:
    return await service.reporting_status(
        ctx, Period.parse(period), as_of, source=source, org_unit_id=org_unit_id
    )
