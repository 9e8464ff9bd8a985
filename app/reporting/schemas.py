import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from app.fields import NumberOut as Number
from app.indicators.models import Periodicity
from app.rules.reporting import DeliveryState


class ExpectedBecause(StrEnum):
    REPORTED = "reported"
    GOAL_OWNER = "goal_owner"


class Completeness(BaseModel):
    """Deliveries counted by state; the shares are DHIS2's reporting rate and rate on time."""

    expected: int = Field(description="Deliveries expected: (indicator, org unit, period) cells.")
    arrived: int = Field(description="on_time + late.")
    on_time: int
    late: int
    overdue: int = Field(description="Not arrived, and the due day has passed.")
    pending: int = Field(description="Not arrived, not yet due.")
    share_complete: Number | None = Field(
        description="arrived / expected, 4 decimals; null when nothing is expected.",
        examples=[0.8333],
    )
    share_on_time: Number | None = Field(
        description="on_time / expected, 4 decimals.", examples=[0.75]
    )


class SourceCompleteness(Completeness):
    source: str | None = Field(
        description="The indicator's source (who is to deliver, e.g. HR); null for indicators "
        "without one.",
        examples=["HR"],
    )


class OrgUnitCompleteness(Completeness):
    org_unit_id: uuid.UUID
    org_unit_code: str = Field(examples=["AF"])
    org_unit_name: str


class Delivery(BaseModel):
    """One expected value: an indicator's value for one org unit and period."""

    indicator_id: uuid.UUID
    indicator_code: str = Field(examples=["HR-SJUK"])
    org_unit_id: uuid.UUID
    org_unit_code: str = Field(examples=["AF"])
    period: str = Field(examples=["2023-03"])
    expected_because: ExpectedBecause = Field(
        description="`reported`: the unit reported this indicator in the year or the year "
        "before; `goal_owner`: nobody has, and the unit owns a goal the indicator measures."
    )
    due: date = Field(description="The due day; the deadline is its end (UTC).")
    state: DeliveryState
    arrived_at: datetime | None = Field(
        description="When the value first became known (system time); null if not arrived."
    )
    source_system: str | None = Field(
        description="The system that delivered it, as written on that first version.",
        examples=["Heroma"],
    )


class IndicatorCompleteness(Completeness):
    indicator_id: uuid.UUID
    indicator_code: str = Field(examples=["HR-SJUK"])
    title: str
    periodicity: Periodicity
    source: str | None
    report_due_day: int
    report_due_months: int
    periods: list[str] = Field(description="The periods expected so far.", examples=[["2023-01"]])


_COUNTS = {
    "expected": 9,
    "arrived": 8,
    "on_time": 6,
    "late": 2,
    "overdue": 1,
    "pending": 0,
    "share_complete": 0.8889,
    "share_on_time": 0.6667,
}
_OVERDUE = {
    "indicator_id": "0192b3c4-0000-7000-8000-000000000001",
    "indicator_code": "HR-SJUK",
    "org_unit_id": "0192b3c4-0000-7000-8000-000000000002",
    "org_unit_code": "BOU",
    "period": "2023-04",
    "expected_because": "reported",
    "due": "2023-05-10",
    "state": "overdue",
    "arrived_at": None,
    "source_system": None,
}
_ON_TIME = {
    **_OVERDUE,
    "org_unit_id": "0192b3c4-0000-7000-8000-000000000003",
    "org_unit_code": "AF",
    "state": "on_time",
    "arrived_at": "2023-05-09T07:00:00Z",
    "source_system": "Heroma",
}
EXAMPLE: dict[str, Any] = {
    "period": "2023-T1",
    "as_of": "2023-05-31T12:00:00Z",
    "total": _COUNTS,
    "by_source": [{"source": "HR", **_COUNTS}],
    "by_org_unit": [
        {
            "org_unit_id": "0192b3c4-0000-7000-8000-000000000002",
            "org_unit_code": "BOU",
            "org_unit_name": "Barn och unga",
            **_COUNTS,
        }
    ],
    "by_indicator": [
        {
            "indicator_id": "0192b3c4-0000-7000-8000-000000000001",
            "indicator_code": "HR-SJUK",
            "title": "Sjukfrånvaro (%)",
            "periodicity": "month",
            "source": "HR",
            "report_due_day": 10,
            "report_due_months": 1,
            "periods": ["2023-01", "2023-02", "2023-03", "2023-04"],
            **_COUNTS,
        }
    ],
    "overdue": [_OVERDUE],
    "deliveries": [_ON_TIME, _OVERDUE],
}


class ReportingStatus(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [EXAMPLE]})

    period: str = Field(examples=["2023-T1"])
    as_of: datetime = Field(description="The time the status is computed at (system time).")
    total: Completeness
    by_source: list[SourceCompleteness]
    by_org_unit: list[OrgUnitCompleteness]
    by_indicator: list[IndicatorCompleteness]
    overdue: list[Delivery] = Field(description="The overdue deliveries, as in `deliveries`.")
    deliveries: list[Delivery] = Field(
        description="Every expected delivery, by indicator code, org unit code and period."
    )
