"""Demo internal control from the seeds: Södertälje's twelve points, Strömsund's child-investigation
control with its December 2022 result, Strömsund's 2023 action plan. Idempotent."""

from app.auth.deps import system_ctx
from app.auth.permissions import Role
from app.demo.control import load_control
from app.demo.loader import _load_org_units
from app.demo.orgs import MUNICIPALITIES
from app.municipalities.service import ensure
from tests.factories import Tenant


async def _load(db, code):
    demo = next(m for m in MUNICIPALITIES if m.code == code)
    async with db.session(system=True) as session:
        municipality, _ = await ensure(session, demo.code, demo.name)
        ctx = system_ctx(session, municipality.id, municipality.code)
        await _load_org_units(ctx, demo)
        counts = await load_control(ctx, code)
    tenant = Tenant(db=db, code=code, municipality_id=municipality.id, admin_key="")
    tenant.admin_key = await tenant.key(Role.ADMIN)
    return counts, tenant


async def test_sodertalje_2023_plan_has_the_twelve_points_of_appendix_1(app, client):
    await _load(app.state.db, "0181")
    counts, tenant = await _load(app.state.db, "0181")
    assert str(counts) == (
        "0 control plan(s), 0 control point(s), 0 control result(s), 0 action plan(s), "
        "0 item(s) added"
    )
    h = tenant.admin
    [plan] = (await client.get("/api/v1/control-plans", params={"year": 2023}, headers=h)).json()[
        "items"
    ]
    points = (await client.get(f"/api/v1/control-plans/{plan['id']}/points", headers=h)).json()
    assert [p["number"] for p in points] == list(range(1, 13))
    by_number = {p["number"]: p for p in points}
    assert (by_number[3]["process"], by_number[3]["objective"]) == (
        "Utredningsprocess",
        "Att utredningar färdigställs inom 122 dagar",
    )
    assert (by_number[3]["responsible_role"], by_number[3]["method"]) == ("ROCH BoU", "full_review")
    assert {p["report_to"] for p in points} == {"Socialnämnd"}
    assert {p["report_when"] for p in points} == {"Årsbokslut"}
    assert {
        n: p["due_months"] for n, p in by_number.items() if p["due_months"] != list(range(1, 13))
    } == {
        5: [4, 8, 12],
        6: [12],
        7: [11],
        8: [4, 8, 12],
        9: [4, 8, 12],
        10: [11],
        11: [5, 11],
    }
    assert [n for n, p in by_number.items() if p["method"] == "sample"] == [1, 2, 6]
    assert by_number[10]["method"] is None
    matrix = (await client.get(f"/api/v1/control-plans/{plan['id']}/risk-matrix", headers=h)).json()
    assert matrix["counts"]["unassessed"] == 12  # the seed publishes no risk values

    schedule = await client.get(
        f"/api/v1/control-plans/{plan['id']}/schedule", params={"on": "2023-04-15"}, headers=h
    )
    # 5 monthly points (60 checks), 3 × April/August/December (9), 3 yearly, 1 May/November (2):
    # January–March of the monthly ones overdue, April's 5 + 3 due, the rest upcoming.
    assert schedule.json()["counts"] == {"done": 0, "due": 8, "overdue": 15, "upcoming": 51}


async def test_stromsund_child_investigations_and_violence_action_plan(app, client):
    _, tenant = await _load(app.state.db, "2313")
    again, _ = await _load(app.state.db, "2313")
    assert again is not None
    assert (again.plans, again.points, again.results, again.action_plans, again.items) == (
        0,
        0,
        0,
        0,
        0,
    )
    h = tenant.admin
    plans = (await client.get("/api/v1/control-plans", headers=h)).json()["items"]
    assert [(p["year"], p["decision_ref"]) for p in plans] == [
        (2023, "SN 2022-12-14 § 168"),
        (2022, None),
    ]
    plan_2022 = plans[1]
    [point] = (
        await client.get(f"/api/v1/control-plans/{plan_2022['id']}/points", headers=h)
    ).json()
    assert point["due_months"] == [2, 5, 9, 12]
    assert point["target"]["yellow_tolerance"] == {"kind": "absolute", "value": 10}
    url = f"/api/v1/control-plans/{plan_2022['id']}/points/{point['id']}"
    result = (await client.get(f"{url}/results/2022-12", headers=h)).json()
    assert (result["checked_count"], result["deviation_count"]) == (68, 9)
    assert round(result["share_without_deviation"], 1) == 86.8
    assert result["status"] == "red"

    history = (await client.get(f"{url}/history", headers=h)).json()
    assert [e["year"] for e in history["chain"]] == [2022, 2023]
    assert history["chain"][1]["point"]["carried_from_id"] == point["id"]

    [action] = (await client.get("/api/v1/action-plans", headers=h)).json()["items"]
    assert (action["title"], action["reference"], action["decision_ref"]) == (
        "Handlingsplan mot våld i nära relation 2023",
        "VSF.2023.5",
        "SN 2023-02-21 § 21",
    )
    assert [i["responsible_role"] for i in action["items"]] == [
        "Verksamhetschef Stöd och service",
        "Verksamhetschef IFO",
        "Enhetschef, handläggare inom IFO",
    ]
    assert {i["follow_up_month"] for i in action["items"]} == {"2023-12"}
    overdue = await client.get(
        "/api/v1/action-plans/follow-ups",
        params={"on": "2024-01-15", "state": "overdue"},
        headers=h,
    )
    assert len(overdue.json()["items"]) == 3

    trail = await client.get(
        "/api/v1/audit-events", params={"entity_type": "control_result"}, headers=h
    )
    assert {e["actor"] for e in trail.json()["items"]} == {"system:cli"}
