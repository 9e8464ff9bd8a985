"""Helpers for the budget tests: org trees, lines, amounts as exact decimals."""

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import pytest

API = "/api/v1"
BATCH = f"{API}/budget-lines/batch"
LINES = f"{API}/budget-lines"
FRAMES = f"{API}/budget-frames"
CATEGORIES = f"{API}/budget-categories"
FOLLOW_UP = f"{API}/budget-follow-up"


def d(value: object) -> Any:
    """A JSON number as an exact Decimal (None stays None); typed Any to compare with ints."""
    return None if value is None else Decimal(str(value))


def tkr(value: object) -> Any:
    """A JSON amount in SEK as tkr, exactly (a Decimal; typed Any to compare with ints)."""
    amount = d(value)
    assert amount is not None
    return amount / 1000


async def make_units(
    client, headers, units: Sequence[tuple[str, str, str | None]]
) -> dict[str, str]:
    """``(code, kind, parent code)``, parents first; the ids by code."""
    ids: dict[str, str] = {}
    for code, kind, parent in units:
        body: dict[str, Any] = {
            "code": code,
            "name": code,
            "kind": kind,
            "valid_from": "2019-01-01",
        }
        if parent:
            body["parent_id"] = ids[parent]
        response = await client.post(f"{API}/org-units", json=body, headers=headers)
        assert response.status_code == 201, response.text
        ids[code] = response.json()["id"]
    return ids


def line(
    unit: str, category: str, period: str, scenario: str, amount: object, **extra: object
) -> dict[str, Any]:
    return {
        "org_unit_code": unit,
        "category_code": category,
        "period": period,
        "scenario": scenario,
        "amount": amount,
        **extra,
    }


def jsonable(value: Any) -> Any:
    """Decimal amounts as JSON text (so nothing passes through a float), at any depth."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value


async def post_lines(client, headers, rows, **params) -> dict[str, Any]:
    response = await client.post(BATCH, json=jsonable(rows), params=params, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


async def follow_up(client, headers, unit_id: str, year: int, **params) -> dict[str, Any]:
    response = await client.get(
        FOLLOW_UP, params={"org_unit_id": unit_id, "year": year, **params}, headers=headers
    )
    assert response.status_code == 200, response.text
    return response.json()


@pytest.fixture
async def committee(client, tenant):
    """SN → SK → (AF → AF-AME, BOU); two cost-and-revenue-carrying branches."""
    return await make_units(
        client,
        tenant.admin,
        [
            ("SN", "committee", None),
            ("SK", "office", "SN"),
            ("AF", "area", "SK"),
            ("AF-AME", "unit", "AF"),
            ("BOU", "area", "SK"),
        ],
    )
