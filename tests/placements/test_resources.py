"""Categories, providers, budgets and single episodes: the resources around the follow-up."""

from datetime import date

from tests.placements.conftest import AGGREGATES, BUDGETS, PLACEMENTS, aggregate, episode, send

CATEGORIES = "/api/v1/placement-categories"
PROVIDERS = "/api/v1/placement-providers"


async def audit(client, tenant, entity_type):
    response = await client.get(
        "/api/v1/audit-events", params={"entity_type": entity_type}, headers=tenant.admin
    )
    return response.json()["items"]


class TestCategories:
    async def test_the_standard_set_is_added_once(self, client, tenant):
        assert (await client.get(CATEGORIES, headers=tenant.admin)).json()["items"] == []
        added = await client.post(f"{CATEGORIES}/standard-set", headers=tenant.admin)
        assert added.status_code == 200
        codes = [c["code"] for c in added.json()]
        assert codes == sorted(codes)
        assert {"HVB-BARN", "HVB-VUXEN", "FH-EGEN", "FH-KOPT", "FH-KONSULENT", "JOURHEM"} <= set(
            codes
        )
        assert {"SIS-LVU", "SIS-LVM", "STODBOENDE", "SKYDDAT", "SOCPSYK-EXT"} <= set(codes)
        sis = next(c for c in added.json() if c["code"] == "SIS-LVM")
        assert (sis["legal_basis"], sis["target_group"], sis["regime"], sis["standard"]) == (
            ["LVM"],
            "adults",
            "external",
            True,
        )
        kept = await client.delete(f"{CATEGORIES}/{sis['id']}", headers=tenant.admin)
        assert kept.status_code == 409
        again = await client.post(f"{CATEGORIES}/standard-set", headers=tenant.admin)
        assert [c["id"] for c in again.json()] == [c["id"] for c in added.json()]
        assert len(await audit(client, tenant, "placement_category")) == len(codes)

    async def test_own_categories_rename_and_delete(self, client, tenant, org):
        body = {
            "code": "BOU-PLAC",
            "name": "Placeringar barn och unga",
            "legal_basis": ["SoL", "LVU"],
            "target_group": "children",
            "regime": "mixed",
        }
        created = await client.post(CATEGORIES, json=body, headers=tenant.admin)
        assert created.status_code == 201, created.text
        assert (await client.post(CATEGORIES, json=body, headers=tenant.admin)).status_code == 409
        renamed = await client.patch(
            f"{CATEGORIES}/{created.json()['id']}",
            json={"name": "Alla placeringar, barn och unga"},
            headers=tenant.admin,
        )
        assert renamed.json()["name"] == "Alla placeringar, barn och unga"
        await send(
            client, tenant.admin, AGGREGATES, [aggregate("2023-01", 1, 1, category="BOU-PLAC")]
        )
        in_use = await client.delete(f"{CATEGORIES}/{created.json()['id']}", headers=tenant.admin)
        assert in_use.status_code == 409
        listed = await client.get(CATEGORIES, params={"regime": "mixed"}, headers=tenant.admin)
        assert [c["code"] for c in listed.json()["items"]] == ["BOU-PLAC"]
        unused = await client.post(
            CATEGORIES, json={**body, "code": "TILLFALLIG"}, headers=tenant.admin
        )
        gone = await client.delete(f"{CATEGORIES}/{unused.json()['id']}", headers=tenant.admin)
        assert gone.status_code == 204


class TestProviders:
    async def test_permit_checks_and_organisation_numbers(self, client, tenant):
        checked = await client.post(
            PROVIDERS,
            json={
                "name": "Solgläntan HVB AB",
                "organisation_number": "556677-8899",
                "ivo_permit_checked_on": date.today().replace(month=1, day=2).isoformat(),
            },
            headers=tenant.admin,
        )
        assert checked.status_code == 201, checked.text
        assert checked.json()["permit_check_due"] is False
        stale = await client.post(
            PROVIDERS,
            json={"name": "Björkhagen stödboende AB", "ivo_permit_checked_on": "2020-01-15"},
            headers=tenant.admin,
        )
        assert stale.json()["permit_check_due"] is True
        due = await client.get(PROVIDERS, params={"permit_check_due": "true"}, headers=tenant.admin)
        assert [p["name"] for p in due.json()["items"]] == ["Björkhagen stödboende AB"]
        duplicate = await client.post(
            PROVIDERS, json={"name": "X", "organisation_number": "5566778899"}, headers=tenant.admin
        )
        assert duplicate.status_code == 409
        bad = await client.post(
            PROVIDERS,
            json={"name": "X", "organisation_number": "556677-8890"},
            headers=tenant.admin,
        )
        assert bad.json()["errors"][0]["code"] == "org_number_checksum"
        renewed = await client.patch(
            f"{PROVIDERS}/{stale.json()['id']}",
            json={"ivo_permit_checked_on": date.today().isoformat()},
            headers=tenant.admin,
        )
        assert renewed.json()["permit_check_due"] is False
        [event] = [
            e for e in await audit(client, tenant, "placement_provider") if e["action"] == "update"
        ]
        assert event["before"]["ivo_permit_checked_on"] == "2020-01-15"


class TestBudgets:
    async def test_put_by_natural_key(self, client, tenant, org):
        body = {
            "category_code": "SKYDDAT",
            "org_unit_code": "SOB",
            "year": 2023,
            "care_days": 4400,
            "amount": 10000000,
        }
        created = await client.put(BUDGETS, json=body, headers=tenant.admin)
        assert created.status_code == 201
        assert (created.json()["result"], created.json()["amount"]) == ("created", 10000000)
        same = await client.put(BUDGETS, json=body, headers=tenant.admin)
        assert (same.status_code, same.json()["result"]) == (200, "unchanged")
        changed = await client.put(
            BUDGETS, json={**body, "amount": "9999999.99"}, headers=tenant.admin
        )
        assert (changed.json()["result"], changed.json()["amount"]) == ("updated", 9999999.99)
        assert changed.json()["id"] == created.json()["id"]
        events = await audit(client, tenant, "placement_budget")
        assert [e["action"] for e in events] == ["create", "update"]
        assert (events[1]["before"]["amount_ore"], events[1]["after"]["amount_ore"]) == (
            1000000000,
            999999999,
        )
        listed = await client.get(BUDGETS, params={"year": 2023}, headers=tenant.admin)
        assert [b["category_code"] for b in listed.json()["items"]] == ["SKYDDAT"]
        deleted = await client.delete(f"{BUDGETS}/{created.json()['id']}", headers=tenant.admin)
        assert deleted.status_code == 204

    async def test_references_are_checked(self, client, tenant, org):
        body = {"category_code": "NOPE", "org_unit_code": "SOB", "year": 2023, "amount": 1}
        response = await client.put(BUDGETS, json=body, headers=tenant.admin)
        assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [
            ("body.category_code", "not_found")
        ]


class TestEpisodes:
    async def test_end_an_episode_and_its_rates_follow(self, client, tenant, org):
        rates = [
            {"valid_from": "2023-01-01", "valid_to": "2023-03-31", "daily_rate": 1000},
            {"valid_from": "2023-04-01", "daily_rate": 1100},
        ]
        created = await client.post(
            PLACEMENTS, json=episode("A", "2023-01-01", rates=rates), headers=tenant.admin
        )
        assert created.status_code == 201, created.text
        again = await client.post(PLACEMENTS, json=episode("A", "2023-01-01"), headers=tenant.admin)
        assert again.status_code == 409
        url = f"{PLACEMENTS}/{created.json()['id']}"
        # Ending it before the rate change drops the later period.
        ended = await client.patch(url, json={"end_date": "2023-02-28"}, headers=tenant.admin)
        assert ended.status_code == 200, ended.text
        assert ended.json()["rates"] == [
            {"valid_from": "2023-01-01", "valid_to": "2023-02-28", "daily_rate": 1000}
        ]
        reopened = await client.patch(url, json={"end_date": None}, headers=tenant.admin)
        assert reopened.json()["rates"] == [
            {"valid_from": "2023-01-01", "valid_to": None, "daily_rate": 1000}
        ]
        moved = await client.patch(
            url, json={"org_unit_code": "FRF", "category_code": "FH-KOPT"}, headers=tenant.admin
        )
        assert (moved.json()["org_unit_code"], moved.json()["category_code"]) == ("FRF", "FH-KOPT")
        wrong = await client.patch(url, json={"end_date": "2022-12-31"}, headers=tenant.admin)
        assert wrong.json()["errors"][0]["code"] == "before_start"
        filtered = await client.get(
            PLACEMENTS,
            params={"ongoing_on": "2023-06-30", "subtree_of": org["SOC"]},
            headers=tenant.admin,
        )
        assert [p["case_ref"] for p in filtered.json()["items"]] == ["A"]

        deleted = await client.delete(url, headers=tenant.admin)
        assert deleted.status_code == 204
        assert (await client.get(url, headers=tenant.admin)).status_code == 404
        events = await audit(client, tenant, "placement")
        assert [e["action"] for e in events] == ["create", "update", "update", "update", "delete"]
        assert events[-1]["before"]["org_unit_id"] == org["FRF"]
        assert events[-1]["after"] is None

    async def test_pages(self, client, tenant, org):
        rows = [episode(f"P{i:02d}", f"2023-01-{i + 1:02d}") for i in range(5)]
        await send(client, tenant.admin, PLACEMENTS, rows)
        first = (await client.get(PLACEMENTS, params={"limit": 3}, headers=tenant.admin)).json()
        rest = (
            await client.get(
                PLACEMENTS,
                params={"limit": 3, "cursor": first["next_cursor"]},
                headers=tenant.admin,
            )
        ).json()
        assert [p["case_ref"] for p in first["items"] + rest["items"]] == [
            f"P{i:02d}" for i in range(5)
        ]
        assert rest.get("next_cursor") is None
