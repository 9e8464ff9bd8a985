"""Benchmarking one municipality against a group (DOMAIN §11): pure functions, no I/O.

Given the own municipality's value, the group members' values (a value of ``None`` is missing),
the indicator's polarity and, for ``target_is_best``, the best point, :func:`compare` answers the
group mean and median, a ranking best first, the own rank, quartile and quartile colour, and the
best performers — what seed 001 §7 writes as "bättre än för liknande kommuner (81) … Bäst resultat
har Gotland (90) och Sollentuna (85)".

Definitions, written down once:

* **Mean and median** are over the *members* that have a value; members without one are listed as
  missing and left out. The own municipality counts only if the group lists it as a member.
* **Ranking** is over the members with a value plus the own municipality (once, even when it is a
  member) when it has a value. "Better" follows the polarity: ``higher_is_better`` — the larger
  value; ``lower_is_better`` — the smaller; ``target_is_best`` — the smaller distance to the best
  point (the year's target: the middle of a ``between`` band, or the ``at_least``/``at_most``
  value). Without a best point a ``target_is_best`` indicator is not ranked (mean and median are
  still given). Ties share the better rank (competition ranking: 90, 85, 85, 80 → 1, 2, 2, 4).
* **Quartile** of rank *r* among *N* ranked municipalities is ``ceil(4·r / N)``, i.e. the smallest
  *q* with ``r ≤ q·N/4``. Quartile 1 is the best quarter (``r ≤ N/4``), quartile 4 the worst
  (``r > 3N/4``). With 8 ranked: ranks 1–2 → 1, 3–4 → 2, 5–6 → 3, 7–8 → 4. With 7: rank 1 → 1,
  2–3 → 2, 4–5 → 3, 6–7 → 4. A quarter of fewer than four places is less than one place, so with
  ``N < 4`` no quartile is given.
* **Colour** by quartile, as the national "Kommunens kvalitet i korthet" shows it: quartile 1
  green, 2 and 3 yellow (the middle half), 4 red; no quartile → ``no_data``.
* **Quartile colour mode** for an indicator (:func:`quartile_result`): the status is that
  colour, the explanation names the group, the Kolada year compared and the ranking in words.
* **Best performers** are the best ``top`` members (two, as seed 001 names them) other than the
  own municipality; a tie at the last place includes everyone sharing it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from app.rules.definitions import Polarity, Status
from app.rules.indicator import Explanation, IndicatorResult

MIN_FOR_QUARTILES = 4
TWO = Decimal(2)


@dataclass(frozen=True)
class Entry:
    """A municipality and its value; ``value=None`` means missing."""

    code: str
    name: str
    value: Decimal | None


@dataclass(frozen=True)
class Placed:
    code: str
    name: str
    value: Decimal
    rank: int
    own: bool


@dataclass(frozen=True)
class Comparison:
    own_value: Decimal | None
    mean: Decimal | None
    median: Decimal | None
    members_with_value: int
    missing: tuple[Entry, ...]
    ranked: bool  # False when the polarity gives no order (target_is_best without a best point)
    ranking: tuple[Placed, ...]  # best first; empty when not ranked
    rank: int | None
    quartile: int | None
    colour: Status
    best: tuple[Placed, ...]
    summary: str


def mean(values: Sequence[Decimal]) -> Decimal | None:
    return sum(values, Decimal(0)) / len(values) if values else None


def median(values: Sequence[Decimal]) -> Decimal | None:
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / TWO


def badness(value: Decimal, polarity: Polarity, best_point: Decimal | None) -> Decimal:
    """A key where smaller is better. ``target_is_best`` needs ``best_point``."""
    if polarity == Polarity.HIGHER_IS_BETTER:
        return -value
    if polarity == Polarity.LOWER_IS_BETTER:
        return value
    if best_point is None:
        raise ValueError("target_is_best needs a best point to rank by")
    return abs(value - best_point)


def competition_ranks(keys: Sequence[Decimal]) -> list[int]:
    """Rank of each key (smaller key = better = lower rank); ties share the better rank."""
    return [1 + sum(1 for other in keys if other < key) for key in keys]


def quartile(rank: int, ranked: int) -> int | None:
    """``ceil(4·rank / ranked)``; ``None`` below four ranked values."""
    if ranked < MIN_FOR_QUARTILES or not 1 <= rank <= ranked:
        return None
    return math.ceil(Decimal(4 * rank) / Decimal(ranked))


def colour(q: int | None) -> Status:
    if q is None:
        return Status.NO_DATA
    if q == 1:
        return Status.GREEN
    if q == 4:
        return Status.RED
    return Status.YELLOW


def _fmt(value: Decimal | None) -> str:
    if value is None:
        return "–"
    text = f"{value.quantize(Decimal('0.01')).normalize():f}"
    return text


def compare(
    own: Entry,
    members: Sequence[Entry],
    polarity: Polarity,
    best_point: Decimal | None = None,
    top: int = 2,
) -> Comparison:
    with_value = [m for m in members if m.value is not None]
    values = [m.value for m in with_value if m.value is not None]
    missing = tuple(m for m in members if m.value is None)
    group_mean, group_median = mean(values), median(values)
    ranked = polarity != Polarity.TARGET_IS_BEST or best_point is not None

    ranking: tuple[Placed, ...] = ()
    rank = q = None
    best: tuple[Placed, ...] = ()
    if ranked:
        pool = [m for m in with_value if m.code != own.code]
        own_in_pool = own.value is not None
        if own_in_pool:
            pool.append(own)
        keys = [badness(e.value, polarity, best_point) for e in pool if e.value is not None]
        ranks = competition_ranks(keys)
        placed = [
            Placed(e.code, e.name, e.value, r, e.code == own.code)
            for e, r in zip(pool, ranks, strict=True)
            if e.value is not None
        ]
        ranking = tuple(sorted(placed, key=lambda p: (p.rank, p.name, p.code)))
        if own_in_pool:
            rank = next(p.rank for p in ranking if p.own)
            q = quartile(rank, len(ranking))
        others = [p for p in ranking if not p.own]
        if others and top > 0:
            cut = others[min(top, len(others)) - 1].rank
            best = tuple(p for p in others if p.rank <= cut)

    summary = _summary(own, group_mean, group_median, ranking, rank, q, best, missing, ranked)
    return Comparison(
        own_value=own.value,
        mean=group_mean,
        median=group_median,
        members_with_value=len(values),
        missing=missing,
        ranked=ranked,
        ranking=ranking,
        rank=rank,
        quartile=q,
        colour=colour(q),
        best=best,
        summary=summary,
    )


def _summary(
    own: Entry,
    group_mean: Decimal | None,
    group_median: Decimal | None,
    ranking: tuple[Placed, ...],
    rank: int | None,
    q: int | None,
    best: tuple[Placed, ...],
    missing: tuple[Entry, ...],
    ranked: bool,
) -> str:
    parts = [f"{own.name} {_fmt(own.value)}"]
    parts.append(f"group mean {_fmt(group_mean)}, median {_fmt(group_median)}")
    if not ranked:
        parts.append("not ranked: target_is_best needs the year's target as the best point")
    elif rank is None:
        parts.append("not ranked: no own value")
    else:
        place = f"rank {rank} of {len(ranking)}"
        if q is None:
            place += f" (no quartile below {MIN_FOR_QUARTILES} values)"
        else:
            place += f", quartile {q} ({colour(q).value})"
        parts.append(place)
    if best:
        names = ", ".join(f"{p.name} ({_fmt(p.value)})" for p in best)
        parts.append(f"best: {names}")
    if missing:
        parts.append("missing: " + ", ".join(m.name for m in missing))
    return "; ".join(parts)


QUARTILE_LEAD = {
    Status.GREEN: "Green: in the best quarter",
    Status.YELLOW: "Yellow: in the middle half",
    Status.RED: "Red: in the worst quarter",
    Status.NO_DATA: "No data: no quartile",
}


def quartile_result(
    comparison: Comparison, group: str, compared_year: int | None, year: int
) -> IndicatorResult:
    """An indicator coloured by quartile among ``group`` (DOMAIN §11). ``compared_year`` is the
    Kolada year compared (the latest up to ``year`` with an own value), ``None`` if there is none.
    """
    if compared_year is None:
        summary = f"No data: no own Kolada value up to {year} to place among {group}"
        return IndicatorResult(Status.NO_DATA, Explanation(rule="quartile", summary=summary))
    summary = f"{QUARTILE_LEAD[comparison.colour]} among {group}, Kolada {compared_year}: "
    return IndicatorResult(
        comparison.colour,
        Explanation(
            rule="quartile",
            summary=summary + comparison.summary,
            actual=comparison.own_value,
            measurements=(str(compared_year),),
        ),
    )
