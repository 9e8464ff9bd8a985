"""Demo budget data from the seeds: frames, categories and lines (source system ``demo``).

Seeds are the files in the shared seeds folder; tables lost their layout in the PDF-to-text
conversion, so each table is decoded once, into ``app/demo/data/budget_*`` (CSV and JSON, each
naming its seed and lines), and read here.

2380 Östersund — seed 000 §5.1 "Driftbudget/plan (Mnkr med en decimal)": the committee's
    operating budget by the default chart's categories, on the committee SN: outcome 2020,
    budget 2021 and 2022, plan 2023 and 2024, one line per category and year. "varav arvoden …"
    is part of staff costs and not loaded (it would count twice). The table's own totals are not
    loaded either: they are computed (revenue = cost in the budget and plan years, 2020 result
    −21.6 mnkr).

2313 Strömsund — seed 002 § 19, the year-end table 2022 per unit ("Bokslut 2022", lines
    358–440), in tkr. Each row reads, as printed: cost budget, cost outcome, −revenue budget,
    −revenue outcome, ansvar (cost centre), name, revenue deviation, cost deviation, result;
    e.g. "17 855 15 909-602 -593752 Ekonomienhet -9 1 946 1 937". The table gives revenue and
    cost only in total, so Strömsund gets two categories of its own, REV-TOTAL and COST-TOTAL, and
    annual budget and outcome lines per unit (zeros included: the table prints them). The printed
    deviation and result columns are kept in :data:`STROMSUND_2022` to check the computed ones
    against (``tests/budget``); the table rounds to tkr per row, so two printed figures differ by
    1 tkr from what its own rows give: Kommunrehab's result (printed 520; 109 + 412 = 521) and the
    office total's outcomes (printed revenue 71 963 and cost 452 295; the rows add up to 71 964
    and 452 296). The result −11 796 is the same either way. "007 Socialnämnd" sits on the
    committee SN, so the printed office total is the committee's roll-up.

0181 Södertälje — seed 004 "Ekonomi / Internbudget" (lines 1347–1420), in tkr (the column
    headers say mnkr; the figures are tkr): the frame 2023 of 823 329 tkr ("823,3 mnkr"),
    allocated per area as budget lines in the allocation category (kommunbidrag): Arbete och
    försörjning 279 681, Barn och ungdom 346 416, Vuxenvård missbruk 77 836, Vuxenvård
    socialpsykiatri 93 651, Stab 23 724, Tillståndsenheten 0, Nämnd 2 021 (on the committee) —
    in balance. The 2022 frame is the table's "Budget 2022" total, 788 215, and its rows add up to
    788 216: the balance check shows the 1 tkr. The 2023 frame's adjustments are the two the text
    states for the whole committee: pension change +16.4 mnkr and the efficiency requirement of
    1.53 % −12 mnkr (the index, 2.5 %, has no committee amount); the rest of the change is
    reported as unexplained. Table 1 "Utbetalt bistånd": monthly budget 2022 (13 100 tkr) and
    outcome 2022, and monthly budget 2023 (12 400 tkr), on Arbete och försörjning in a category
    of Södertälje's own, COST-ASSISTANCE.

0117 Österåker — seed 003 "Ekonomisk sammanställning" and "Förändringar i förhållande till
    budget 2018": the frame 2019 of 87 000 tkr against 88 600 tkr in 2018, and the changes by
    cause from the table's "Summa" row. The table signs a lower net cost positive; as changes to
    the frame they are volume −2 661, index +1 774, cost reductions (efficiency) −3 371, other
    +2 660 tkr, which explain −1 598 of the −1 600 change (rounded rows). Österåker's budget lines
    are not org units (see ``app.demo.orgs``), so it has no allocations.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from app.auth.deps import Ctx
from app.budget import categories, frames, writes
from app.budget.models import AdjustmentKind, BudgetCategory, BudgetFrame, CategoryKind
from app.budget.schemas import AdjustmentWrite, BudgetCategoryCreate, BudgetFrameCreate
from app.demo.tables import read_table
from app.orgunits.models import OrgUnit

SOURCE = "demo"
TKR = Decimal(1000)
MNKR = Decimal(1_000_000)


# The tables (app/demo/data/budget_*): amounts as the seeds print them, in tkr or mnkr.


def _years(header: list[str]) -> tuple[tuple[int, str], ...]:
    """("2020 outcome", …) columns as (year, scenario)."""
    return tuple((int(year), scenario) for year, scenario in (name.split() for name in header))


_OPERATING = read_table("budget_2380_operating.csv")
OSTERSUND_YEARS = _years([name for name in _OPERATING.rows[0] if name != "category_code"])
# category code → amounts per year in OSTERSUND_YEARS order; None where the table is blank
OSTERSUND_CHART: tuple[tuple[str, tuple[str | None, ...]], ...] = tuple(
    (
        str(row["category_code"]),
        tuple(row[f"{year} {scenario}"] for year, scenario in OSTERSUND_YEARS),
    )
    for row in _OPERATING.rows
)


@dataclass(frozen=True)
class YearEndRow:
    """One row of the year-end table, amounts positive, with the printed deviation columns."""

    org_unit: str
    ansvar: str
    name: str
    cost_budget: int
    cost_outcome: int
    revenue_budget: int
    revenue_outcome: int
    printed_revenue_deviation: int
    printed_cost_deviation: int
    printed_result: int


def _year_end_row(row: dict[str, str | None]) -> YearEndRow:
    def number(key: str) -> int:
        return int(str(row[key]))

    return YearEndRow(
        org_unit=str(row["org_unit"]),
        ansvar=str(row["ansvar"]),
        name=str(row["name"]),
        cost_budget=number("cost_budget"),
        cost_outcome=number("cost_outcome"),
        revenue_budget=number("revenue_budget"),
        revenue_outcome=number("revenue_outcome"),
        printed_revenue_deviation=number("printed_revenue_deviation"),
        printed_cost_deviation=number("printed_cost_deviation"),
        printed_result=number("printed_result"),
    )


STROMSUND_2022: tuple[YearEndRow, ...] = tuple(
    _year_end_row(row) for row in read_table("budget_2313_year_end_2022.csv").rows
)
# Printed group subtotals: (revenue deviation, cost deviation, result), tkr.
STROMSUND_2022_AREAS: dict[str, tuple[int, int, int]] = {
    str(row["area"]): (
        int(str(row["printed_revenue_deviation"])),
        int(str(row["printed_cost_deviation"])),
        int(str(row["printed_result"])),
    )
    for row in read_table("budget_2313_year_end_2022_areas.csv").rows
}
STROMSUND_CATEGORIES = (
    ("REV-TOTAL", "Intäkter (summa per enhet)", CategoryKind.REVENUE),
    ("COST-TOTAL", "Kostnader (summa per enhet)", CategoryKind.COST),
)


def _allocations() -> dict[int, tuple[tuple[str, int], ...]]:
    by_year: dict[int, list[tuple[str, int]]] = {}
    for row in read_table("budget_0181_allocations.csv").rows:
        by_year.setdefault(int(str(row["year"])), []).append(
            (str(row["org_unit"]), int(str(row["amount"])))
        )
    return {year: tuple(rows) for year, rows in by_year.items()}


SODERTALJE_ALLOCATIONS: dict[int, tuple[tuple[str, int], ...]] = _allocations()
ASSISTANCE = ("COST-ASSISTANCE", "Utbetalt ekonomiskt bistånd")
# (period, scenario, tkr): the monthly budget 2022 and 2023 and the outcome 2022, in table order.
ASSISTANCE_TABLE: tuple[tuple[str, str, int], ...] = tuple(
    (str(row["period"]), str(row["scenario"]), int(str(row["amount"])))
    for row in read_table("budget_0181_assistance.csv").rows
)
ASSISTANCE_OUTCOME_2022 = tuple(
    amount
    for period, scenario, amount in ASSISTANCE_TABLE
    if scenario == "outcome" and period.startswith("2022-")
)


@dataclass(frozen=True)
class DemoFrame:
    year: int
    amount_tkr: int
    previous_tkr: int | None
    decision_ref: str | None
    comment: str
    adjustments: tuple[tuple[AdjustmentKind, str, int], ...] = ()


def _frames(municipality: str) -> tuple[DemoFrame, ...]:
    return tuple(
        DemoFrame(
            year=row["year"],
            amount_tkr=row["amount"],
            previous_tkr=row["previous_amount"],
            decision_ref=row["decision_ref"],
            comment=row["comment"],
            adjustments=tuple(
                (AdjustmentKind(item["kind"]), item["description"], item["amount"])
                for item in row["adjustments"]
            ),
        )
        for row in read_table(f"budget_{municipality}_frames.json").rows
    )


FRAMES: dict[str, tuple[DemoFrame, ...]] = {"0181": _frames("0181"), "0117": _frames("0117")}
SODERTALJE_FRAMES = {frame.year: frame.amount_tkr for frame in FRAMES["0181"]}


# Rows for the write path ------------------------------------------------------------------------


def _row(unit: str, category: str, period: str, scenario: str, amount: Decimal) -> dict[str, Any]:
    return {
        "org_unit_code": unit,
        "category_code": category,
        "period": period,
        "scenario": scenario,
        "amount": amount,
        "source_system": SOURCE,
    }


def ostersund_rows() -> list[dict[str, Any]]:
    return [
        _row("SN", code, str(year), scenario, Decimal(amount) * MNKR)
        for code, amounts in OSTERSUND_CHART
        for (year, scenario), amount in zip(OSTERSUND_YEARS, amounts, strict=True)
        if amount is not None
    ]


def stromsund_rows() -> list[dict[str, Any]]:
    rows = []
    for r in STROMSUND_2022:
        rows += [
            _row(r.org_unit, "COST-TOTAL", "2022", "budget", r.cost_budget * TKR),
            _row(r.org_unit, "COST-TOTAL", "2022", "outcome", r.cost_outcome * TKR),
            _row(r.org_unit, "REV-TOTAL", "2022", "budget", r.revenue_budget * TKR),
            _row(r.org_unit, "REV-TOTAL", "2022", "outcome", r.revenue_outcome * TKR),
        ]
    return rows


def sodertalje_rows() -> list[dict[str, Any]]:
    rows = [
        _row(unit, "REV-ALLOCATION", str(year), "budget", amount * TKR)
        for year, allocations in SODERTALJE_ALLOCATIONS.items()
        for unit, amount in allocations
    ]
    rows += [
        _row("AF", ASSISTANCE[0], period, scenario, amount * TKR)
        for period, scenario, amount in ASSISTANCE_TABLE
    ]
    return rows


ROWS = {"2380": ostersund_rows, "2313": stromsund_rows, "0181": sodertalje_rows}
CATEGORIES = {
    "2313": tuple((code, name, kind) for code, name, kind in STROMSUND_CATEGORIES),
    "0181": ((ASSISTANCE[0], ASSISTANCE[1], CategoryKind.COST),),
}


# Loading ----------------------------------------------------------------------------------------


async def load_budget(ctx: Ctx, municipality: str) -> None:
    """Categories, frames and lines of one demo municipality; what exists is left alone."""
    await _load_categories(ctx, municipality)
    await _load_frames(ctx, municipality)
    make_rows = ROWS.get(municipality)
    if make_rows is not None:
        await write_lines(ctx, make_rows())


async def write_lines(ctx: Ctx, rows: list[dict[str, Any]]) -> None:
    """Through the API's write path (validated and audited); unchanged lines stay as they are."""
    lookups = await writes.resolve(ctx, rows)
    valid, errors = writes.validate(rows, lookups)
    errors += await writes.check_existing(ctx, valid)
    if errors:
        raise RuntimeError(f"demo budget line {errors[0].index}: {errors[0].message}")
    await writes.write(ctx, valid, batch_id=None)
    await ctx.commit()


async def _load_categories(ctx: Ctx, municipality: str) -> None:
    await categories.ensure_default_chart(ctx)
    existing = set((await ctx.session.scalars(select(BudgetCategory.code))).all())
    for code, name, kind in CATEGORIES.get(municipality, ()):
        if code not in existing:
            await categories.create(
                ctx, BudgetCategoryCreate(code=code, name=name, kind=kind, position=500)
            )
    await ctx.commit()


async def _load_frames(ctx: Ctx, municipality: str) -> None:
    committee = await ctx.session.scalar(select(OrgUnit.id).where(OrgUnit.code == "SN"))
    if committee is None:
        return
    existing = set(
        (
            await ctx.session.scalars(
                select(BudgetFrame.year).where(BudgetFrame.org_unit_id == committee)
            )
        ).all()
    )
    for frame in FRAMES.get(municipality, ()):
        if frame.year in existing:
            continue
        await frames.create(
            ctx,
            BudgetFrameCreate(
                org_unit_id=committee,
                year=frame.year,
                amount=frame.amount_tkr * TKR,
                previous_amount=None if frame.previous_tkr is None else frame.previous_tkr * TKR,
                decision_ref=frame.decision_ref,
                decided_on=None,
                comment=frame.comment,
                adjustments=[
                    AdjustmentWrite(kind=kind, description=text, amount=amount * TKR)
                    for kind, text, amount in frame.adjustments
                ],
            ),
        )
