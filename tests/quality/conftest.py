"""Shared set-up for the quality registers: a small org tree and request helpers."""

from typing import Any

import pytest


async def post(client, headers, path, body, expected=201):
    response = await client.post(path, json=body, headers=headers)
    assert response.status_code == expected, response.text
    return response.json()


async def get(client, headers, path, expected=200, **params):
    response = await client.get(path, params=params, headers=headers)
    assert response.status_code == expected, response.text
    return response.json()


async def patch(client, headers, path, body, expected=200):
    response = await client.patch(path, json=body, headers=headers)
    assert response.status_code == expected, response.text
    return response.json()


async def events(client, tenant, **params):
    return await get(client, tenant.admin, "/api/v1/audit-events", limit=500, **params)


@pytest.fixture
async def units(client, tenant) -> dict[str, Any]:
    """SN → SK → {AF → AF-1, BOU}."""
    made: dict[str, Any] = {}
    for code, kind, parent in (
        ("SN", "committee", None),
        ("SK", "office", "SN"),
        ("AF", "area", "SK"),
        ("AF-1", "unit", "AF"),
        ("BOU", "area", "SK"),
    ):
        body = {"code": code, "name": code, "kind": kind, "valid_from": "2015-01-01"}
        if parent:
            body["parent_id"] = made[parent]["id"]
        made[code] = await post(client, tenant.admin, "/api/v1/org-units", body)
    return made
