"""SEK at the edge, öre inside: amounts are exact integers in the database (see ``models``).

Sums, pro-rating and deviations are integer öre arithmetic (a share of the year is a Decimal
fraction, rounded once to the öre). Answers carry amounts as JSON numbers with two decimals,
exact up to 15 significant digits: 9 999 999 999 999,99 kr, far beyond any committee's budget.
"""

from decimal import ROUND_HALF_UP, Decimal

ORE_PER_SEK = 100
_CENT = Decimal("0.01")


def to_ore(sek: Decimal) -> int:
    """SEK with at most two decimals (the schemas check that) as integer öre."""
    ore = sek * ORE_PER_SEK
    if ore != ore.to_integral_value():
        raise ValueError("an amount has at most two decimals (öre)")
    return int(ore)


def to_sek(ore: int | Decimal) -> Decimal:
    """Öre (an int, or a database sum that PostgreSQL hands back as Decimal) as SEK."""
    return (Decimal(int(ore)) / ORE_PER_SEK).quantize(_CENT)


def round_ore(value: Decimal) -> int:
    """A computed amount in öre (a pro-rated share, a mean) to whole öre, half away from zero."""
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))
