"""The batch contract for POST /placements/batch and POST /placement-aggregates/batch."""

import uuid

import pytest

from tests.placements.conftest import AGGREGATES, PLACEMENTS, aggregate, episode, refused, send

PERSONNUMMER = "811218-9876"  # Luhn-valid, a real date: never stored, never echoed


async def listed(client, tenant, path):
    response = await client.get(path, params={"limit": 500}, headers=tenant.admin)
    assert response.status_code == 200, response.text
    return response.json()["items"]


class TestEpisodeBatch:
    async def test_atomic_lands_nothing_when_a_row_is_bad(self, client, tenant, org):
        rows = [episode("A", "2023-01-01"), episode("B", "2023-01-01", category="NOPE")]
        response = await client.post(f"{PLACEMENTS}/batch", json=rows, headers=tenant.admin)
        assert response.status_code == 422
        assert response.headers["content-type"] == "application/problem+json"
        body = response.json()
        assert body["errors"] == [
            {
                "field": "rows.1.category_code",
                "code": "not_found",
                "message": "placement category not found",
            }
        ]
        assert (body["summary"]["received"], body["summary"]["rejected"]) == (2, 1)
        assert body["summary"]["errors"][0]["key"] == {
            "case_ref": "B",
            "start_date": "2023-01-01",
            "category": "NOPE",
            "org_unit": "BOU",
        }
        assert await listed(client, tenant, PLACEMENTS) == []

    async def test_partial_lands_the_good_rows_and_reports_each_bad_one(self, client, tenant, org):
        rows = [
            episode("A", "2023-01-01"),
            episode("B", "2023-01-01", "2022-12-31"),
            episode("C", "2023-01-01", unit="NOPE"),
            episode("A", "2023-01-01", rate=2),
            episode("D", "2023-01-01", gender="other"),
        ]
        response = await client.post(
            f"{PLACEMENTS}/batch", params={"mode": "partial"}, json=rows, headers=tenant.admin
        )
        assert response.status_code == 200, response.text
        summary = response.json()
        assert (summary["received"], summary["created"], summary["rejected"]) == (5, 1, 4)
        assert [(e["index"], e["field"], e["code"]) for e in summary["errors"]] == [
            (1, "end_date", "before_start"),
            (2, "org_unit_code", "not_found"),
            (3, "start_date", "duplicate_in_request"),
            (4, "gender", "enum"),
        ]
        assert [p["case_ref"] for p in await listed(client, tenant, PLACEMENTS)] == ["A"]

    async def test_a_resend_is_unchanged_and_a_change_updates(self, client, tenant, org):
        rows = [episode("A", "2023-01-01"), episode("B", "2023-02-01")]
        first = await send(client, tenant.admin, PLACEMENTS, rows)
        assert (first["created"], first["unchanged"]) == (2, 0)
        again = await send(client, tenant.admin, PLACEMENTS, rows)
        assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 2)
        ended = [episode("A", "2023-01-01", "2023-06-30"), episode("B", "2023-02-01")]
        changed = await send(client, tenant.admin, PLACEMENTS, ended)
        assert (changed["updated"], changed["unchanged"]) == (1, 1)
        stored = {p["case_ref"]: p for p in await listed(client, tenant, PLACEMENTS)}
        assert stored["A"]["end_date"] == "2023-06-30"
        assert stored["A"]["rates"] == [
            {"valid_from": "2023-01-01", "valid_to": "2023-06-30", "daily_rate": 1000}
        ]
        assert stored["A"]["batch_id"] == changed["batch_id"]
        assert stored["B"]["batch_id"] == first["batch_id"]

    async def test_the_batch_id_is_on_the_batch_event_and_every_version(self, client, tenant, org):
        rates = [
            {"valid_from": "2023-01-01", "valid_to": "2023-01-31", "daily_rate": 900},
            {"valid_from": "2023-02-01", "daily_rate": 950},
        ]
        summary = await send(
            client, tenant.admin, PLACEMENTS, [episode("A", "2023-01-01", rates=rates)]
        )
        events = (
            await client.get(
                "/api/v1/audit-events",
                params={"batch_id": summary["batch_id"]},
                headers=tenant.admin,
            )
        ).json()["items"]
        # Issue 18: one audit event for the batch; the episode's before and after are its
        # versions, read as the batch's changes.
        assert [(e["entity_type"], e["action"]) for e in events] == [("import_batch", "import")]
        [change] = (
            await client.get(
                f"/api/v1/import-batches/{summary['batch_id']}/changes", headers=tenant.admin
            )
        ).json()["items"]
        assert (change["entity_type"], change["action"], change["before"]) == (
            "placement",
            "create",
            None,
        )
        after = change["after"]
        assert after["case_ref"] == "A"
        assert after["rates"] == [
            {"valid_from": "2023-01-01", "valid_to": "2023-01-31", "daily_rate": "900.00"},
            {"valid_from": "2023-02-01", "valid_to": None, "daily_rate": "950.00"},
        ]
        stored = (
            await client.get(f"/api/v1/import-batches/{summary['batch_id']}", headers=tenant.admin)
        ).json()
        assert (stored["kind"], stored["created"]) == ("placements", 1)

    async def test_dry_run_writes_nothing(self, client, tenant, org):
        summary = await send(
            client, tenant.admin, PLACEMENTS, [episode("A", "2023-01-01")], dry_run="true"
        )
        assert (summary["dry_run"], summary["batch_id"], summary["created"]) == (True, None, 1)
        assert await listed(client, tenant, PLACEMENTS) == []

    async def test_csv_with_semicolons_and_decimal_commas(self, client, tenant, org):
        csv = (
            "\ufeffcase_ref;category_code;org_unit_code;start_date;end_date;daily_rate;gender\r\n"
            "BOU-1;HVB-BARN;BOU;2023-03-01;;2703,50;women\r\n"
            "BOU-2;FH-EGEN;FRF;2023-01-10;2023-06-30;600;men\r\n"
        ).encode()
        response = await client.post(
            f"{PLACEMENTS}/batch",
            content=csv,
            headers={**tenant.admin, "content-type": "text/csv; charset=utf-8"},
        )
        assert response.status_code == 200, response.text
        assert response.json()["created"] == 2
        stored = {p["case_ref"]: p for p in await listed(client, tenant, PLACEMENTS)}
        assert stored["BOU-1"]["rates"][0]["daily_rate"] == 2703.5
        assert stored["BOU-2"]["end_date"] == "2023-06-30"

    async def test_providers_by_organisation_number(self, client, tenant, org):
        provider = await client.post(
            "/api/v1/placement-providers",
            json={"name": "Solgläntan HVB AB", "organisation_number": "5566778899"},
            headers=tenant.admin,
        )
        assert provider.status_code == 201, provider.text
        assert provider.json()["organisation_number"] == "556677-8899"
        rows = [
            episode("A", "2023-01-01", provider_org_number="556677-8899"),
            episode("B", "2023-01-01", provider_org_number="556123-4518"),
        ]
        summary = await send(client, tenant.admin, PLACEMENTS, rows, mode="partial")
        assert [(e["index"], e["field"], e["code"]) for e in summary["errors"]] == [
            (1, "provider_org_number", "not_found")
        ]
        [stored] = await listed(client, tenant, PLACEMENTS)
        assert stored["provider_id"] == provider.json()["id"]


class TestAggregateBatch:
    async def test_atomic_partial_and_unchanged(self, client, tenant, org):
        # Issue 21: a year is a period an aggregate may cover now (it was refused as
        # period_not_month); a period that is no period at all is the bad row here.
        rows = [aggregate("2023-01", 31, 31000), aggregate("2023-13", 31, 1)]
        refused = await client.post(f"{AGGREGATES}/batch", json=rows, headers=tenant.admin)
        assert refused.status_code == 422
        assert [(e["field"], e["code"]) for e in refused.json()["errors"]] == [
            ("rows.1.period", "period_format")
        ]
        assert await listed(client, tenant, AGGREGATES) == []

        partial = await send(client, tenant.admin, AGGREGATES, rows, mode="partial")
        assert (partial["created"], partial["rejected"]) == (1, 1)
        assert partial["errors"][0]["key"] == {
            "category": "HVB-BARN",
            "org_unit": "BOU",
            "period": "2023-13",
        }
        again = await send(client, tenant.admin, AGGREGATES, rows[:1])
        assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 1)
        changed = await send(client, tenant.admin, AGGREGATES, [aggregate("2023-01", 31, 32000)])
        assert changed["updated"] == 1
        [stored] = await listed(client, tenant, AGGREGATES)
        assert (stored["period"], stored["care_days"], stored["net_cost"]) == ("2023-01", 31, 32000)
        assert stored["batch_id"] == changed["batch_id"]
        # Issue 18: no per-row audit events for a batch; each batch's changes are its versions.
        events = (
            await client.get(
                "/api/v1/audit-events",
                params={"entity_type": "placement_aggregate"},
                headers=tenant.admin,
            )
        ).json()["items"]
        assert events == []
        changes = []
        for batch in (partial, changed):
            response = await client.get(
                f"/api/v1/import-batches/{batch['batch_id']}/changes", headers=tenant.admin
            )
            changes += response.json()["items"]
        assert [(c["action"], c["batch_id"]) for c in changes] == [
            ("create", partial["batch_id"]),
            ("update", changed["batch_id"]),
        ]
        assert changes[1]["before"]["net_cost"] == "31000.00"
        assert changes[1]["after"]["net_cost"] == "32000.00"

    async def test_checks(self, client, tenant, org):
        rows = [
            aggregate("2023-01", -1, 0),
            aggregate("2023-02", 28, "1.001"),
            aggregate("2023-03", 31, 0, category_id=str(uuid.uuid4())),
            aggregate("2023-04", 30, 0),
            aggregate("2023-04", 30, 0),
        ]
        summary = await send(client, tenant.admin, AGGREGATES, rows, mode="partial")
        assert [(e["index"], e["field"], e["code"]) for e in summary["errors"]] == [
            (0, "care_days", "greater_than_equal"),
            (1, "net_cost", "decimal_max_places"),
            (2, "category_code", "reference"),
            (4, "period", "duplicate_in_request"),
        ]

    async def test_csv(self, client, tenant, org):
        csv = (
            b"category_code;org_unit_code;period;care_days;net_cost\n"
            b"HVB-BARN;BOU;2017-01;248;657 833,33\n"
        )
        response = await client.post(
            f"{AGGREGATES}/batch", content=csv, headers={**tenant.admin, "content-type": "text/csv"}
        )
        assert response.status_code == 200, response.text
        [stored] = await listed(client, tenant, AGGREGATES)
        assert stored["net_cost"] == 657833.33

    async def test_idempotency_key(self, client, tenant, org):
        headers = {**tenant.admin, "Idempotency-Key": f"erp-2023-01-{uuid.uuid4()}"}
        rows = [aggregate("2023-01", 31, 31000)]
        first = await client.post(f"{AGGREGATES}/batch", json=rows, headers=headers)
        replay = await client.post(f"{AGGREGATES}/batch", json=rows, headers=headers)
        assert replay.json() == first.json()
        assert replay.headers["idempotent-replayed"] == "true"
        other = await client.post(
            f"{AGGREGATES}/batch", json=[aggregate("2023-01", 30, 1)], headers=headers
        )
        assert other.status_code == 409


class TestPersonnummer:
    @pytest.mark.parametrize("case_ref", [PERSONNUMMER, "19811218-9876", f"Ärende {PERSONNUMMER}"])
    async def test_a_single_episode_is_refused_without_echo(self, client, tenant, org, case_ref):
        response = await client.post(
            PLACEMENTS, json=episode(case_ref, "2023-01-01"), headers=tenant.admin
        )
        assert response.status_code == 422
        assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [
            ("body.case_ref", "personal_identity_number")
        ]
        assert "811218" not in response.text

    async def test_a_batch_row_is_refused_without_echo_even_in_its_key(self, client, tenant, org):
        rows = [episode(PERSONNUMMER, "2023-01-01"), episode("BOU-7", "2023-01-01")]
        response = await client.post(
            f"{PLACEMENTS}/batch", params={"mode": "partial"}, json=rows, headers=tenant.admin
        )
        summary = response.json()
        assert (summary["created"], summary["rejected"]) == (1, 1)
        assert summary["errors"][0]["code"] == "personal_identity_number"
        assert summary["errors"][0]["key"]["case_ref"] is None
        assert "811218" not in response.text
        csv = f"case_ref;category_code;org_unit_code;start_date;daily_rate\n{PERSONNUMMER};HVB-BARN;BOU;2023-01-01;1\n"
        refused = await client.post(
            f"{PLACEMENTS}/batch",
            content=csv.encode(),
            headers={**tenant.admin, "content-type": "text/csv"},
        )
        assert refused.status_code == 422
        assert "811218" not in refused.text

    async def test_a_sole_traders_organisation_number_is_a_personnummer(self, client, tenant):
        response = await client.post(
            "/api/v1/placement-providers",
            json={"name": "Familjehemmet", "organisation_number": PERSONNUMMER},
            headers=tenant.admin,
        )
        assert response.status_code == 422
        assert response.json()["errors"][0]["code"] == "personal_identity_number"
        assert "811218" not in response.text

    async def test_comments_are_guarded_too(self, client, tenant, org):
        rows = [aggregate("2023-01", 31, 1, comment=f"gäller {PERSONNUMMER}")]
        summary = await refused(client, tenant.admin, AGGREGATES, rows, mode="partial")
        assert summary["errors"][0]["code"] == "personal_identity_number"
