"""The demo budgets (app.demo.budget): loaded through the write path, idempotent, true to the
seeds. The demo municipalities are shared by the test database, so this asserts on content."""

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.auth import service as api_keys
from app.auth.deps import system_ctx
from app.auth.permissions import Role
from app.auth.schemas import ApiKeyCreate
from app.budget.models import BudgetFrame, BudgetLine
from app.demo.loader import load_demo_data
from app.municipalities.service import get_by_code
from tests.budget.conftest import CATEGORIES, FOLLOW_UP, FRAMES, d, follow_up, tkr


async def _key(db, code: str) -> dict[str, str]:
    async with db.session(system=True) as session:
        municipality = await get_by_code(session, code)
        assert municipality is not None
        ctx = system_ctx(session, municipality.id, municipality.code)
        created = await api_keys.create(ctx, ApiKeyCreate(name="budget demo", role=Role.VIEWER))
    return {"X-API-Key": created.key}


async def _counts(db) -> tuple[int, int]:
    async with db.session(system=True) as session:
        lines = await session.scalar(select(func.count()).select_from(BudgetLine))
        frames = await session.scalar(select(func.count()).select_from(BudgetFrame))
    return int(lines or 0), int(frames or 0)


@pytest.fixture(scope="module")
async def loaded(app):
    db = app.state.db
    await load_demo_data(db)
    before = await _counts(db)
    await load_demo_data(db)
    return before, await _counts(db)


async def test_a_second_run_adds_nothing(loaded):
    before, after = loaded
    assert before == after


async def _unit(client, headers, code: str) -> str:
    items = (await client.get("/api/v1/org-units", params={"code": code}, headers=headers)).json()[
        "items"
    ]
    return str(items[0]["id"])


async def test_stromsund_individual_and_family_care_2022(client, app, loaded):
    h = await _key(app.state.db, "2313")
    body = await follow_up(client, h, await _unit(client, h, "IFO"), 2022, group_by="org_unit")
    assert (
        tkr(body["cost"]["deviation"]),
        tkr(body["revenue"]["deviation"]),
        tkr(body["net"]["deviation"]),
    ) == (-4980, 830, -4150)
    assert len(body["groups"]) == 7
    sn = await follow_up(client, h, await _unit(client, h, "SN"), 2022)
    assert tkr(sn["net"]["deviation"]) == -11796
    lines = (await client.get("/api/v1/budget-lines", headers=h)).json()["items"]
    assert {line["source_system"] for line in lines} == {"demo"}


async def test_ostersund_operating_budget_2020_2024(client, app, loaded):
    h = await _key(app.state.db, "2380")
    body = (
        await client.get(
            f"{FOLLOW_UP}/years",
            params={
                "org_unit_id": await _unit(client, h, "SN"),
                "from_year": 2020,
                "to_year": 2024,
            },
            headers=h,
        )
    ).json()
    results = [d(c["result"]) for c in body["years"]]
    assert results == [Decimal("-21600000"), 0, 0, 0, 0]


async def test_sodertalje_frame_allocation_and_assistance(client, app, loaded):
    h = await _key(app.state.db, "0181")
    frames = (await client.get(FRAMES, headers=h)).json()["items"]
    by_year = {f["year"]: f for f in frames}
    assert tkr(by_year[2023]["amount"]) == 823329
    assert tkr(by_year[2023]["unexplained"]) == 35114 - 16400 + 12000
    balance = (await client.get(f"{FRAMES}/{by_year[2023]['id']}/balance", headers=h)).json()
    assert balance["balanced"] is True
    off = (await client.get(f"{FRAMES}/{by_year[2022]['id']}/balance", headers=h)).json()
    assert tkr(off["difference"]) == 1
    months = (
        await client.get(
            f"{FOLLOW_UP}/months",
            params={
                "org_unit_id": await _unit(client, h, "AF"),
                "year": 2022,
                "category_code": "COST-ASSISTANCE",
            },
            headers=h,
        )
    ).json()
    assert round(tkr(months["mean_outcome"])) == 11716
    assert tkr(months["mean_budget"]) == 13100
    categories = (await client.get(CATEGORIES, params={"limit": 100}, headers=h)).json()["items"]
    assert "COST-ASSISTANCE" in {c["code"] for c in categories}


async def test_osteraker_frame_explained_to_the_rounding(client, app, loaded):
    h = await _key(app.state.db, "0117")
    [frame] = (await client.get(FRAMES, params={"year": 2019}, headers=h)).json()["items"]
    assert (tkr(frame["change"]), tkr(frame["explained"]), tkr(frame["unexplained"])) == (
        -1600,
        -1598,
        -2,
    )
