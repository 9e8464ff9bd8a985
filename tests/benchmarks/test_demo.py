"""The demo: Östersund's seed 001 group and demo Kolada values answer a comparison."""

from sqlalchemy import select

from app.auth.permissions import Role
from app.demo.loader import load_demo_data
from app.goals.models import Goal, GoalIndicator
from app.indicators.models import Indicator
from app.municipalities.models import Municipality
from tests.factories import Tenant


async def test_ostersund_compares_with_liknande_kommuner_ifo(app, client):
    db = app.state.db
    await load_demo_data(db)
    await load_demo_data(db)  # idempotent
    async with db.session(system=True) as session:
        ostersund = (
            await session.scalars(select(Municipality).where(Municipality.code == "2380"))
        ).one()
        indicator = (
            await session.scalars(
                select(Indicator).where(
                    Indicator.municipality_id == ostersund.id, Indicator.code == "SN-6.4"
                )
            )
        ).one()
        indicator_owner = await session.scalar(
            select(Goal.owner_id)
            .join(GoalIndicator, GoalIndicator.goal_id == Goal.id)
            .where(GoalIndicator.indicator_id == indicator.id)
        )
    tenant = Tenant(db=db, code="2380", municipality_id=ostersund.id, admin_key="")
    headers = await tenant.headers(Role.VIEWER)
    groups = (await client.get("/api/v1/benchmarks/groups", headers=headers)).json()["items"]
    [group] = [g for g in groups if g["name"] == "Liknande kommuner IFO"]
    assert [m["name"] for m in group["members"]] == [
        "Gotland",
        "Hässleholm",
        "Karlskrona",
        "Mölndal",
        "Norrtälje",
        "Skellefteå",
        "Sollentuna",
    ]
    response = await client.get(
        "/api/v1/benchmarks",
        params={"indicator_id": str(indicator.id), "year": 2019, "group_id": group["id"]},
        headers=headers,
    )
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["kpi"] == "N02904"
    assert answer["polarity"] == "lower_is_better"
    assert answer["own_value"] == 9.1
    assert [m["name"] for m in answer["missing"]] == ["Norrtälje"]
    # Lower is better: 5.4 6.1 6.8 7.9 | 9.1 | 10.2 11.8 → rank 5 of 7, ceil(20/7) = 3.
    assert (answer["rank"], answer["ranked_count"], answer["quartile"]) == (5, 7, 3)
    assert answer["colour"] == "yellow"
    assert answer["median"] == 7.35  # (6.8 + 7.9) / 2
    assert [p["name"] for p in answer["best_performers"]] == ["Sollentuna", "Mölndal"]
    assert answer["kpi_title"].startswith("Invånare 0-19 år")

    # SN-6.4 is coloured by quartile: the 2022 scorecard places the latest value, 2019's.
    status = await client.get(
        f"/api/v1/indicators/{indicator.id}/status",
        params={"org_unit_id": str(indicator_owner), "period": "2022"},
        headers=headers,
    )
    assert status.status_code == 200, status.text
    explanation = status.json()["explanation"]
    assert (status.json()["status"], explanation["rule"]) == ("yellow", "quartile")
    assert (explanation["benchmark"]["year"], explanation["benchmark"]["quartile"]) == (2019, 3)
