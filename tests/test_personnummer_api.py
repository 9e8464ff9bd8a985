"""The guard at the API: refused with the field named, never echoed, never logged."""

import logging

import pytest

# 811218-9876: Luhn over 8112189876 → 50, valid. 811278-9873: samordningsnummer (day 18+60).
VALID = ["811218-9876", "8112189876", "19811218-9876", "198112189876", "811278-9873"]
# Same shapes, failing Luhn or the calendar: accepted as ordinary text.
LOOK_ALIKES = ["811218-9875", "811318-9875", "19810229-9875", "0701234567890"]


@pytest.mark.parametrize("number", VALID)
async def test_free_text_with_a_personnummer_is_refused_without_echo(
    client, tenant, caplog, number
):
    caplog.set_level(logging.DEBUG)
    response = await client.post(
        "/api/v1/org-units",
        json={
            "code": "PN",
            "name": f"Ärende {number} gäller",
            "kind": "unit",
            "valid_from": "2020-01-01",
        },
        headers=tenant.admin,
    )
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["field"] == "body.name"
    assert error["code"] == "personal_identity_number"
    assert number not in response.text
    assert any("/api/v1/org-units" in str(r.msg) for r in caplog.records), "log capture works"
    assert number not in caplog.text
    assert all(number not in str(record.__dict__) for record in caplog.records)


@pytest.mark.parametrize("text", LOOK_ALIKES)
async def test_look_alikes_are_accepted(client, tenant, text):
    response = await client.post(
        "/api/v1/org-units",
        json={"code": "LA", "name": f"Faktura {text}", "kind": "unit", "valid_from": "2020-01-01"},
        headers=tenant.admin,
    )
    assert response.status_code == 201, response.text


async def test_the_guard_covers_updates_and_key_names(client, tenant):
    created = await client.post(
        "/api/v1/org-units",
        json={"code": "G", "name": "ok", "kind": "unit", "valid_from": "2020-01-01"},
        headers=tenant.admin,
    )
    patched = await client.patch(
        f"/api/v1/org-units/{created.json()['id']}",
        json={"name": "811218-9876"},
        headers=tenant.admin,
    )
    assert patched.status_code == 422
    key = await client.post(
        "/api/v1/api-keys", json={"name": "key 811218-9876", "role": "viewer"}, headers=tenant.admin
    )
    assert key.status_code == 422
    assert "811218-9876" not in key.text
