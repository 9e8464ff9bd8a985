"""Kolada's shapes (import and export), municipality groups, and the benchmark answer."""

import math
import uuid
from datetime import datetime
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from app.fields import NumberOut
from app.indicators.schemas import KoladaKpi
from app.measurements.models import Gender
from app.personnummer import FreeText
from app.rules.definitions import Polarity, Status

MunicipalityCode = Annotated[
    str,
    Field(
        pattern=r"^[0-9]{4}$",
        description="The municipality's (or region's) 4-digit SCB code, as Kolada uses it.",
        examples=["2380"],
    ),
]
Name = Annotated[FreeText, Field(min_length=1, max_length=200, examples=["Gotland"])]
Year = Annotated[int, Field(ge=1900, le=2999, examples=[2019])]

KOLADA_GENDER = {"T": Gender.TOTAL, "K": Gender.WOMEN, "M": Gender.MEN}
GENDER_KOLADA = {gender.value: code for code, gender in KOLADA_GENDER.items()}
SIX_PLACES = Decimal("0.000001")
MAX_MAGNITUDE = Decimal(10) ** 14  # Numeric(20, 6): 14 digits before the point


def _kolada_number(value: object) -> object:
    """A JSON number as Kolada sends it (a float, often with many decimals), rounded to the six
    decimals we store; ``None`` stays missing. Strings and booleans are refused."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise PydanticCustomError("number_type", "give the value as a JSON number or null")
    if isinstance(value, float) and not math.isfinite(value):
        raise PydanticCustomError("finite_number", "give a finite number")
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if abs(number) >= MAX_MAGNITUDE:
        raise PydanticCustomError("number_too_large", "the value has more than 14 integer digits")
    return number.quantize(SIX_PLACES, rounding=ROUND_HALF_EVEN)


def _kolada_period(value: object) -> object:
    """v3 sends ``"period": 2009``, v2 ``"period": "2009"``; both mean the year."""
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) == 4:
        return int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise PydanticCustomError("period_format", 'give the period as a year, 2009 or "2009"')


KoladaNumber = Annotated[Decimal | None, BeforeValidator(_kolada_number)]
KoladaPeriod = Annotated[int, BeforeValidator(_kolada_period), Field(ge=1900, le=2999)]


class _Lenient(BaseModel):
    """Kolada's own records: fields we do not use are ignored, not refused."""

    model_config = ConfigDict(extra="ignore")


class KoladaGenderValue(_Lenient):
    gender: Literal["T", "K", "M"]
    count: int | None = Field(default=None, ge=0)
    status: Annotated[FreeText, Field(max_length=200)] | None = None
    value: KoladaNumber = None


class KoladaDataItem(_Lenient):
    kpi: KoladaKpi
    municipality: MunicipalityCode
    period: KoladaPeriod
    values: list[KoladaGenderValue]


class KoladaKpiRecord(_Lenient):
    id: KoladaKpi
    title: Annotated[FreeText, Field(min_length=1, max_length=500)]
    description: Annotated[FreeText, Field(max_length=20000)] | None = None
    is_divided_by_gender: bool = False
    municipality_type: Annotated[str, Field(max_length=10)] | None = None
    operating_area: Annotated[FreeText, Field(max_length=500)] | None = None
    has_ou_data: bool | None = None
    publication_date: Annotated[str, Field(max_length=30)] | None = None


V3_DATA_EXAMPLE: dict[str, Any] = {
    "values": [
        {
            "kpi": "U30470",
            "municipality": "2380",
            "period": 2019,
            "values": [
                {"gender": "T", "count": 1, "status": "", "value": 82.0},
                {"gender": "K", "count": 1, "status": "", "value": 88.0},
                {"gender": "M", "count": 1, "status": "", "value": None},
            ],
        }
    ],
    "next_url": None,
}
V2_DATA_EXAMPLE: dict[str, Any] = {
    "count": 1,
    "values": [
        {
            "kpi": "N00945",
            "municipality": "1860",
            "period": "2009",
            "values": [{"gender": "T", "count": 1, "status": "", "value": 40.02}],
        }
    ],
    "next_page": None,
}
KPI_EXAMPLE: dict[str, Any] = {
    "values": [
        {
            "id": "U31402",
            "title": "Väntetid i antal dagar från ansökan till beslut inom ekonomiskt bistånd",
            "description": "Medelvärde för väntetid i antal dagar …",
            "is_divided_by_gender": False,
            "municipality_type": "K",
            "operating_area": "Ekonomiskt bistånd",
        }
    ]
}


class KoladaImportSummary(BaseModel):
    kind: Literal["data", "kpi_metadata", "empty"] = Field(
        description="What the body was: Kolada data, KPI metadata, or no values at all."
    )
    shape: Literal["v3", "v2"] | None = Field(
        default=None,
        description="The Kolada API version the body came from, when it tells: `next_url` or a "
        'numeric `period` is v3, `next_page` or a string `period` ("2009") is v2.',
    )
    received: int = Field(description="Gender values (data) or KPI records (metadata) received.")
    created: int
    updated: int
    unchanged: int = Field(description="Received again with the same value, count and status.")
    missing: int = Field(
        default=0, description="Received values that are null: stored as missing, not as zero."
    )
    kpis: list[str] = Field(default_factory=list, description="The KPIs the body covered.")
    years: list[int] = Field(default_factory=list)
    municipalities: int = Field(default=0, description="Distinct municipalities in the body.")
    next: str | None = Field(
        default=None, description="Kolada's `next_url`/`next_page`: fetch and import it next."
    )


class KoladaKpiRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    kpi: str = Field(examples=["U31402"])
    title: str
    description: str | None
    is_divided_by_gender: bool
    municipality_type: str | None
    operating_area: str | None
    has_ou_data: bool | None
    publication_date: str | None
    updated_at: datetime


class BenchmarkValueRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    kpi: str
    municipality: str = Field(validation_alias="municipality_code", examples=["2380"])
    year: int
    gender: Gender
    value: NumberOut | None = Field(description="Null: Kolada has no value (missing, not zero).")
    count: int | None
    status: str | None = Field(description="Kolada's status, verbatim.")
    updated_at: datetime


class GroupMember(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: MunicipalityCode
    name: Name


class GroupCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Annotated[
        FreeText, Field(min_length=1, max_length=200, examples=["Liknande kommuner IFO"])
    ]
    description: Annotated[FreeText, Field(max_length=2000)] | None = None
    members: list[GroupMember] = Field(
        min_length=1,
        max_length=400,
        examples=[[{"code": "0980", "name": "Gotland"}, {"code": "0163", "name": "Sollentuna"}]],
    )

    @field_validator("members")
    @classmethod
    def _each_code_once(cls, members: list[GroupMember]) -> list[GroupMember]:
        seen: set[str] = set()
        for member in members:
            if member.code in seen:
                raise ValueError("each municipality may be listed once")
            seen.add(member.code)
        return members


class GroupRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    description: str | None
    members: list[GroupMember]
    created_at: datetime
    updated_at: datetime


class Municipality(BaseModel):
    code: str
    name: str


class Placed(BaseModel):
    code: str
    name: str
    value: NumberOut
    rank: int = Field(description="1 = best, polarity-aware; ties share the better rank.")
    own: bool = Field(description="The caller's own municipality.")


class GroupRef(BaseModel):
    id: uuid.UUID
    name: str
    members: int


class Benchmark(BaseModel):
    indicator_id: uuid.UUID
    indicator_code: str
    kpi: str = Field(description="The indicator's `kolada_kpi`.", examples=["U30470"])
    kpi_title: str | None = Field(description="From imported KPI metadata, when there is any.")
    year: int
    gender: Gender
    polarity: Polarity
    best_point: NumberOut | None = Field(
        description="For `target_is_best`: the year's target the ranking measures distance to."
    )
    group: GroupRef
    municipality: Municipality = Field(description="The caller's own municipality.")
    own_value: NumberOut | None = Field(
        description="The caller's municipality's **Kolada** value for this KPI, year and gender, "
        "as imported into benchmarks — not its own measurements. Null when Kolada has none."
    )
    own_status: str | None = Field(description="Kolada's status text for the own value, verbatim.")
    mean: NumberOut | None = Field(description="Mean over the group members that have a value.")
    median: NumberOut | None = Field(description="Median over the members that have a value.")
    members_with_value: int
    missing: list[Municipality] = Field(
        description="Members without a value (null or not imported): left out of mean and median."
    )
    ranked: bool = Field(
        description="False for a `target_is_best` indicator without a target that year."
    )
    rank: int | None = Field(
        description="The own municipality's place among the members with a value plus itself; "
        "1 = best."
    )
    ranked_count: int
    quartile: int | None = Field(
        description="ceil(4·rank / ranked_count): 1 = the best quarter, 4 = the worst; null with "
        "fewer than 4 ranked values or without an own value."
    )
    colour: Status = Field(
        description="By quartile: 1 green, 2–3 yellow, 4 red; `no_data` without a quartile."
    )
    best_performers: list[Placed] = Field(
        description="The two best members other than the own municipality (more on a tie)."
    )
    ranking: list[Placed] = Field(description="Members with a value and the own one, best first.")
    summary: str


class KoladaGenderValueOut(BaseModel):
    gender: Literal["T", "K", "M"]
    count: int
    status: str
    value: NumberOut | None


class KoladaValueOut(BaseModel):
    kpi: str
    municipality: str
    period: int
    values: list[KoladaGenderValueOut]


class KoladaExport(BaseModel):
    """Own outcomes in Kolada's v3 data shape (importable again by ``POST …/kolada``)."""

    count: int
    values: list[KoladaValueOut]
