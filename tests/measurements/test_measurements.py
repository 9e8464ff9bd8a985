"""Measurements: upsert by natural key, versions in system time, as_of reads, validation."""

import asyncio
from datetime import UTC, datetime
from typing import Any

import pytest

BASE = "/api/v1/measurements"


async def _post(client, headers, path, body):
    response = await client.post(path, json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


@pytest.fixture
async def setup(client, tenant):
    """SN → SK → {AF, BOU}; a monthly 'last' share, a split monthly ratio, a yearly count."""
    h = tenant.admin
    units: dict[str, Any] = {}
    for code, kind, parent, extra in (
        ("SN", "committee", None, {}),
        ("SK", "office", "SN", {}),
        ("AF", "area", "SK", {}),
        ("BOU", "area", "SK", {}),
        ("OLD", "area", "SK", {"valid_to": "2022-12-31"}),
    ):
        body = {"code": code, "name": code, "kind": kind, "valid_from": "2019-01-01", **extra}
        if parent:
            body["parent_id"] = units[parent]["id"]
        units[code] = await _post(client, h, "/api/v1/org-units", body)
    share = await _post(
        client,
        h,
        "/api/v1/indicators",
        {
            "code": "SN-5.1.1",
            "title": "Rättssäkerhet i handläggning (%)",
            "unit": "percent",
            "polarity": "higher_is_better",
            "periodicity": "month",
            "aggregation": "last",
            "valid_from_year": 2023,
            "valid_to_year": 2025,
        },
    )
    sick = await _post(
        client,
        h,
        "/api/v1/indicators",
        {
            "code": "HR-SJUK",
            "title": "Sjukfrånvaro (%)",
            "unit": "percent",
            "polarity": "lower_is_better",
            "periodicity": "month",
            "aggregation": "ratio",
            "gender_split": True,
            "source": "HR",
            "valid_from_year": 2023,
        },
    )
    groups = await _post(
        client,
        h,
        "/api/v1/indicators",
        {
            "code": "SN-5.1.2",
            "title": "Antal gruppaktiviteter för barn och unga",
            "unit": "count",
            "polarity": "higher_is_better",
            "periodicity": "year",
            "aggregation": "sum",
            "valid_from_year": 2023,
        },
    )
    return {"units": units, "share": share, "sick": sick, "groups": groups}


def key(indicator, unit, period, **extra):
    return {"indicator_id": indicator["id"], "org_unit_id": unit["id"], "period": period, **extra}


async def put(client, headers, body, expected):
    response = await client.put(BASE, json=body, headers=headers)
    assert response.status_code == expected, response.text
    return response.json()


async def moment():
    """A point in system time strictly between two writes."""
    await asyncio.sleep(0.01)
    now = datetime.now(UTC)
    await asyncio.sleep(0.01)
    return now.isoformat()


class TestVersions:
    async def test_create_replace_unchanged_delete_and_read_as_of(self, client, tenant, setup):
        h, share, af = tenant.admin, setup["share"], setup["units"]["AF"]
        before_anything = await moment()

        created = await put(client, h, key(share, af, "2023-03", value=75), 201)
        assert created["result"] == "created"
        assert created["value"] == 75
        assert created["indicator_code"] == "SN-5.1.1"
        assert created["org_unit_code"] == "AF"
        mid = created["id"]
        after_first = await moment()

        same = await put(client, h, key(share, af, "2023-03", value=75), 200)
        assert same["result"] == "unchanged"
        assert same["version_id"] == created["version_id"]

        updated = await put(client, h, key(share, af, "2023-03", value=78.5), 200)
        assert updated["result"] == "updated"
        assert updated["id"] == mid
        after_second = await moment()

        assert (await client.delete(f"{BASE}/{mid}", headers=h)).status_code == 204
        after_delete = await moment()

        async def value_as_of(as_of):
            response = await client.get(f"{BASE}/{mid}", params={"as_of": as_of}, headers=h)
            return response.json()["value"] if response.status_code == 200 else response.status_code

        assert await value_as_of(before_anything) == 404
        assert await value_as_of(after_first) == 75
        assert await value_as_of(after_second) == 78.5
        assert await value_as_of(after_delete) == 404
        assert (await client.get(f"{BASE}/{mid}", headers=h)).status_code == 404

        listed = await client.get(
            BASE, params={"indicator_id": share["id"], "as_of": after_first}, headers=h
        )
        assert [m["value"] for m in listed.json()["items"]] == [75]
        listed_now = await client.get(BASE, params={"indicator_id": share["id"]}, headers=h)
        assert listed_now.json()["items"] == []

        history = (await client.get(f"{BASE}/{mid}/history", headers=h)).json()
        versions = history["versions"]
        assert [(v["value"], v["deleted"]) for v in versions] == [
            (75, False),
            (78.5, False),
            (None, True),
        ]
        assert versions[0]["valid_to"] == versions[1]["valid_from"]
        assert versions[1]["valid_to"] == versions[2]["valid_from"]
        assert versions[2]["valid_to"] is None

        again = await put(client, h, key(share, af, "2023-03", value=80), 201)
        assert again["result"] == "created"
        assert again["id"] == mid
        assert len((await client.get(f"{BASE}/{mid}/history", headers=h)).json()["versions"]) == 4

    async def test_a_changed_comment_or_status_is_a_new_version(self, client, tenant, setup):
        h, share, af = tenant.admin, setup["share"], setup["units"]["AF"]
        first = await put(client, h, key(share, af, "2023-04", value=70, status="preliminary"), 201)
        final = await put(client, h, key(share, af, "2023-04", value=70), 200)
        assert final["result"] == "updated"
        assert final["status"] == "final"
        commented = await put(client, h, key(share, af, "2023-04", value=70, comment="Rättat"), 200)
        assert commented["result"] == "updated"
        history = (await client.get(f"{BASE}/{first['id']}/history", headers=h)).json()
        assert len(history["versions"]) == 3

    async def test_deleting_twice_is_404(self, client, tenant, setup):
        h = tenant.admin
        m = await put(client, h, key(setup["share"], setup["units"]["AF"], "2023-05", value=1), 201)
        assert (await client.delete(f"{BASE}/{m['id']}", headers=h)).status_code == 204
        assert (await client.delete(f"{BASE}/{m['id']}", headers=h)).status_code == 404

    async def test_codes_work_as_well_as_ids(self, client, tenant, setup):
        body = {
            "indicator_code": "SN-5.1.1",
            "org_unit_code": "BOU",
            "period": "2023-02",
            "value": 81,
        }
        written = await put(client, tenant.admin, body, 201)
        assert written["org_unit_id"] == setup["units"]["BOU"]["id"]


class TestRatio:
    async def test_value_is_computed_from_numerator_and_denominator(self, client, tenant, setup):
        # 412.5 sick hours of 8 250 scheduled hours = 5 %.
        body = key(
            setup["sick"],
            setup["units"]["BOU"],
            "2023-03",
            gender="women",
            numerator=412.5,
            denominator=8250,
        )
        written = await put(client, tenant.admin, body, 201)
        assert written["value"] == 5
        assert (written["numerator"], written["denominator"]) == (412.5, 8250)

    async def test_a_rounded_value_is_accepted_an_inconsistent_one_refused(
        self, client, tenant, setup
    ):
        base = key(setup["sick"], setup["units"]["BOU"], "2023-04", numerator=100, denominator=3000)
        # 100 / 3000 × 100 = 3.3333…; a sender rounding to 3.33 is consistent.
        await put(client, tenant.admin, {**base, "value": 3.33}, 201)
        refused = await client.put(BASE, json={**base, "value": 4}, headers=tenant.admin)
        assert refused.status_code == 422
        assert refused.json()["errors"][0] == {
            "field": "body.value",
            "code": "ratio_inconsistent",
            "message": "value should be numerator / denominator × 100 = 3.333333",
        }


@pytest.mark.parametrize(
    ("case", "field", "code"),
    [
        ({"indicator": "share", "period": "2023"}, "body.period", "periodicity"),
        ({"indicator": "share", "period": "2023-T1"}, "body.period", "periodicity"),
        ({"indicator": "groups", "period": "2023-05"}, "body.period", "periodicity"),
        ({"indicator": "share", "gender": "women"}, "body.gender", "gender_not_split"),
        ({"indicator": "sick", "value": 5}, "body.numerator", "ratio_required"),
        ({"indicator": "sick", "numerator": 5}, "body.denominator", "ratio_pair"),
        (
            {"indicator": "sick", "numerator": 5, "denominator": 0},
            "body.denominator",
            "greater_than",
        ),
        ({"indicator": "share", "value": None}, "body.value", "missing"),
        ({"indicator": "share", "unit": "OLD"}, "body.period", "org_unit_not_valid"),
        ({"indicator": "share", "period": "2023-13"}, "body.period", "period_format"),
        ({"indicator": "share", "value": "NaN"}, "body.value", "finite_number"),
        (
            {"indicator": "share", "comment": "Gäller 811218-9876"},
            "body.comment",
            "personal_identity_number",
        ),
    ],
)
async def test_validation_names_the_field(client, tenant, setup, case, field, code):
    case = dict(case)
    indicator = setup[case.pop("indicator")]
    unit = setup["units"][case.pop("unit", "AF")]
    body = {**key(indicator, unit, case.pop("period", "2023-06")), "value": 1, **case}
    if body["value"] is None:
        del body["value"]
    response = await client.put(BASE, json=body, headers=tenant.admin)
    assert response.status_code == 422, response.text
    assert (field, code) in [(e["field"], e["code"]) for e in response.json()["errors"]]
    assert "811218-9876" not in response.text


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"indicator_code": "NOPE", "org_unit_code": "AF"}, "body.indicator_code"),
        ({"indicator_code": "SN-5.1.1", "org_unit_code": "NOPE"}, "body.org_unit_code"),
        ({"org_unit_code": "AF"}, "body"),
    ],
)
async def test_references_must_resolve(client, tenant, setup, body, field):
    response = await client.put(
        BASE, json={**body, "period": "2023-06", "value": 1}, headers=tenant.admin
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == field


async def test_filters_subtree_period_range_and_gender(client, tenant, setup):
    h, u, sick = tenant.admin, setup["units"], setup["sick"]
    for unit, month, gender in (
        ("AF", "01", "total"),
        ("AF", "02", "women"),
        ("BOU", "03", "men"),
        ("SK", "04", "total"),
    ):
        await put(
            client,
            h,
            key(sick, u[unit], f"2023-{month}", gender=gender, numerator=1, denominator=100),
            201,
        )

    async def periods(**params):
        response = await client.get(BASE, params={"indicator_id": sick["id"], **params}, headers=h)
        assert response.status_code == 200, response.text
        return [(m["org_unit_code"], m["period"]) for m in response.json()["items"]]

    assert await periods() == [
        ("AF", "2023-01"),
        ("AF", "2023-02"),
        ("BOU", "2023-03"),
        ("SK", "2023-04"),
    ]
    assert await periods(subtree_of=u["AF"]["id"]) == [("AF", "2023-01"), ("AF", "2023-02")]
    assert await periods(period_from="2023-02", period_to="2023-T1") == [
        ("AF", "2023-02"),
        ("BOU", "2023-03"),
        ("SK", "2023-04"),
    ]
    assert await periods(gender="men") == [("BOU", "2023-03")]
    # By the municipality's codes, as batch rows name them: another indicator at AF stays out.
    await put(client, h, key(setup["share"], u["AF"], "2023-01", value=90), 201)
    by_code = await client.get(
        BASE, params={"indicator_code": "HR-SJUK", "org_unit_code": "AF"}, headers=h
    )
    assert [(m["indicator_code"], m["period"]) for m in by_code.json()["items"]] == [
        ("HR-SJUK", "2023-01"),
        ("HR-SJUK", "2023-02"),
    ]
    assert await periods(sort="-period", limit=2) == [("SK", "2023-04"), ("BOU", "2023-03")]
    page = (
        await client.get(BASE, params={"indicator_id": sick["id"], "limit": 3}, headers=h)
    ).json()
    rest = (
        await client.get(
            BASE,
            params={"indicator_id": sick["id"], "limit": 3, "cursor": page["next_cursor"]},
            headers=h,
        )
    ).json()
    assert [m["period"] for m in page["items"] + rest["items"]] == [
        "2023-01",
        "2023-02",
        "2023-03",
        "2023-04",
    ]
    assert rest["next_cursor"] is None


async def test_every_write_is_audited_with_before_and_after(client, tenant, setup):
    h = tenant.admin
    m = await put(client, h, key(setup["share"], setup["units"]["AF"], "2023-07", value=60), 201)
    await put(client, h, key(setup["share"], setup["units"]["AF"], "2023-07", value=60), 200)
    await put(client, h, key(setup["share"], setup["units"]["AF"], "2023-07", value=65), 200)
    await client.delete(f"{BASE}/{m['id']}", headers=h)
    events = (
        await client.get(
            "/api/v1/audit-events",
            params={"entity_type": "measurement", "entity_id": m["id"]},
            headers=h,
        )
    ).json()["items"]
    assert [e["action"] for e in events] == ["create", "update", "delete"]
    assert events[0]["before"] is None
    assert events[0]["after"]["value"] == "60"
    # Read back from the database (scale 6) and sent by the client, written alike.
    assert (events[1]["before"]["value"], events[1]["after"]["value"]) == ("60", "65")
    assert events[2]["before"]["value"] == "65"
    assert events[2]["after"] is None


async def test_roles_and_the_reporters_subtree(client, tenant, setup):
    share, u = setup["share"], setup["units"]
    viewer = await tenant.headers("viewer")
    assert (
        await client.put(BASE, json=key(share, u["AF"], "2023-08", value=1), headers=viewer)
    ).status_code == 403
    assert (await client.get(BASE, headers=viewer)).status_code == 200
    integration = await tenant.headers("integration")
    await put(client, integration, key(share, u["AF"], "2023-08", value=1), 201)
    reporter = await tenant.headers("reporter", org_unit_id=u["AF"]["id"])
    await put(client, reporter, key(share, u["AF"], "2023-09", value=1), 201)
    outside = await client.put(
        BASE, json=key(share, u["BOU"], "2023-09", value=1), headers=reporter
    )
    assert outside.status_code == 403


async def test_another_municipality_sees_nothing_and_cannot_write_into_it(
    client, tenant, other_tenant, setup
):
    m = await put(
        client, tenant.admin, key(setup["share"], setup["units"]["AF"], "2023-10", value=5), 201
    )
    h = other_tenant.admin
    assert (await client.get(f"{BASE}/{m['id']}", headers=h)).status_code == 404
    assert (await client.get(f"{BASE}/{m['id']}/history", headers=h)).status_code == 404
    assert (await client.delete(f"{BASE}/{m['id']}", headers=h)).status_code == 404
    assert (await client.get(BASE, headers=h)).json()["items"] == []
    foreign = await client.put(
        BASE, json=key(setup["share"], setup["units"]["AF"], "2023-10", value=6), headers=h
    )
    assert foreign.status_code == 422
    assert (await client.get(f"{BASE}/{m['id']}", headers=tenant.admin)).json()["value"] == 5
