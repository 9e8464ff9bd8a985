"""Money at the edge: SEK with at most two decimals in the API, integer öre in the database.

Why öre: see :mod:`app.placements.models`. Rounding, where a share of an amount is taken (budget
to date, the inflow for the rest of the year), is half-up to the öre.
"""

from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated

from pydantic import Field

from app.fields import JSON_NUMBER, NUMBER_SCHEMA, NumberOut

HUNDRED = Decimal(100)


MAX_SEK = 100_000_000_000  # 100 billion: a year's sums of 100 000 rows stay within 64 bits of öre
MAX_DAILY_RATE = 1_000_000

Money = Annotated[
    Decimal,
    Field(max_digits=15, decimal_places=2, allow_inf_nan=False, ge=-MAX_SEK, le=MAX_SEK),
    JSON_NUMBER,
    NUMBER_SCHEMA,
]
"""An amount in SEK from a client: exact, at most two decimals (öre), at most 100 billion."""

MoneyOut = NumberOut
"""An amount in SEK in a response."""


def to_ore(sek: Decimal) -> int:
    return int((sek * HUNDRED).to_integral_value(rounding=ROUND_HALF_UP))


def to_sek(ore: int | None) -> Decimal | None:
    if ore is None:
        return None
    return Decimal(ore) / HUNDRED


def share_ore(ore: int, numerator: int, denominator: int) -> int:
    """``ore × numerator / denominator``, rounded half-up to the öre (exact integer arithmetic)."""
    quotient = Decimal(ore * numerator) / Decimal(denominator)
    return int(quotient.to_integral_value(rounding=ROUND_HALF_UP))
