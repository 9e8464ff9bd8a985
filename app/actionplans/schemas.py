import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from app.actionplans.models import ItemStatus
from app.fields import IsoDate
from app.indicators.schemas import Year
from app.personnummer import FreeText

Title = Annotated[FreeText, Field(min_length=1, max_length=300)]
ShortText = Annotated[FreeText, Field(min_length=1, max_length=300)]
LongText = Annotated[FreeText, Field(min_length=1, max_length=10000)]
ItemNumber = Annotated[int, Field(ge=1, le=999)]
MONTH_PATTERN = r"^(?:19|2[0-9])[0-9]{2}-(?:0[1-9]|1[0-2])$"
FollowUpMonth = Annotated[
    str,
    Field(
        pattern=MONTH_PATTERN,
        description="The month the committee follows the item up, `YYYY-MM`.",
        examples=["2023-12"],
    ),
]


class FollowUpState(StrEnum):
    """Where an item's follow-up stands on a date (see the action-plans module)."""

    CLOSED = "closed"
    FOLLOWED_UP = "followed_up"
    DUE = "due"
    OVERDUE = "overdue"
    UPCOMING = "upcoming"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ItemCreate(_Strict):
    number: ItemNumber | None = Field(default=None, description="Default: the next free number.")
    area: ShortText = Field(examples=["Uppsökande och förebyggande arbete"])
    objective: LongText = Field(
        description="What is to be achieved.",
        examples=["Ta reda på om otrygghet har att göra med våld och övergrepp."],
    )
    approach: LongText | None = Field(
        default=None,
        description="How it is to be done.",
        examples=["Ge möjlighet att uttrycka sig."],
    )
    target_group: ShortText = Field(examples=["Kvinnor och män med bostad särskild service LSS"])
    responsible_role: ShortText = Field(examples=["Verksamhetschef Stöd och service"])
    follow_up_month: FollowUpMonth


class ItemUpdate(_Strict):
    """Fields to change; the status changes through follow-up notes. `null` clears `approach`."""

    number: ItemNumber | None = None
    area: ShortText | None = None
    objective: LongText | None = None
    approach: LongText | None = None
    target_group: ShortText | None = None
    responsible_role: ShortText | None = None
    follow_up_month: FollowUpMonth | None = None


class FollowUpCreate(_Strict):
    noted_on: IsoDate = Field(examples=["2023-12-13"])
    status: ItemStatus
    comment: LongText


class FollowUpRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    noted_on: date
    status: ItemStatus
    comment: str
    noted_by: str
    created_at: datetime


class ItemRead(BaseModel):
    id: uuid.UUID
    plan_id: uuid.UUID
    number: int
    area: str
    objective: str
    approach: str | None
    target_group: str
    responsible_role: str
    follow_up_month: str
    follow_up_due_on: date = Field(description="The last day of the follow-up month.")
    follow_up_state: FollowUpState = Field(description="On the date asked for (default today).")
    status: ItemStatus
    follow_ups: list[FollowUpRead]
    created_at: datetime
    updated_at: datetime


class ActionPlanCreate(_Strict):
    owner_id: uuid.UUID = Field(description="The org unit whose plan it is (the committee).")
    year: Year
    title: Title = Field(examples=["Handlingsplan mot våld i nära relation 2023"])
    reference: Annotated[FreeText, Field(min_length=1, max_length=100)] | None = Field(
        default=None, description="Diary number.", examples=["VSF.2023.5"]
    )
    adopted_on: IsoDate | None = Field(default=None, examples=["2023-02-21"])
    decision_ref: ShortText | None = Field(default=None, examples=["SN 2023-02-21 § 21"])
    background: LongText | None = None
    items: list[ItemCreate] = Field(default_factory=list, max_length=500)


class ActionPlanUpdate(_Strict):
    """Fields to change; `null` clears reference, adopted_on, decision_ref and background."""

    title: Title | None = None
    reference: Annotated[FreeText, Field(min_length=1, max_length=100)] | None = None
    adopted_on: IsoDate | None = None
    decision_ref: ShortText | None = None
    background: LongText | None = None


class ActionPlanRead(BaseModel):
    id: uuid.UUID
    owner_id: uuid.UUID
    year: int
    title: str
    reference: str | None
    adopted_on: date | None
    decision_ref: str | None
    background: str | None
    items: list[ItemRead]
    created_at: datetime
    updated_at: datetime


class FollowUpDue(BaseModel):
    plan_id: uuid.UUID
    plan_title: str
    item: ItemRead


class FollowUpStateCounts(BaseModel):
    closed: int = 0
    followed_up: int = 0
    due: int = 0
    overdue: int = 0
    upcoming: int = 0


class FollowUpOverview(BaseModel):
    on: date
    counts: FollowUpStateCounts
    items: list[FollowUpDue]
