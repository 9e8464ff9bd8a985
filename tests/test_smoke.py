async def test_admin_key_reads_who_it_is(client, tenant):
    response = await client.get("/api/v1/me", headers=tenant.admin)
    assert response.status_code == 200
    body = response.json()
    assert body["municipality_code"] == tenant.code
    assert body["role"] == "admin"
