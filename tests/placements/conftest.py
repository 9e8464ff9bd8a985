"""An organisation to place children and adults from: SN → SOC → BOU, FRF, SOB."""

import pytest

PLACEMENTS = "/api/v1/placements"
AGGREGATES = "/api/v1/placement-aggregates"
BUDGETS = "/api/v1/placement-budgets"
FOLLOW_UP = "/api/v1/placement-follow-up"


@pytest.fixture
async def org(client, tenant) -> dict[str, str]:
    ids: dict[str, str] = {}
    for code, kind, parent in (
        ("SN", "committee", None),
        ("SOC", "office", "SN"),
        ("BOU", "unit", "SOC"),
        ("FRF", "unit", "SOC"),
        ("SOB", "unit", "SOC"),
    ):
        body: dict[str, object] = {
            "code": code,
            "name": code,
            "kind": kind,
            "valid_from": "2015-01-01",
        }
        if parent:
            body["parent_id"] = ids[parent]
        response = await client.post("/api/v1/org-units", json=body, headers=tenant.admin)
        assert response.status_code == 201, response.text
        ids[code] = response.json()["id"]
    return ids


def episode(case_ref, start, end=None, *, rate=1000, category="HVB-BARN", unit="BOU", **extra):
    """An episode row; ``rate`` is one daily rate for the whole episode unless ``rates`` given."""
    row = {
        "case_ref": case_ref,
        "category_code": category,
        "org_unit_code": unit,
        "start_date": start,
        **extra,
    }
    if end is not None:
        row["end_date"] = end
    if "rates" not in extra:
        row["daily_rate"] = rate
    return row


def aggregate(period, care_days, net_cost, *, category="HVB-BARN", unit="BOU", **extra):
    return {
        "category_code": category,
        "org_unit_code": unit,
        "period": period,
        "care_days": care_days,
        "net_cost": net_cost,
        **extra,
    }


async def put_budget(client, headers, amount, *, care_days=600, expected_inflow=120000):
    """HVB-BARN's 2023 budget at BOU."""
    body = {
        "category_code": "HVB-BARN",
        "org_unit_code": "BOU",
        "year": 2023,
        "care_days": care_days,
        "amount": amount,
        "expected_inflow": expected_inflow,
    }
    response = await client.put(BUDGETS, json=body, headers=headers)
    assert response.status_code == 201, response.text
    return body


async def send(client, headers, path, rows, **params):
    response = await client.post(f"{path}/batch", json=rows, params=params, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


async def refused(client, headers, path, rows, **params):
    """A batch refused as a whole (nothing valid to land): 422 carrying the import summary."""
    response = await client.post(f"{path}/batch", json=rows, params=params, headers=headers)
    assert response.status_code == 422, response.text
    return response.json()["summary"]


async def follow_up(client, headers, period, **params):
    response = await client.get(FOLLOW_UP, params={"period": period, **params}, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def category(result, code):
    return next(row for row in result["categories"] if row["category"]["code"] == code)
