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

Every committee has the code "SN" and valid_from 2019-01-01. Other dates are 2019-01-01 unless a
seed says otherwise. A "Stab" (staff function) is modelled as kind "unit" directly under the office.
"""

from dataclasses import dataclass
from datetime import date
from typing import Literal

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


_START = date(2019, 1, 1)
_OSD_REORG = date(2021, 1, 1)
_OSD_OLD_END = date(2020, 12, 31)
_OSD_INTEGRATION_END = date(2020, 3, 31)


OSTERSUND = DemoMunicipality(
    code="2380",
    name="Östersund",
    org_units=(
        DemoOrgUnit(
            "SN",
            "Social- och arbetsmarknadsnämnden",
            "committee",
            None,
            _START,
            source="seed 000 header, line 26; seed 001 line 32",
        ),
        DemoOrgUnit(
            "SAF",
            "Social- och arbetsmarknadsförvaltningen",
            "office",
            "SN",
            _START,
            source="seed 001 §5, line 223; seed 000 line 57",
        ),
        # Staff and enheter directly under the office, named in both 2020 and 2022.
        DemoOrgUnit(
            "STAB",
            "Stab",
            "unit",
            "SAF",
            _START,
            source="seed 001 §5.3, line 264; seed 000 §1, line 51",
        ),
        DemoOrgUnit(
            "EKO",
            "Ekonomienhet",
            "unit",
            "SAF",
            _START,
            source="seed 001 §5.3, line 264; seed 000 §1, line 51",
        ),
        DemoOrgUnit(
            "TILL",
            "Tillståndsenhet",
            "unit",
            "SAF",
            _START,
            source="seed 001 §5.3, line 264; seed 000 §1, line 51",
        ),
        # Areas (områden) before the 2021 reorganisation.
        DemoOrgUnit(
            "OMR-INT",
            "Område Integration",
            "area",
            "SAF",
            _START,
            _OSD_INTEGRATION_END,
            source="seed 001 §5.3, lines 262-263 (ceased 2020-04-01)",
        ),
        DemoOrgUnit(
            "OMR-BUV",
            "Område Barn ungdom och vuxen",
            "area",
            "SAF",
            _START,
            _OSD_OLD_END,
            source="seed 001 §5.3, line 263",
        ),
        DemoOrgUnit(
            "OMR-FOR",
            "Område Försörjning",
            "area",
            "SAF",
            _START,
            _OSD_OLD_END,
            source="seed 001 §5.3, line 263",
        ),
        DemoOrgUnit(
            "OMR-AOL",
            "Område Arbetsmarknad och Lärande",
            "area",
            "SAF",
            _START,
            _OSD_OLD_END,
            source="seed 001 §5.3, lines 263-264",
        ),
        DemoOrgUnit(
            "OMR-OPV",
            "Område Öppenvård",
            "area",
            "SAF",
            _START,
            _OSD_OLD_END,
            source="seed 001 §5.3, line 264",
        ),
        # Sectors (sektorer) from 2021.
        DemoOrgUnit(
            "BUV",
            "Sektor Barn, Ungdom och Vuxen",
            "area",
            "SAF",
            _OSD_REORG,
            source="seed 000 §1, lines 47-48",
        ),
        DemoOrgUnit(
            "KAF",
            "Sektor Kompetens, Arbete och Försörjning",
            "area",
            "SAF",
            _OSD_REORG,
            source="seed 000 §1, lines 47, 49",
        ),
        DemoOrgUnit(
            "OPV", "Sektor Öppenvård", "area", "SAF", _OSD_REORG, source="seed 000 §1, lines 47, 50"
        ),
    ),
)


STROMSUND = DemoMunicipality(
    code="2313",
    name="Strömsund",
    org_units=(
        DemoOrgUnit(
            "SN",
            "Socialnämnden",
            "committee",
            None,
            _START,
            source="seed 002 line 51; § 19 table 'Nämnd', ansvar 007 Socialnämnd, line 362",
        ),
        DemoOrgUnit(
            "VSF",
            "Vård- och socialförvaltningen",
            "office",
            "SN",
            _START,
            source="seed 002 line 62; prefix VSF lines 102, 259",
        ),
        # Administration
        DemoOrgUnit(
            "ADM", "Administration", "area", "VSF", _START, source="seed 002 § 19 table, line 368"
        ),
        DemoOrgUnit(
            "ADM-LA",
            "Ledning och admin.",
            "unit",
            "ADM",
            _START,
            source="seed 002 § 19 table, ansvar 197, line 370",
        ),
        # Arbetsmarknadsenheten (a group heading in the table, hence kind area)
        DemoOrgUnit(
            "AME",
            "Arbetsmarknadsenheten",
            "area",
            "VSF",
            _START,
            source="seed 002 § 19 table, line 376; line 75",
        ),
        DemoOrgUnit(
            "AME-SYS",
            "Sysselsättningsåtgärder",
            "unit",
            "AME",
            _START,
            source="seed 002 § 19 table, ansvar 730, line 378",
        ),
        # Hemsjukvård / Kommunrehab
        DemoOrgUnit(
            "HSR",
            "Hemsjv./Kommunrehab",
            "area",
            "VSF",
            _START,
            source="seed 002 § 19 table, line 384",
        ),
        DemoOrgUnit(
            "HSR-HSJ",
            "Hemsjukvård",
            "unit",
            "HSR",
            _START,
            source="seed 002 § 19 table, ansvar 782, line 386",
        ),
        DemoOrgUnit(
            "HSR-REH",
            "Kommunrehab",
            "unit",
            "HSR",
            _START,
            source="seed 002 § 19 table, ansvar 785, line 388",
        ),
        # Individ & familjeomsorg
        DemoOrgUnit(
            "IFO",
            "Individ & familjeomsorg",
            "area",
            "VSF",
            _START,
            source="seed 002 § 19 table, line 394; line 71",
        ),
        DemoOrgUnit(
            "IFO-BIST",
            "Biståndsenhet",
            "unit",
            "IFO",
            _START,
            source="seed 002 § 19 table, ansvar 700, line 396; § 23",
        ),
        DemoOrgUnit(
            "IFO-EKO",
            "Ekonomienhet",
            "unit",
            "IFO",
            _START,
            source="seed 002 § 19 table, ansvar 752, line 398",
        ),
        DemoOrgUnit(
            "IFO-BOS",
            "Boendestöd",
            "unit",
            "IFO",
            _START,
            source="seed 002 § 19 table, ansvar 754, line 400",
        ),
        DemoOrgUnit(
            "IFO-VUX",
            "Vuxenenhet, öppenvård",
            "unit",
            "IFO",
            _START,
            source="seed 002 § 19 table, ansvar 755, line 402",
        ),
        DemoOrgUnit(
            "IFO-FC",
            "Familjecentralen",
            "unit",
            "IFO",
            _START,
            source="seed 002 § 19 table, ansvar 756, line 404",
        ),
        DemoOrgUnit(
            "IFO-BOF",
            "Barn och familj",
            "unit",
            "IFO",
            _START,
            source="seed 002 § 19 table, ansvar 757, line 406",
        ),
        DemoOrgUnit(
            "IFO-FR",
            "Familjerätt",
            "unit",
            "IFO",
            _START,
            source="seed 002 § 19 table, ansvar 759, line 408",
        ),
        # Stöd & service
        DemoOrgUnit(
            "SOS", "Stöd & service", "area", "VSF", _START, source="seed 002 § 19 table, line 414"
        ),
        DemoOrgUnit(
            "SOS-BSS",
            "Bostad m särsk service",
            "unit",
            "SOS",
            _START,
            source="seed 002 § 19 table, ansvar 711, line 416",
        ),
        DemoOrgUnit(
            "SOS-DAG",
            "Dagverksamhet",
            "unit",
            "SOS",
            _START,
            source="seed 002 § 19 table, ansvar 713, line 418",
        ),
        DemoOrgUnit(
            "SOS-PA",
            "Personlig assistans",
            "unit",
            "SOS",
            _START,
            source="seed 002 § 19 table, ansvar 717, line 420",
        ),
        DemoOrgUnit(
            "SOS-STI",
            "Stödinsatser",
            "unit",
            "SOS",
            _START,
            source="seed 002 § 19 table, ansvar 718, line 422",
        ),
        # Äldreomsorg
        DemoOrgUnit(
            "AO", "Äldreomsorg", "area", "VSF", _START, source="seed 002 § 19 table, line 428"
        ),
        DemoOrgUnit(
            "AO-SAB",
            "Särskilt boende",
            "unit",
            "AO",
            _START,
            source="seed 002 § 19 table, ansvar 771, line 430",
        ),
        DemoOrgUnit(
            "AO-NATT",
            "Nattlag",
            "unit",
            "AO",
            _START,
            source="seed 002 § 19 table, ansvar 776, line 432",
        ),
        DemoOrgUnit(
            "AO-TRB",
            "Trygghetsboende",
            "unit",
            "AO",
            _START,
            source="seed 002 § 19 table, ansvar 778, line 434",
        ),
        DemoOrgUnit(
            "AO-HV",
            "Hemvård",
            "unit",
            "AO",
            _START,
            source="seed 002 § 19 table, ansvar 781, line 436",
        ),
    ),
)


OSTERAKER = DemoMunicipality(
    code="0117",
    name="Österåker",
    org_units=(
        DemoOrgUnit(
            "SN", "Socialnämnden", "committee", None, _START, source="seed 003 lines 9, 20"
        ),
        DemoOrgUnit(
            "SOC", "Socialförvaltningen", "office", "SN", _START, source="seed 003 lines 129, 309"
        ),
        # "fyra enheter"
        DemoOrgUnit(
            "BOU",
            "Stöd till barn och unga",
            "unit",
            "SOC",
            _START,
            source="seed 003 Verksamhetsområden, line 76",
        ),
        DemoOrgUnit(
            "FRF",
            "Familjerätt och familjehem",
            "unit",
            "SOC",
            _START,
            source="seed 003 Verksamhetsområden, lines 76-77",
        ),
        DemoOrgUnit(
            "EKB",
            "Ekonomiskt bistånd",
            "unit",
            "SOC",
            _START,
            source="seed 003 Verksamhetsområden, line 77",
        ),
        DemoOrgUnit(
            "SOB",
            "Stöd och behandling",
            "unit",
            "SOC",
            _START,
            source="seed 003 Verksamhetsområden, line 77",
        ),
        # "förvaltningsövergripande enheterna"
        DemoOrgUnit(
            "ASS",
            "Administrativt stöd och service",
            "unit",
            "SOC",
            _START,
            source="seed 003 Verksamhetsområden, lines 77-78",
        ),
        DemoOrgUnit(
            "STAB", "Staben", "unit", "SOC", _START, source="seed 003 Verksamhetsområden, line 78"
        ),
    ),
)


SODERTALJE = DemoMunicipality(
    code="0181",
    name="Södertälje",
    org_units=(
        DemoOrgUnit(
            "SN",
            "Socialnämnden",
            "committee",
            None,
            _START,
            source="seed 004 line 1; Internbudget 'Nämnd', line 1399",
        ),
        DemoOrgUnit(
            "SK", "Socialkontoret", "office", "SN", _START, source="seed 004 line 74, line 1163"
        ),
        # Areas (resultatområden), budget per area.
        DemoOrgUnit(
            "AF",
            "Arbete och försörjning",
            "area",
            "SK",
            _START,
            source="seed 004 Ekonomi/Internbudget, line 1387",
        ),
        DemoOrgUnit(
            "BOU",
            "Barn och ungdom",
            "area",
            "SK",
            _START,
            source="seed 004 Ekonomi/Internbudget, line 1389",
        ),
        DemoOrgUnit(
            "VM",
            "Vuxenvård missbruk",
            "area",
            "SK",
            _START,
            source="seed 004 Ekonomi/Internbudget, line 1391",
        ),
        DemoOrgUnit(
            "VSP",
            "Vuxenvård socialpsykiatri",
            "area",
            "SK",
            _START,
            source="seed 004 Ekonomi/Internbudget, line 1393",
        ),
        # Directly under the office.
        DemoOrgUnit(
            "STAB",
            "Stab socialkontoret",
            "unit",
            "SK",
            _START,
            source="seed 004 Ekonomi/Internbudget, line 1395; line 1637",
        ),
        DemoOrgUnit(
            "TILL",
            "Tillståndsenheten",
            "unit",
            "SK",
            _START,
            source="seed 004 Ekonomi/Internbudget, line 1397; lines 747, 1647",
        ),
        # Units that the text ties to an area.
        DemoOrgUnit(
            "AF-AME",
            "Arbetsmarknadsenheten",
            "unit",
            "AF",
            _START,
            source="seed 004 Ekonomi, section Arbete och försörjning, line 1443; line 1698",
        ),
        DemoOrgUnit(
            "BOU-FE",
            "Förebyggande enhet",
            "unit",
            "BOU",
            _START,
            source="seed 004 fokusområden, lines 1206-1208 ('barn och ungdoms förebyggande enhet')",
        ),
        DemoOrgUnit(
            "BOU-RVC",
            "Relationsvåldcenter",
            "unit",
            "BOU",
            _START,
            source="seed 004 Ekonomi, section Barn och ungdom, line 1539 "
            "(parent inferred from section)",
        ),
        DemoOrgUnit(
            "VM-MYN",
            "Missbruksmyndigheten",
            "unit",
            "VM",
            _START,
            source="seed 004 Ekonomi, section Vuxen missbruk, line 1589",
        ),
        DemoOrgUnit(
            "VSP-MYN",
            "Myndighet socialpsykiatri",
            "unit",
            "VSP",
            _START,
            source="seed 004 Ekonomi, section Vuxen socialpsykiatri, line 1628",
        ),
    ),
)


MUNICIPALITIES: tuple[DemoMunicipality, ...] = (OSTERSUND, STROMSUND, OSTERAKER, SODERTALJE)
