"""The guard on every channel besides free-text fields (issue 15): codes, query strings, path
segments, the headers the service keeps, token claims, batch-row keys, and the answers and log
lines about a refused request. Each test names the channel that used to leak."""

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.auth.permissions import Role
from tests.budget.conftest import CATEGORIES, make_units
from tests.conftest import JWT_SECRET
from tests.factories import make_jwt
from tests.privacy import ServiceLog, leaked_numbers, variants

NUMBER = "811218-9876"
SOME_VARIANTS = variants(NUMBER)[::3] + variants("121212-1212")[6:8]


def assert_refused_without_trace(response, field: str, log: ServiceLog) -> None:
    assert response.status_code == 422, response.text
    errors = response.json()["errors"]
    assert (field, "personal_identity_number") in [(e["field"], e["code"]) for e in errors]
    assert not leaked_numbers(response.text)
    assert not leaked_numbers(log.text)


@pytest.mark.parametrize("number", SOME_VARIANTS)
async def test_codes_are_guarded(client, tenant, number):
    with ServiceLog() as log:
        unit = {"code": number, "name": "x", "kind": "unit", "valid_from": "2020-01-01"}
        response = await client.post("/api/v1/org-units", json=unit, headers=tenant.admin)
        assert_refused_without_trace(response, "body.code", log)
        category = {"code": "C1", "name": "C", "kind": "cost", "erp_accounts": ["4010", number]}
        response = await client.post(CATEGORIES, json=category, headers=tenant.admin)
        assert_refused_without_trace(response, "body.erp_accounts.1", log)


async def test_a_query_string_is_refused_and_never_reaches_the_export_audit_event(
    client, tenant, app
):
    with ServiceLog() as log:
        for number in SOME_VARIANTS:
            response = await client.get(
                "/api/v1/exports/measurements",
                params={"source_system": number},
                headers=tenant.admin,
            )
            assert_refused_without_trace(response, "query.source_system", log)
    async with app.state.db.session(system=True) as session:
        events = (
            await session.scalars(
                select(AuditEvent).where(AuditEvent.municipality_id == tenant.municipality_id)
            )
        ).all()
    assert not leaked_numbers(" ".join(str(e.after) for e in events))


async def test_a_path_segment_is_refused_and_redacted_in_instance_and_access_log(client, tenant):
    with ServiceLog() as log:
        for path in (
            f"/api/v1/control-plans/00000000-0000-0000-0000-000000000000/points/"
            f"00000000-0000-0000-0000-000000000000/results/{NUMBER}",
            f"/api/v1/org-units/{NUMBER}",
            f"/api/v1/no-such-thing/{NUMBER}",
        ):
            response = await client.get(path, headers=tenant.admin)
            assert response.status_code in {404, 422}, response.text
            assert "[personnummer]" in response.json()["instance"]
            assert not leaked_numbers(response.text)
    assert "[personnummer]" in log.text
    assert not leaked_numbers(log.text)


async def test_an_x_request_id_holding_a_number_is_replaced(client, tenant):
    with ServiceLog() as log:
        for number in SOME_VARIANTS:
            response = await client.get(
                "/api/v1/me", headers={**tenant.admin, "X-Request-ID": number.encode()}
            )
            assert not leaked_numbers(response.headers["x-request-id"])
    assert not leaked_numbers(log.text)


async def test_an_idempotency_key_holding_a_number_is_refused(client, tenant):
    with ServiceLog() as log:
        response = await client.post(
            "/api/v1/measurements/batch",
            json=[{}],
            headers={**tenant.admin, "Idempotency-Key": f"import-{NUMBER}"},
        )
        assert_refused_without_trace(response, "header.Idempotency-Key", log)


async def test_token_claims_kept_as_actor_are_redacted(client, tenant):
    token = make_jwt(
        JWT_SECRET,
        municipality=tenant.code,
        role="editor",
        sub=f"user-{NUMBER}",
        name=f"Anna {variants(NUMBER)[7]}",
    )
    with ServiceLog() as log:
        response = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert response.json()["actor"] == "user:user-[personnummer]"
    assert response.json()["actor_name"] == "Anna [personnummer]"
    assert not leaked_numbers(log.text)


async def test_a_content_type_holding_a_number_is_not_echoed(client, tenant):
    with ServiceLog() as log:
        response = await client.post(
            "/api/v1/org-units",
            content=b"{}",
            headers={**tenant.admin, "Content-Type": f"application/x-{NUMBER}"},
        )
    assert response.status_code == 415
    assert not leaked_numbers(response.text)
    assert not leaked_numbers(log.text)


async def test_a_rejected_batch_row_is_named_by_index_and_clean_key_parts(client, tenant, app):
    await make_units(client, tenant.admin, [("SN", "committee", None), ("AF", "area", "SN")])
    rows = [
        {"indicator_code": "NONE", "org_unit_code": NUMBER, "period": "2023-01", "value": 1},
        {"indicator_code": variants(NUMBER)[9], "org_unit_code": "AF", "period": "2023-01"},
    ]
    editor = await tenant.headers(Role.ADMIN)
    with ServiceLog() as log:
        response = await client.post(
            "/api/v1/measurements/batch", params={"mode": "partial"}, json=rows, headers=editor
        )
        assert not leaked_numbers(response.text)
        errors = response.json()["summary"]["errors"]
        assert {e["index"] for e in errors} == {0, 1}
        refused = [e for e in errors if e["code"] == "personal_identity_number"]
        assert [(e["index"], e["field"]) for e in refused] == [
            (0, "org_unit_code"),
            (1, "indicator_code"),
        ]
        assert refused[0]["key"]["org_unit"] is None
        assert refused[0]["key"]["indicator"] == "NONE"
        csv = f"indicator_code;org_unit_code;period;value\nX;{NUMBER};2023-01;1\n"
        response = await client.post(
            "/api/v1/measurements/batch",
            content=csv.encode(),
            headers={**editor, "content-type": "text/csv"},
        )
        assert response.status_code == 422
        assert not leaked_numbers(response.text)
    assert not leaked_numbers(log.text)
