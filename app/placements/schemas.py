"""What clients send and get back for placements (DOMAIN §8). Amounts are SEK (see ``money``)."""

from __future__ import annotations

import re
import uuid
from datetime import date, datetime, timedelta
from decimal import Decimal
from itertools import pairwise
from typing import Annotated, Self

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from app.fields import IsoDate, NumberOut, PeriodText
from app.indicators.schemas import field_errors
from app.orgunits.schemas import Code
from app.personnummer import ERROR_MESSAGE, ERROR_TYPE, FreeText, luhn_valid
from app.placements.models import (
    EpisodeGender,
    PlacementAgeBand,
    PlacementLegalBasis,
    PlacementRegime,
    PlacementTargetGroup,
)
from app.placements.money import MAX_DAILY_RATE, Money, MoneyOut
from app.rules.definitions import Status

MAX_RATES = 100
Year = Annotated[int, Field(ge=1900, le=2999, examples=[2023])]
Name = Annotated[FreeText, Field(min_length=1, max_length=200)]
SourceSystem = Annotated[FreeText, Field(min_length=1, max_length=100)]
Comment = Annotated[FreeText, Field(max_length=2000)]
CaseRef = Annotated[
    FreeText,
    Field(
        min_length=1,
        max_length=100,
        description="The case's pseudonymised reference. Never a personnummer: one is refused "
        "(422, not echoed).",
        examples=["BOU-2023-0147"],
    ),
]
_MONTH = re.compile(r"^[0-9]{4}-[0-9]{2}$")
_ORG_NUMBER = re.compile(r"^([0-9]{6})-?([0-9]{4})$")


def _organisation_number(value: object) -> object:
    """NNNNNN-NNNN, Luhn-valid, of a legal person (third digit ≥ 2). A sole trader's
    organisation number is the owner's personnummer, which the service never holds."""
    if not isinstance(value, str):
        return value
    match = _ORG_NUMBER.match(value.strip())
    if match is None:
        raise PydanticCustomError("org_number_format", "give an organisation number as NNNNNN-NNNN")
    digits = match[1] + match[2]
    if not luhn_valid(digits):
        raise PydanticCustomError("org_number_checksum", "the check digit does not match")
    if digits[2] < "2":
        raise PydanticCustomError(ERROR_TYPE, ERROR_MESSAGE)
    return f"{match[1]}-{match[2]}"


OrganisationNumber = Annotated[
    str,
    BeforeValidator(_organisation_number),
    Field(
        description="Swedish organisation number of a legal person, NNNNNN-NNNN.",
        examples=["556677-8899"],
    ),
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


# -- categories ------------------------------------------------------------------------------


PARENT = (
    "The reporting total this category belongs to (seed 003: own and purchased family homes under "
    '"Familjehemsplaceringar (totalt)"). The follow-up shows the parent\'s row as its own '
    "figures plus its children's, computed, never stored twice. One level: a parent has no "
    "parent."
)


class PlacementCategoryCreate(_Strict):
    code: Code = Field(examples=["HVB-BARN"])
    name: Name = Field(examples=["HVB barn och unga"])
    description: Annotated[FreeText, Field(max_length=2000)] | None = None
    legal_basis: list[PlacementLegalBasis] = Field(
        min_length=1, max_length=3, examples=[["SoL", "LVU"]]
    )
    target_group: PlacementTargetGroup
    regime: PlacementRegime
    parent_id: uuid.UUID | None = Field(default=None, description=PARENT)


class PlacementCategoryUpdate(_Strict):
    """Fields to change; absent fields stay. The code is fixed: integrations send it."""

    name: Name | None = None
    description: Annotated[FreeText, Field(max_length=2000)] | None = None
    legal_basis: list[PlacementLegalBasis] | None = Field(default=None, min_length=1, max_length=3)
    target_group: PlacementTargetGroup | None = None
    regime: PlacementRegime | None = None
    parent_id: uuid.UUID | None = Field(default=None, description=PARENT + " null: none.")


class PlacementCategoryRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    code: str
    name: str
    description: str | None
    legal_basis: list[PlacementLegalBasis]
    target_group: PlacementTargetGroup
    regime: PlacementRegime
    standard: bool = Field(description="One of the standard set (DOMAIN §8).")
    parent_id: uuid.UUID | None = Field(description=PARENT)
    created_at: datetime
    updated_at: datetime


# -- providers -------------------------------------------------------------------------------


class PlacementProviderCreate(_Strict):
    name: Name = Field(examples=["Solgläntan HVB AB"])
    organisation_number: OrganisationNumber | None = None
    ivo_permit_checked_on: IsoDate | None = Field(
        default=None, description="When the IVO permit was last checked (seed 003: yearly)."
    )
    comment: Comment | None = None


class PlacementProviderUpdate(_Strict):
    name: Name | None = None
    organisation_number: OrganisationNumber | None = None
    ivo_permit_checked_on: IsoDate | None = None
    comment: Comment | None = None


class PlacementProviderRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    organisation_number: str | None
    ivo_permit_checked_on: date | None
    permit_check_due: bool = Field(
        description="Not checked since 1 January this year (seed 003: checked every January)."
    )
    comment: str | None
    created_at: datetime
    updated_at: datetime


# -- episodes --------------------------------------------------------------------------------


class PlacementRateWrite(_Strict):
    valid_from: IsoDate
    valid_to: IsoDate | None = Field(
        default=None, description="Last day; omit on the last period (until the episode ends)."
    )
    daily_rate: Money = Field(
        ge=0, le=MAX_DAILY_RATE, description="SEK per care day.", examples=[2703]
    )


class PlacementRateRead(BaseModel):
    valid_from: date
    valid_to: date | None
    daily_rate: MoneyOut


class _References(_Strict):
    category_id: uuid.UUID | None = None
    category_code: Code | None = Field(default=None, examples=["HVB-BARN"])
    org_unit_id: uuid.UUID | None = None
    org_unit_code: Code | None = Field(default=None, examples=["BOU"])

    def _one_of_each(self, names: tuple[str, ...]) -> list[tuple[str, str, str, object]]:
        problems: list[tuple[str, str, str, object]] = []
        for what in names:
            by_id, by_code = getattr(self, f"{what}_id"), getattr(self, f"{what}_code")
            if (by_id is None) == (by_code is None):
                problems.append(
                    (
                        f"{what}_code",
                        "reference",
                        f"give exactly one of {what}_id and {what}_code",
                        None,
                    )
                )
        return problems


class PlacementWrite(_References):
    """One episode. Its natural key is ``case_ref`` + ``start_date``: sending it again updates it
    (or leaves it unchanged). Give the cost either as ``rates`` — periods that together cover the
    episode exactly, without gap or overlap — or as one ``daily_rate`` for the whole episode (the
    only way in CSV)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "case_ref": "BOU-2023-0147",
                    "category_code": "HVB-BARN",
                    "org_unit_code": "BOU",
                    "provider_org_number": "556677-8899",
                    "start_date": "2023-03-01",
                    "rates": [
                        {"valid_from": "2023-03-01", "valid_to": "2023-03-15", "daily_rate": 2000},
                        {"valid_from": "2023-03-16", "daily_rate": 2500},
                    ],
                    "gender": "women",
                    "age_band": "13-17",
                    "source_system": "Procapita",
                }
            ]
        },
    )

    case_ref: CaseRef
    provider_id: uuid.UUID | None = None
    provider_org_number: OrganisationNumber | None = Field(
        default=None, description="The provider by organisation number; omit for own regime."
    )
    start_date: IsoDate
    end_date: IsoDate | None = Field(default=None, description="Last day; omit while ongoing.")
    rates: list[PlacementRateWrite] | None = Field(default=None, min_length=1, max_length=MAX_RATES)
    daily_rate: Money | None = Field(
        default=None,
        ge=0,
        le=MAX_DAILY_RATE,
        description="One rate for the whole episode, instead of `rates`.",
    )
    gender: EpisodeGender | None = None
    age_band: PlacementAgeBand | None = None
    source_system: SourceSystem | None = Field(default=None, examples=["Procapita"])
    comment: Comment | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        problems = self._one_of_each(("category", "org_unit"))
        if self.provider_id is not None and self.provider_org_number is not None:
            problems.append(
                (
                    "provider_org_number",
                    "reference",
                    "give at most one of provider_id and provider_org_number",
                    None,
                )
            )
        if self.end_date is not None and self.end_date < self.start_date:
            problems.append(("end_date", "before_start", "end_date is before start_date", None))
        elif (self.rates is None) == (self.daily_rate is None):
            problems.append(("rates", "rates_required", "give either rates or daily_rate", None))
        elif self.rates is not None:
            problems.extend(rate_problems(self.rates, self.start_date, self.end_date))
        if problems:
            raise field_errors("PlacementWrite", *problems)
        return self

    def rate_periods(self) -> list[tuple[date, date | None, Decimal]]:
        """The rate periods in order, the last one ending with the episode (open while it is)."""
        if self.daily_rate is not None:
            return [(self.start_date, self.end_date, self.daily_rate)]
        assert self.rates is not None
        ordered = sorted(self.rates, key=lambda r: r.valid_from)
        periods = [(r.valid_from, r.valid_to, r.daily_rate) for r in ordered]
        first, last_to, rate = periods[-1]
        periods[-1] = (first, last_to if last_to is not None else self.end_date, rate)
        return periods


def rate_problems(
    rates: list[PlacementRateWrite], start: date, end: date | None
) -> list[tuple[str, str, str, object]]:
    """Where the rate periods fail to cover ``start``–``end`` exactly once."""
    problems: list[tuple[str, str, str, object]] = []
    order = sorted(range(len(rates)), key=lambda i: rates[i].valid_from)
    for i, rate in enumerate(rates):
        if rate.valid_to is not None and rate.valid_to < rate.valid_from:
            problems.append(
                (f"rates.{i}.valid_to", "valid_range", "valid_to is before valid_from", None)
            )
    if problems:
        return problems
    first = order[0]
    if rates[first].valid_from != start:
        problems.append(
            (
                f"rates.{first}.valid_from",
                "rates_start",
                "the first rate period must start on start_date",
                None,
            )
        )
    for before, after in pairwise(order):
        previous_end = rates[before].valid_to
        following = rates[after].valid_from
        if previous_end is None or following <= previous_end:
            problems.append(
                (f"rates.{after}.valid_from", "rates_overlap", "rate periods overlap", None)
            )
        elif following != previous_end + timedelta(days=1):
            problems.append(
                (
                    f"rates.{after}.valid_from",
                    "rates_gap",
                    "a gap between rate periods: each must start the day after the previous ends",
                    None,
                )
            )
    last = order[-1]
    last_to = rates[last].valid_to
    if end is None and last_to is not None:
        problems.append(
            (
                f"rates.{last}.valid_to",
                "rates_end",
                "the episode is ongoing: leave the last rate period open (no valid_to)",
                None,
            )
        )
    elif end is not None and last_to is not None and last_to != end:
        problems.append(
            (
                f"rates.{last}.valid_to",
                "rates_end",
                "the last rate period must end on end_date",
                None,
            )
        )
    elif end is not None and rates[last].valid_from > end:
        problems.append(
            (f"rates.{last}.valid_from", "rates_end", "a rate period starts after end_date", None)
        )
    return problems


class PlacementUpdate(_Strict):
    """Fields to change; absent fields stay, ``null`` clears an optional one (``end_date: null``
    reopens the episode). The key (``case_ref``, ``start_date``) is fixed: to correct it, delete
    the episode and send it again. When the end date changes and no ``rates`` are sent, the rate
    periods are cut or extended to the new end."""

    category_id: uuid.UUID | None = None
    category_code: Code | None = None
    org_unit_id: uuid.UUID | None = None
    org_unit_code: Code | None = None
    provider_id: uuid.UUID | None = None
    provider_org_number: OrganisationNumber | None = None
    end_date: IsoDate | None = None
    rates: list[PlacementRateWrite] | None = Field(default=None, min_length=1, max_length=MAX_RATES)
    daily_rate: Money | None = Field(default=None, ge=0, le=MAX_DAILY_RATE)
    gender: EpisodeGender | None = None
    age_band: PlacementAgeBand | None = None
    source_system: SourceSystem | None = None
    comment: Comment | None = None


class PlacementRead(BaseModel):
    id: uuid.UUID
    case_ref: str
    category_id: uuid.UUID
    category_code: str
    org_unit_id: uuid.UUID
    org_unit_code: str
    provider_id: uuid.UUID | None
    start_date: date
    end_date: date | None
    rates: list[PlacementRateRead]
    gender: EpisodeGender | None
    age_band: PlacementAgeBand | None
    source_system: str | None
    comment: str | None
    batch_id: uuid.UUID | None
    created_at: datetime
    updated_at: datetime


# -- monthly aggregates ----------------------------------------------------------------------


class PlacementAggregateWrite(_References):
    """Care days and net cost of one category at one org unit in one month. The key is
    (category, org unit, month): sending it again replaces the figures (or leaves them)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "category_code": "HVB-BARN",
                    "org_unit_code": "BOU",
                    "period": "2017-01",
                    "care_days": 248,
                    "net_cost": 657833.33,
                    "source_system": "Raindance",
                }
            ]
        },
    )

    period: PeriodText = Field(
        description="The period the system reports: a month (`2023-05`), quarter (`2023-Q2`), "
        "tertial (`2023-T1`), half (`2023-H1`) or year (`2023`). The follow-up spreads a longer "
        "period over its months by calendar days; for a month, the shortest period covering it "
        "wins.",
        examples=["2023-05", "2023-T1"],
    )
    care_days: int = Field(ge=0, le=10_000_000)
    net_cost: Money = Field(description="SEK, costs less revenue; may be negative.")
    source_system: SourceSystem | None = None
    comment: Comment | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        problems = self._one_of_each(("category", "org_unit"))
        if problems:
            raise field_errors("PlacementAggregateWrite", *problems)
        return self


class PlacementAggregateRead(BaseModel):
    id: uuid.UUID
    category_id: uuid.UUID
    category_code: str
    org_unit_id: uuid.UUID
    org_unit_code: str
    period: str
    care_days: int
    net_cost: MoneyOut
    source_system: str | None
    comment: str | None
    batch_id: uuid.UUID | None
    created_at: datetime
    updated_at: datetime


# -- budgets ---------------------------------------------------------------------------------


class PlacementBudgetWrite(_References):
    """The budget of a category at an org unit for a year; the key is (category, org unit,
    year). ``expected_inflow`` is the expected cost over a whole year of placements not yet
    made; the forecast adds the share of it for the months that remain."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "category_code": "SKYDDAT",
                    "org_unit_code": "BOU-RVC",
                    "year": 2023,
                    "care_days": 4400,
                    "amount": 10000000,
                }
            ]
        },
    )

    year: Year
    care_days: int | None = Field(default=None, ge=0, le=10_000_000)
    amount: Money = Field(ge=0, description="SEK for the year.")
    expected_inflow: Money | None = Field(default=None, ge=0)
    comment: Comment | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        problems = self._one_of_each(("category", "org_unit"))
        if problems:
            raise field_errors("PlacementBudgetWrite", *problems)
        return self


class PlacementBudgetRead(BaseModel):
    id: uuid.UUID
    category_id: uuid.UUID
    category_code: str
    org_unit_id: uuid.UUID
    org_unit_code: str
    year: int
    care_days: int | None
    amount: MoneyOut
    expected_inflow: MoneyOut | None
    comment: str | None
    created_at: datetime
    updated_at: datetime


class PlacementBudgetWritten(PlacementBudgetRead):
    result: str = Field(examples=["created"], description="created, updated or unchanged")


# -- follow-up -------------------------------------------------------------------------------


class PlacementCategoryRef(BaseModel):
    id: uuid.UUID
    code: str
    name: str
    target_group: PlacementTargetGroup
    regime: PlacementRegime
    parent_code: str | None = Field(default=None, description="Its reporting total, if any.")
    total_of: list[str] | None = Field(
        default=None,
        description="A reporting total: the codes of the categories its row adds to its own "
        "figures. Its row is not counted again in the follow-up's total.",
    )


class PlacementSourcePart(BaseModel):
    care_days: int
    cost: MoneyOut
    unit_months: int = Field(description="How many (org unit, month) cells this part covers.")


class PlacementSources(BaseModel):
    """Where the figures came from. A month of a category at an org unit comes from one source:
    the monthly aggregate when there is one, else the episodes."""

    aggregates: PlacementSourcePart
    episodes: PlacementSourcePart
    superseded_episodes: PlacementSourcePart = Field(
        description="Episode figures for cells that an aggregate covers: shown, not counted."
    )


class PlacementBudgetPart(BaseModel):
    care_days: int | None = Field(description="Budgeted care days for the year.")
    amount: MoneyOut = Field(description="Budgeted amount for the year, SEK.")
    care_days_to_date: int | None = Field(description="care_days × months elapsed / 12.")
    amount_to_date: MoneyOut = Field(description="amount × months elapsed / 12.")
    expected_inflow: MoneyOut | None = Field(
        description="Expected yearly cost of placements not yet made."
    )


class PlacementForecast(BaseModel):
    """Year-end forecast = cost to date + ongoing episodes at their current daily rate to the
    year's end (or their planned end) + the expected inflow for the months that remain."""

    cost_to_date: MoneyOut | None = Field(description="Null without data for the period.")
    ongoing_episodes: int = Field(description="Episodes not ended on the period's last day.")
    ongoing_remaining_care_days: int
    ongoing_cost: MoneyOut
    expected_inflow: MoneyOut = Field(description="expected_inflow × months remaining / 12.")
    total: MoneyOut | None = Field(description="Null without data for the period.")


class PlacementEpisodeCounts(BaseModel):
    ongoing: int = Field(description="Not ended on the period's last day.")
    new: int = Field(description="Started within the period.")
    ended: int = Field(description="Ended within the period.")


class PlacementFollowUpRow(BaseModel):
    category: PlacementCategoryRef | None = Field(description="Null on the total.")
    care_days: int | None = Field(
        description="Care days from 1 January to the period's end. Null without data for the "
        "period: no monthly aggregate and no episode day from 1 January to the period's end."
    )
    placements_annual_basis: NumberOut | None = Field(
        description="Care days / days from 1 January to the period's end: the average number "
        "placed (for a whole year, care days / days in the year). Null without data."
    )
    cost: MoneyOut | None = Field(
        description="Net cost from 1 January to the period's end, SEK. Null without data for "
        "the period; 0 with data is a cost of 0."
    )
    average_cost_per_care_day: MoneyOut | None
    sources: PlacementSources
    budget: PlacementBudgetPart | None
    deviation: MoneyOut | None = Field(
        description="Budget to date − cost to date; positive is favourable."
    )
    deviation_percent: NumberOut | None
    care_days_deviation: int | None = Field(description="Budgeted care days to date − care days.")
    forecast: PlacementForecast
    forecast_deviation: MoneyOut | None = Field(
        description="Budget for the year − forecast; positive is favourable."
    )
    forecast_deviation_percent: NumberOut | None
    status: Status = Field(
        description="The forecast against the year's budget (rules module); `no_data` without "
        "a budget or without data for the period."
    )
    explanation: str
    episodes: PlacementEpisodeCounts


class PlacementFollowUp(BaseModel):
    period: str
    date_from: date
    date_to: date
    org_unit_id: uuid.UUID | None = Field(description="The subtree's root; null: everything.")
    days_elapsed: int
    days_in_year: int
    months_elapsed: int
    precedence: str = Field(
        description="Which source wins when an aggregate and episodes cover the same cell."
    )
    categories: list[PlacementFollowUpRow]
    total: PlacementFollowUpRow
