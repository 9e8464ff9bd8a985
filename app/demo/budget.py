"""Demo budget data from the seeds: frames, categories and lines (source system ``demo``).

Seeds are the files in the shared seeds folder; tables lost their layout in the PDF-to-text
conversion, so each table is decoded here once, with where it came from.

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
from app.orgunits.models import OrgUnit

SOURCE = "demo"
TKR = Decimal(1000)
MNKR = Decimal(1_000_000)


# Östersund, seed 000 §5.1 (mnkr) -----------------------------------------------------------------

OSTERSUND_YEARS = (
    (2020, "outcome"),
    (2021, "budget"),
    (2022, "budget"),
    (2023, "plan"),
    (2024, "plan"),
)
# category code → amounts per year in OSTERSUND_YEARS order; None where the table is blank
OSTERSUND_CHART: tuple[tuple[str, tuple[str | None, ...]], ...] = (
    ("REV-FEES", ("1.6", "1.7", "1.7", "1.7", "1.7")),
    ("REV-RENTS", ("12", "11.5", "12", "12", "12")),
    ("REV-GRANTS", ("87", "49.4", "66.7", "66.7", "66.7")),
    ("REV-OTHER-EXT", ("67.5", "56.2", "56.2", "56.2", "56.2")),
    ("REV-RENTS-INT", (None, None, None, None, None)),
    ("REV-OTHER-INT", ("27", "13.5", "40", "40", "40")),
    ("REV-ALLOCATION", ("377.4", "386", "400.2", "391.9", "390.0")),
    ("COST-STAFF", ("198.6", "195", "199.8", "199.8", "199.8")),
    ("COST-PAYROLL-OH", ("73.6", "70.5", "72", "72", "72")),
    ("COST-GOODS", ("6.8", "5.5", "7", "7", "7")),
    ("COST-PURCHASED", ("165.6", "109.9", "154", "148.2", "146.3")),
    ("COST-OTHER", ("10.7", "10.6", "10.7", "10.7", "10.7")),
    ("COST-GRANTS", ("64.7", "53.3", "59.8", "57.3", "57.3")),
    ("COST-RENTS-EXT", ("21.6", "19", "19", "19", "19")),
    ("COST-RENTS-INT", ("8.3", "8.1", "8.3", "8.3", "8.3")),
    ("COST-DEPRECIATION", ("0.6", "0.8", "0.6", "0.6", "0.6")),
    ("COST-INT-INTEREST", (None, "0.1", "0.1", "0.1", "0.1")),
    ("COST-INT-PURCHASES", ("43.6", "45.5", "45.5", "45.5", "45.5")),
)


# Strömsund, seed 002 § 19 (tkr) ------------------------------------------------------------------


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


# fmt: off
STROMSUND_2022: tuple[YearEndRow, ...] = tuple(YearEndRow(*row) for row in (
    # unit       ansvar name                 cost budget/outcome  revenue b/o   printed r/c/result
    ("SN",       "007", "Socialnämnd",            1092,   1091,      0,     0,     0,     1,     1),
    ("ADM-LA",   "197", "Ledning och admin.",    31451,  32675,   1870,  3250,  1380, -1224,   156),
    ("AME-SYS", "730", "Sysselsättningsåtgärder", 26343, 24802,  17790, 17024,  -766,  1541,   775),
    ("HSR-HSJ",  "782", "Hemsjukvård",           22183,  24653,   1538,  1707,   169, -2470, -2301),
    ("HSR-REH",  "785", "Kommunrehab",            9837,   9425,    190,   299,   109,   412,   520),
    ("IFO-BIST", "700", "Biståndsenhet",          5538,   5148,      0,    73,    73,   390,   463),
    ("IFO-EKO",  "752", "Ekonomienhet",          17855,  15909,    602,   593,    -9,  1946,  1937),
    ("IFO-BOS",  "754", "Boendestöd",             1173,   1082,      0,     7,     7,    91,    98),
    ("IFO-VUX",  "755", "Vuxenenhet, öppenvård",  8967,  15282,    353,   711,   358, -6315, -5957),
    ("IFO-FC",   "756", "Familjecentralen",          0,     19,      0,     0,     0,   -19,   -19),
    ("IFO-BOF",  "757", "Barn och familj",       26305,  27465,   1700,  2101,   401, -1160,  -759),
    ("IFO-FR",   "759", "Familjerätt",             965,    878,      0,     0,     0,    87,    87),
    ("SOS-BSS", "711", "Bostad m särsk service", 39746,  44966,    947,  1576,   629, -5220, -4591),
    ("SOS-DAG",  "713", "Dagverksamhet",          7408,   8653,    147,   637,   490, -1245,  -755),
    ("SOS-PA",   "717", "Personlig assistans",   25340,  29683,  16890, 15718, -1172, -4343, -5515),
    ("SOS-STI",  "718", "Stödinsatser",           6426,   4299,    192,    79,  -113,  2127,  2014),
    ("AO-SAB",   "771", "Särskilt boende",       99643, 106217,  12464, 19683,  7219, -6574,   645),
    ("AO-NATT",  "776", "Nattlag",               29445,  31922,    120,   345,   225, -2477, -2252),
    ("AO-TRB",   "778", "Trygghetsboende",         843,   1287,      0,     0,     0,  -444,  -444),
    ("AO-HV",    "781", "Hemvård",               67547,  66840,   4768,  8161,  3393,   707,  4100),
))
# fmt: on
# Printed group subtotals: (revenue deviation, cost deviation, result), tkr.
STROMSUND_2022_AREAS: dict[str, tuple[int, int, int]] = {
    "ADM": (1380, -1224, 156),
    "AME": (-766, 1541, 775),
    "HSR": (278, -2058, -1780),
    "IFO": (830, -4980, -4150),
    "SOS": (-166, -8681, -8847),
    "AO": (10837, -8788, 2049),
}
STROMSUND_CATEGORIES = (
    ("REV-TOTAL", "Intäkter (summa per enhet)", CategoryKind.REVENUE),
    ("COST-TOTAL", "Kostnader (summa per enhet)", CategoryKind.COST),
)


# Södertälje, seed 004 Internbudget and table 1 (tkr) ---------------------------------------------

SODERTALJE_ALLOCATIONS: dict[int, tuple[tuple[str, int], ...]] = {
    2022: (
        ("AF", 274835),
        ("BOU", 329585),
        ("VM", 70685),
        ("VSP", 88104),
        ("STAB", 23046),
        ("TILL", 0),
        ("SN", 1961),
    ),
    2023: (
        ("AF", 279681),
        ("BOU", 346416),
        ("VM", 77836),
        ("VSP", 93651),
        ("STAB", 23724),
        ("TILL", 0),
        ("SN", 2021),
    ),
}
SODERTALJE_FRAMES = {2022: 788215, 2023: 823329}
ASSISTANCE = ("COST-ASSISTANCE", "Utbetalt ekonomiskt bistånd")
ASSISTANCE_BUDGET = {2022: 13100, 2023: 12400}  # per month
ASSISTANCE_OUTCOME_2022 = (
    11459, 11565, 12979, 9565, 13154, 12258, 12249, 11175, 11200, 11504, 10989, 12500,
)  # fmt: skip


@dataclass(frozen=True)
class DemoFrame:
    year: int
    amount_tkr: int
    previous_tkr: int | None
    decision_ref: str | None
    comment: str
    adjustments: tuple[tuple[AdjustmentKind, str, int], ...] = ()


FRAMES: dict[str, tuple[DemoFrame, ...]] = {
    "0181": (
        DemoFrame(
            2022,
            SODERTALJE_FRAMES[2022],
            None,
            None,
            "Budget 2022, seed 004 Internbudget, 'Nämnden totalt'.",
        ),
        DemoFrame(
            2023,
            SODERTALJE_FRAMES[2023],
            None,
            "Mål och budget 2023–2025",
            "Kommunbidrag 823,3 mnkr, seed 004 Internbudget.",
            (
                (
                    AdjustmentKind.PENSION,
                    "Pensionsomläggning från förmånsbaserat till avgiftsbaserat system",
                    16400,
                ),
                (AdjustmentKind.EFFICIENCY, "Effektiviseringskrav 1,53 procent", -12000),
            ),
        ),
    ),
    "0117": (
        DemoFrame(
            2019,
            87000,
            88600,
            "Kommunfullmäktige, budgetram 2019",
            "Seed 003 Ekonomisk sammanställning; changes from the table's 'Summa' row.",
            (
                (AdjustmentKind.VOLUME, "Volymförändring (ekonomiskt bistånd, vuxenstöd)", -2661),
                (AdjustmentKind.INDEX, "Indexuppräkning 2 %", 1774),
                (AdjustmentKind.EFFICIENCY, "Kostnadsminskning", -3371),
                (AdjustmentKind.OTHER, "Övrigt", 2660),
            ),
        ),
    ),
}


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
    for year, per_month in ASSISTANCE_BUDGET.items():
        rows += [
            _row("AF", ASSISTANCE[0], f"{year}-{m:02d}", "budget", per_month * TKR)
            for m in range(1, 13)
        ]
    rows += [
        _row("AF", ASSISTANCE[0], f"2022-{m:02d}", "outcome", amount * TKR)
        for m, amount in enumerate(ASSISTANCE_OUTCOME_2022, start=1)
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
