async def test_admin_key_reads_who_it_is(client, tenant):
    response = await client.get("/api/v1/me", headers=tenant.admin)
    assert response.status_code == 200
    body = response.json()
    assert body["municipality_code"] == tenant.code
    assert body["role"] == "admin"


def test_ids_made_in_one_millisecond_still_sort_in_order():
    from app.db import uuid7

    ids = [uuid7() for _ in range(5000)]
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)
    assert {i.version for i in ids} == {7}
