"""Demo organisations of the four seed municipalities, as the seed documents describe them.

Seeds are the files in the shared seeds folder (000_… to 004_…); line numbers refer to those
text files.

2380 Östersund (seeds 000 and 001)
    Committee "Social- och arbetsmarknadsnämnden" and office "Social- och
    arbetsmarknadsförvaltningen" (seed 000 lines 26, 36, 57; seed 001 §5, line 223). Up to 2020
    (seed 001 §5.3 "Organisation", lines 260-265): "Förvaltningen är organiserad genom 4 områden
    från och med 20 04 01 (då område Integration upphörde); område Barn ungdom och vuxen, område
    Försörjning, område Arbetsmarknad och Lärande, område Öppenvård samt Stab, Ekonomienhet och
    Tillståndsenhet." The four areas are closed 2020-12-31; område Integration is closed
    2020-03-31, since the seed says it ended on 2020-04-01. From 2021 (seed 000 §1 "Nämndens
    ansvarsområde", lines 47-51): "Förvaltningen är från om med år 2021 organiserad genom 3
    sektorer; sektor Barn, Ungdom och Vuxen, sektor Kompetens, Arbete och Försörjning, sektor
    Öppenvård samt Stab, Ekonomienhet och Tillståndsenhet." Stab, Ekonomienhet and
    Tillståndsenhet appear in both seeds and stay open. Neither seed says which units sit inside
    the areas or sectors, so there are no units below them. (Seed 001 line 24 names "Lärcentrum,
    område Arbetsmarknad & Lärande", but where it went in 2021 is unknown, so it is left out.)

2313 Strömsund (seed 002, § 19 "Bokslut 2022", accounts table per unit, lines 358-440)
    Committee "Socialnämnden" (line 51; its own line in the table is "007 Socialnämnd", line
    362). Office "Vård- och socialförvaltningen" (line 62; its diary prefix is "VSF", lines 102
    and 259). Areas are the table's group headings (Administration, Arbetsmarknadsenheten,
    Hemsjv./Kommunrehab, Individ & familjeomsorg, Stöd & service, Äldreomsorg). Units are the
    rows under each heading, and each unit's source gives the municipality's own cost-centre
    number ("ansvar"). The group subtotals in the table add up to exactly these rows. The names
    are copied from the table as written, abbreviations included.

0117 Österåker (seed 003, section "Verksamhetsområden", lines 76-79)
    "Socialnämndens verksamhet består av fyra enheter; stöd till barn och unga, familjerätt och
    familjehem, ekonomiskt bistånd och stöd och behandling. Därtill finns de
    förvaltningsövergripande enheterna administrativt stöd och service och staben." Office
    "Socialförvaltningen" (lines 129, 309). The seed gives no areas, so all six units sit
    directly under the office. The budget table (lines 58-64, 552-558) uses different budget
    lines (Nämnd och ledningsstab, Barn och ungdom, Familjerätt och rekrytering, Stöd och
    behandling, Vuxenstöd, Ekonomiskt bistånd, Flyktingenheten). Those lines are not modelled as
    org units.

0181 Södertälje (seed 004, section "Ekonomi / Internbudget", budget per area, lines 1347-1401)
    Committee "Socialnämnden"; office "Socialkontoret" (line 74 "Socialkontorets
    organisationsschema", line 1163). Areas (resultatområden) are the budget lines Arbete och
    försörjning, Barn och ungdom, Vuxenvård missbruk and Vuxenvård socialpsykiatri (lines
    1387-1393). "Stab socialkontoret" (line 1395) and "Tillståndsenheten" (line 1397) sit
    directly under the office as units. The line 1399 "Nämnd" is the committee itself. Units are
    included only where the text ties them to one area: Arbetsmarknadsenheten (line 1443),
    förebyggande enhet (lines 1206-1208), Relationsvåldcenter (line 1539), Missbruksmyndigheten
    (line 1589) and Myndighet socialpsykiatri (line 1628). Relationsvåldcenter's parent is
    inferred only from where the paragraph sits, in the Barn och ungdom budget section. EFA
    (Enhet för arbetsrehabilitering, lines 459 and 1632) is left out because its area is
    unclear.

The tables are ``app/demo/data/orgs_<code>.csv``, one per municipality, parents before
children. Every committee has the code "SN" and valid_from 2019-01-01. Other dates are
2019-01-01 unless a seed says otherwise. A "Stab" (staff function) is modelled as kind "unit"
directly under the office.
"""

from dataclasses import dataclass
from datetime import date
from typing import Literal, cast

from app.demo.tables import read_table

OrgUnitKind = Literal["committee", "office", "area", "unit"]


@dataclass(frozen=True)
class DemoOrgUnit:
    code: (
        str  # tenant-unique, short, uppercase ASCII letters/digits/hyphen, e.g. "SN", "SAF", "BUV"
    )
    name: str  # Swedish name as in the seed
    kind: OrgUnitKind
    parent: str | None  # parent's code; None only for the committee
    valid_from: date
    valid_to: date | None = None
    source: str = ""  # e.g. "seed 000 §1, lines 47-51"


@dataclass(frozen=True)
class DemoMunicipality:
    code: str  # 4-digit SCB code
    name: str
    org_units: tuple[DemoOrgUnit, ...]  # parents before children


def org_unit_rows(rows: list[dict[str, str | None]]) -> tuple[DemoOrgUnit, ...]:
    """Org units from a table's rows (code, name, kind, parent, valid_from, valid_to, source)."""
    return tuple(
        DemoOrgUnit(
            code=str(row["code"]),
            name=str(row["name"]),
            kind=cast(OrgUnitKind, row["kind"]),
            parent=row["parent"],
            valid_from=date.fromisoformat(str(row["valid_from"])),
            valid_to=date.fromisoformat(row["valid_to"]) if row["valid_to"] else None,
            source=row["source"] or "",
        )
        for row in rows
    )


def read_municipality(code: str) -> DemoMunicipality:
    table = read_table(f"orgs_{code}.csv")
    return DemoMunicipality(
        code=table.meta["municipality"],
        name=table.meta["name"],
        org_units=org_unit_rows(table.rows),
    )


OSTERSUND = read_municipality("2380")
STROMSUND = read_municipality("2313")
OSTERAKER = read_municipality("0117")
SODERTALJE = read_municipality("0181")

MUNICIPALITIES: tuple[DemoMunicipality, ...] = (OSTERSUND, STROMSUND, OSTERAKER, SODERTALJE)
