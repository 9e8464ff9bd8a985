"""Kolada pages and the seed 001 group, shared by the benchmark tests."""

from typing import Any

BASE = "/api/v1/benchmarks"
MISSING = "0190f3a0-0000-7000-8000-000000000000"

# Seed 001 §7: "Liknande kommuner IFO är följande 7 st - Gotland, Hässleholm, Karlskrona,
# Mölndal, Norrtälje, Skellefteå och Sollentuna." Values as in tests/rules/test_benchmark_rules.py:
# Gotland 90 and Sollentuna 85 are the seed's, the rest make the group mean the seed's 81.
GROUP = {
    "0980": ("Gotland", 90),
    "1293": ("Hässleholm", 80),
    "1080": ("Karlskrona", 78),
    "1481": ("Mölndal", 84),
    "0188": ("Norrtälje", 72),
    "2482": ("Skellefteå", 78),
    "0163": ("Sollentuna", 85),
}
KPI = "U30470"


def group_body(name: str = "Liknande kommuner IFO") -> dict[str, Any]:
    return {
        "name": name,
        "members": [{"code": code, "name": n} for code, (n, _) in GROUP.items()],
    }


def item(kpi: str, municipality: str, period: Any, *values: dict[str, Any]) -> dict[str, Any]:
    return {"kpi": kpi, "municipality": municipality, "period": period, "values": list(values)}


def gv(gender: str, value: Any, status: str = "", count: int = 1) -> dict[str, Any]:
    return {"gender": gender, "count": count, "status": status, "value": value}


def v3_page(own_code: str, own_value: Any = 82, year: int = 2019) -> dict[str, Any]:
    """The group's and the own municipality's values in Kolada v3's shape."""
    values = [item(KPI, code, year, gv("T", v)) for code, (_, v) in GROUP.items()]
    values.append(item(KPI, own_code, year, gv("T", own_value)))
    return {"values": values, "next_url": None}
