"""POST /api/v1/benchmarks/kolada: Kolada v3 and v2 data pages, KPI metadata, 422s, roles."""

from decimal import Decimal
from typing import Any

import pytest

from app.auth.permissions import Role
from tests.benchmarks.kolada import BASE, gv, item

URL = f"{BASE}/kolada"

# A v3 page as Kolada answers /v3/data/kpi/N00945/year/2009 (DOMAIN §11): a number period,
# next_url; a null value is missing; status is opaque text.
V3: dict[str, Any] = {
    "values": [
        item(
            "N00945",
            "1860",
            2009,
            gv("T", 40.02),
            gv("K", 41.5, status="Bearbetad"),
            gv("M", None, status="Uppgift saknas"),
        ),
        item("N00945", "2380", 2009, gv("T", 38.123456789), gv("K", None), gv("M", 37)),
    ],
    "next_url": "https://api.kolada.se/v3/data/kpi/N00945/year/2009?page=2",
    "count": 2,
}
# The same kind of page from v2: the period as a string, next_page.
V2: dict[str, Any] = {
    "count": 1,
    "values": [item("N00945", "0180", "2009", gv("T", 12.5), gv("K", 13), gv("M", 12))],
    "next_page": None,
}
KPIS: dict[str, Any] = {
    "values": [
        {
            "id": "U31402",
            "title": "Väntetid i antal dagar från ansökan till beslut inom ekonomiskt bistånd",
            "description": "Medelvärde för väntetid i antal dagar från ansökan till beslut.",
            "is_divided_by_gender": 0,
            "municipality_type": "K",
            "operating_area": "Ekonomiskt bistånd",
            "has_ou_data": False,
            "publication_date": "2024-03-26",
            "prel_publication_date": "2024-02-20",
            "perspective": "Resultat",
        },
        {
            "id": "N30005",
            "title": "Nettokostnad individ- och familjeomsorg, kr/inv",
            "description": None,
            "is_divided_by_gender": False,
            "municipality_type": "K",
            "operating_area": "Individ- och familjeomsorg",
        },
    ]
}


async def post(client, headers, body, status=200) -> dict[str, Any]:
    response = await client.post(URL, json=body, headers=headers)
    assert response.status_code == status, response.text
    return response.json()


async def stored(client, headers, **params) -> dict[tuple[str, int, str], dict[str, Any]]:
    response = await client.get(f"{BASE}/values", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return {(v["municipality"], v["year"], v["gender"]): v for v in response.json()["items"]}


def summary(answer: dict[str, Any]) -> tuple[int, int, int, int, int]:
    return (
        answer["received"],
        answer["created"],
        answer["updated"],
        answer["unchanged"],
        answer["missing"],
    )


async def test_a_v3_page_is_stored_with_missing_values_and_status_verbatim(client, tenant):
    answer = await post(client, tenant.admin, V3)
    assert answer["kind"] == "data"
    assert answer["shape"] == "v3"
    assert summary(answer) == (6, 6, 0, 0, 2)
    assert answer["kpis"] == ["N00945"]
    assert answer["years"] == [2009]
    assert answer["municipalities"] == 2
    assert answer["next"] == V3["next_url"]

    values = await stored(client, tenant.admin, kpi="N00945")
    assert len(values) == 6
    assert values[("1860", 2009, "total")]["value"] == 40.02
    assert values[("1860", 2009, "women")]["status"] == "Bearbetad"
    men = values[("1860", 2009, "men")]
    assert men["value"] is None
    assert men["status"] == "Uppgift saknas"
    assert values[("2380", 2009, "women")]["value"] is None  # missing, not zero
    assert values[("2380", 2009, "total")]["value"] == 38.123457  # our six decimals
    assert values[("2380", 2009, "total")]["count"] == 1


async def test_resending_a_page_changes_nothing_and_a_changed_value_is_an_update(client, tenant):
    await post(client, tenant.admin, V3)
    again = await post(client, tenant.admin, V3)
    assert summary(again) == (6, 0, 0, 6, 2)

    changed: dict[str, Any] = {
        "values": [
            item(
                "N00945",
                "1860",
                2009,
                gv("T", 40.02),
                gv("K", 41.5, status="Bearbetad"),
                gv("M", 39.0, status=""),  # the missing value arrived
            )
        ],
        "next_url": None,
    }
    answer = await post(client, tenant.admin, changed)
    assert summary(answer) == (3, 0, 1, 2, 0)
    values = await stored(client, tenant.admin, municipality="1860")
    assert values[("1860", 2009, "men")]["value"] == 39
    assert values[("1860", 2009, "men")]["status"] == ""


async def test_a_v2_page_with_string_periods(client, tenant):
    answer = await post(client, tenant.admin, V2)
    assert answer["kind"] == "data"
    assert answer["shape"] == "v2"
    assert summary(answer) == (3, 3, 0, 0, 0)
    assert answer["next"] is None
    values = await stored(client, tenant.admin, municipality="0180", year=2009)
    assert {k[2]: Decimal(str(v["value"])) for k, v in values.items()} == {
        "total": Decimal("12.5"),
        "women": Decimal(13),
        "men": Decimal(12),
    }
    # The same values as v3 (a number period) are the same keys: unchanged.
    as_v3 = {"values": [{**V2["values"][0], "period": 2009}], "next_url": None}
    assert summary(await post(client, tenant.admin, as_v3)) == (3, 0, 0, 3, 0)


async def test_an_empty_last_page_is_fine(client, tenant):
    answer = await post(client, tenant.admin, {"values": [], "next_url": None})
    assert answer["kind"] == "empty"
    assert answer["received"] == 0


async def test_kpi_metadata_is_imported_and_upserted_by_id(client, tenant):
    answer = await post(client, tenant.admin, KPIS)
    assert answer["kind"] == "kpi_metadata"
    counts = (answer["received"], answer["created"], answer["updated"], answer["unchanged"])
    assert counts == (2, 2, 0, 0)
    assert answer["kpis"] == ["N30005", "U31402"]
    again = await post(client, tenant.admin, KPIS)
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 2)

    retitled = {"values": [{**KPIS["values"][1], "title": "Nettokostnad IFO, kr/inv"}]}
    assert (await post(client, tenant.admin, retitled))["updated"] == 1

    listed = await client.get(f"{BASE}/kpis", headers=await tenant.headers("viewer"))
    assert listed.status_code == 200
    kpis = {k["kpi"]: k for k in listed.json()["items"]}
    assert kpis["N30005"]["title"] == "Nettokostnad IFO, kr/inv"
    assert kpis["U31402"]["is_divided_by_gender"] is False
    assert kpis["U31402"]["operating_area"] == "Ekonomiskt bistånd"
    assert kpis["U31402"]["publication_date"] == "2024-03-26"
    found = await client.get(f"{BASE}/kpis", params={"search": "väntetid"}, headers=tenant.admin)
    assert [k["kpi"] for k in found.json()["items"]] == ["U31402"]


async def test_an_import_that_changed_something_is_one_audit_event(client, tenant):
    await post(client, tenant.admin, V3)
    await post(client, tenant.admin, V3)
    response = await client.get(
        "/api/v1/audit-events", params={"entity_type": "kolada_import"}, headers=tenant.admin
    )
    events = response.json()["items"]
    assert len(events) == 1
    assert events[0]["after"]["created"] == 6


def fields(response) -> list[tuple[str, str]]:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    return [(e["field"], e["code"]) for e in response.json()["errors"]]


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({"count": 0}, "body.values", "missing"),
        ({"values": {"kpi": "N00945"}}, "body.values", "list_type"),
        ({"values": [{"name": "Gotland"}]}, "body.values.0", "unknown_kolada_record"),
        ({"values": ["N00945"]}, "body.values.0", "object_type"),
        (
            {"values": [{"kpi": "N00945", "ou": "V15E148000301", "period": 2019, "values": []}]},
            "body.values.0.ou",
            "ou_data_not_supported",
        ),
        (
            {"values": [item("N00945", "1860", "år 2009", gv("T", 1))]},
            "body.values.0.period",
            "period_format",
        ),
        (
            {"values": [item("N00945", "186", 2009, gv("T", 1))]},
            "body.values.0.municipality",
            "string_pattern_mismatch",
        ),
        (
            {"values": [item("kpi-1", "1860", 2009, gv("T", 1))]},
            "body.values.0.kpi",
            "string_pattern_mismatch",
        ),
        (
            {"values": [item("N00945", "1860", 2009, gv("T", 1), gv("X", 2))]},
            "body.values.0.values.1.gender",
            "literal_error",
        ),
        (
            {"values": [item("N00945", "1860", 2009, gv("T", "40,02"))]},
            "body.values.0.values.0.value",
            "number_type",
        ),
        (
            {"values": [item("N00945", "1860", 2009, gv("T", 1), gv("T", 2))]},
            "body.values.0.values.1.gender",
            "duplicate_in_request",
        ),
        (
            {"values": [{"id": "U31402", "title": ""}]},
            "body.values.0.title",
            "too_short",
        ),
        (
            {"values": [{"id": "U31402", "title": "A"}, {"id": "U31402", "title": "B"}]},
            "body.values.1.id",
            "duplicate_in_request",
        ),
    ],
)
async def test_422_names_the_field(client, tenant, body, field, code):
    response = await client.post(URL, json=body, headers=tenant.admin)
    assert (field, code) in fields(response)


async def test_a_refused_page_lands_nothing(client, tenant):
    body = {"values": [item("N00945", "1861", 2009, gv("T", 1)), item("N00945", "1862", "x")]}
    assert (await client.post(URL, json=body, headers=tenant.admin)).status_code == 422
    assert await stored(client, tenant.admin, kpi="N00945") == {}


async def test_a_personal_identity_number_in_a_status_is_refused(client, tenant):
    body = {"values": [item("N00945", "1860", 2009, gv("T", 1, status="Ärende 19121212-1212"))]}
    response = await client.post(URL, json=body, headers=tenant.admin)
    assert ("body.values.0.values.0.status", "personal_identity_number") in fields(response)
    assert "1212" not in response.text


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.ADMIN, True),
        (Role.EDITOR, True),
        (Role.INTEGRATION, True),
        (Role.REPORTER, False),
        (Role.VIEWER, False),
        (Role.AUDITOR, False),
    ],
)
async def test_who_may_import(client, tenant, role, allowed):
    response = await client.post(URL, json=V2, headers=await tenant.headers(role))
    assert response.status_code == (200 if allowed else 403), response.text
    read = await client.get(f"{BASE}/values", headers=await tenant.headers(role))
    assert read.status_code == 200


async def test_values_belong_to_the_importing_municipality(client, tenant, other_tenant):
    await post(client, tenant.admin, V2)
    assert await stored(client, other_tenant.admin) == {}
    # The other municipality's import of the same keys is its own, created not unchanged.
    assert summary(await post(client, other_tenant.admin, V2)) == (3, 3, 0, 0, 0)
