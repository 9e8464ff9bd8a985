"""An office with three months of a waiting-time indicator, for the export tests."""

import pytest


@pytest.fixture
async def data(client, tenant):
    h = tenant.admin
    unit = (
        await client.post(
            "/api/v1/org-units",
            json={
                "code": "SKÅ",
                "name": "Socialkontoret Åby",
                "kind": "office",
                "valid_from": "2019-01-01",
            },
            headers=h,
        )
    ).json()
    indicator = (
        await client.post(
            "/api/v1/indicators",
            json={
                "code": "SN-4.1.2",
                "title": "Väntetid för nybesök (dagar)",
                "unit": "days",
                "polarity": "lower_is_better",
                "periodicity": "month",
                "aggregation": "mean",
                "valid_from_year": 2023,
            },
            headers=h,
        )
    ).json()
    for month, value in (("01", "15.1"), ("02", "14.25"), ("03", "13")):
        body = {
            "indicator_id": indicator["id"],
            "org_unit_id": unit["id"],
            "period": f"2023-{month}",
            "value": value,
            "comment": "Öppet hus på förvaltningen",
        }
        assert (await client.put("/api/v1/measurements", json=body, headers=h)).status_code == 201
    return {"unit": unit, "indicator": indicator}


async def report_deviation(client, headers, unit_id, reported_on, category="routine"):
    """A low-severity deviation report at ``unit_id``: what the statistics exports count."""
    body = {
        "org_unit_id": unit_id,
        "category": category,
        "severity": "low",
        "description": "Rutin för dokumentation följdes inte",
        "reported_on": reported_on,
    }
    response = await client.post("/api/v1/deviation-reports", json=body, headers=headers)
    assert response.status_code == 201, response.text
