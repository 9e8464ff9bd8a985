"""Field types shared by every domain's schemas.

Pydantic would read ``0`` or ``"1700000000"`` as a date (a Unix timestamp). Our contract is ISO
8601 text, so these types refuse anything else and keep the OpenAPI ``format`` honest.
"""

import re
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BeforeValidator,
    Field,
    PlainSerializer,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from app.periods import PERIOD_PATTERN
from app.periods import is_valid as is_valid_period

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def _iso_date_text(value: object) -> object:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and _ISO_DATE.match(value):
        return value
    raise PydanticCustomError("date_format", "give a date as YYYY-MM-DD")


def _iso_datetime_text(value: object) -> object:
    if isinstance(value, datetime):
        return value
    if isinstance(value, str) and _ISO_DATETIME.match(value):
        return value
    raise PydanticCustomError(
        "datetime_format", "give a time as ISO 8601 with a zone, e.g. 2024-05-01T08:00:00Z"
    )


IsoDate = Annotated[date, BeforeValidator(_iso_date_text)]
IsoDateTime = Annotated[AwareDatetime, BeforeValidator(_iso_datetime_text)]


def iso_utc(moment: datetime) -> str:
    """``moment`` in UTC as ISO 8601 ending in ``Z``, as Pydantic writes times in JSON: pasted
    into a URL as it is, it reads back as the same time (a ``+`` there would read as a space)."""
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _json_number(value: Decimal) -> float | int:
    # JSON numbers for clients; integral values without a trailing ".0".
    return int(value) if value == value.to_integral_value() else float(value.normalize())


# Declared as "number" in the schema and written as _json_number returns it: a return type of
# float would turn 59571000 back into 59571000.0.
JSON_NUMBER = PlainSerializer(_json_number, return_type=Any, when_used="json")
NUMBER_SCHEMA = WithJsonSchema({"type": "number"}, mode="serialization")

Number = Annotated[
    Decimal,
    Field(max_digits=20, decimal_places=6, allow_inf_nan=False),
    JSON_NUMBER,
    NUMBER_SCHEMA,
]
"""A measured value, target or amount: exact in, a JSON number out (20 digits, 6 decimals)."""


def _period_text(value: object) -> object:
    if isinstance(value, str) and is_valid_period(value):
        return value
    raise PydanticCustomError(
        "period_format",
        "give a period as 2023, 2023-H1, 2023-T2, 2023-Q3 or 2023-05",
    )


PeriodText = Annotated[
    str,
    BeforeValidator(_period_text),
    Field(pattern=PERIOD_PATTERN, examples=["2023-05", "2023-T1", "2023"]),
]
"""A reporting period string (DOMAIN §5), checked by ``app.periods``."""

REPORTED_YEARS = (1900, 2100)
"""The years a reported value (a measurement, a budget line) may fall in. The period grammar
reaches 2999 for queries; data for 2300 is a typo, refused rather than kept for centuries."""


def _reported_year(value: str) -> str:
    first, last = REPORTED_YEARS
    if not first <= int(value[:4]) <= last:
        raise PydanticCustomError("period_range", f"a reported period lies in {first}..{last}")
    return value


ReportedPeriod = Annotated[
    PeriodText,
    AfterValidator(_reported_year),
    Field(description="A reporting period in the years 1900–2100 (`period_range` otherwise)."),
]
"""A :data:`PeriodText` for data: its year within :data:`REPORTED_YEARS`."""

NumberOut = Annotated[Decimal, JSON_NUMBER, NUMBER_SCHEMA]
"""A number in a response: computed values (shares, means) may carry any precision. Money is one
of these everywhere (a resource, an export, the committee report): a JSON number, whole kronor
without a decimal point (59571000), öre with their decimals (12979000.5) — never 59571000.0."""
