"""Field types shared by every domain's schemas.

Pydantic would read ``0`` or ``"1700000000"`` as a date (a Unix timestamp). Our contract is ISO
8601 text, so these types refuse anything else and keep the OpenAPI ``format`` honest.
"""

import re
from datetime import date, datetime
from typing import Annotated

from pydantic import AwareDatetime, BeforeValidator
from pydantic_core import PydanticCustomError

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
