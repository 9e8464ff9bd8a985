"""Demo Kolada benchmarks for Östersund (2380): seed 001 §7's comparison group and a few values.

**Demo data, not real Kolada figures.** The group is seed 001's own: "Liknande kommuner IFO är
följande 7 st - Gotland, Hässleholm, Karlskrona, Mölndal, Norrtälje, Skellefteå och Sollentuna"
(SCB codes added). The values are invented for N02904 ("Invånare 0-19 år i ekonomiskt utsatta
hushåll, andel (%)", Östersund's indicator SN-6.4 in ``app.demo.plans``) so that
``GET /api/v1/benchmarks?indicator_id=<SN-6.4>&year=2019&group_id=…`` answers something; Norrtälje
is left without a value to show how a missing member is reported. Loaded through the same service
as ``POST /api/v1/benchmarks/kolada`` (a v3-shaped page), so loading again changes nothing.

The group and the values are ``app/demo/data/benchmarks_2380_group.csv``.

SN-6.4 is coloured by quartile among the group (demo choice, DOMAIN §11), so Östersund's 2022
scorecard shows that colour mode beside the target-coloured indicators.
"""

from typing import Any

from sqlalchemy import select

from app.auth.deps import Ctx
from app.benchmarks import service
from app.benchmarks.models import BenchmarkGroup
from app.benchmarks.schemas import GroupCreate, GroupMember
from app.demo.tables import read_table
from app.indicators import service as indicators
from app.indicators.models import ColourMode, Indicator
from app.indicators.schemas import IndicatorUpdate

MUNICIPALITY = "2380"
_TABLE = read_table("benchmarks_2380_group.csv")
GROUP_NAME = _TABLE.meta["group"]
GROUP_DESCRIPTION = (
    "Seed 001 §7: urvalet baseras på referenskostnaden (70 procent) och invånarantal (30 procent)."
)
MEMBERS = tuple(
    (str(row["code"]), str(row["name"])) for row in _TABLE.rows if row["member"] == "yes"
)
KPI = _TABLE.meta["kpi"]
QUARTILE_INDICATOR = "SN-6.4"
YEAR = int(_TABLE.meta["year"])


def _value(cell: str | None) -> float | None:
    return None if cell is None else float(cell)


# Demo values (per cent), total / women / men; None = missing in Kolada.
VALUES: dict[str, tuple[float | None, float | None, float | None]] = {
    str(row["code"]): (_value(row["total"]), _value(row["women"]), _value(row["men"]))
    for row in _TABLE.rows
}
KPI_METADATA: dict[str, Any] = {
    "values": [
        {
            "id": KPI,
            "title": "Invånare 0-19 år i ekonomiskt utsatta hushåll, andel (%)",
            "description": "Demo: metadata as Kolada publishes it, abridged.",
            "is_divided_by_gender": True,
            "municipality_type": "K",
            "operating_area": "Ekonomiskt bistånd",
        }
    ]
}


def kolada_page() -> dict[str, Any]:
    """The demo values as one Kolada v3 data page."""
    return {
        "values": [
            {
                "kpi": KPI,
                "municipality": code,
                "period": YEAR,
                "values": [
                    {"gender": gender, "count": 1, "status": "", "value": value}
                    for gender, value in zip("TKM", values, strict=True)
                ],
            }
            for code, values in VALUES.items()
        ],
        "next_url": None,
    }


async def load_benchmarks(ctx: Ctx, municipality_code: str) -> None:
    """Östersund's demo group and values; nothing for the other municipalities. Idempotent."""
    if municipality_code != MUNICIPALITY:
        return
    group_id = await ctx.session.scalar(
        select(BenchmarkGroup.id).where(BenchmarkGroup.name == GROUP_NAME)
    )
    if group_id is None:
        group = await service.create_group(
            ctx,
            GroupCreate(
                name=GROUP_NAME,
                description=GROUP_DESCRIPTION,
                members=[GroupMember(code=code, name=name) for code, name in MEMBERS],
            ),
        )
        group_id = group.id
    await service.import_kolada(ctx, KPI_METADATA)
    await service.import_kolada(ctx, kolada_page())
    indicator = await ctx.session.scalar(
        select(Indicator).where(Indicator.code == QUARTILE_INDICATOR)
    )
    if indicator is not None and indicator.colour_mode != ColourMode.QUARTILE:
        change = IndicatorUpdate(colour_mode=ColourMode.QUARTILE, benchmark_group_id=group_id)
        await indicators.update(ctx, indicator.id, change)
