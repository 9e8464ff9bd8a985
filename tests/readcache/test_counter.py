"""The change counter: every write transaction of a municipality moves its number, nothing else
does."""

import uuid

from app.readcache.counter import current_version


async def _versions(db, *tenants) -> list[int]:
    return [await current_version(db.read_engine, t.municipality_id) for t in tenants]


async def test_a_write_moves_its_municipalitys_number_only(app, client, tenant, other_tenant):
    db = app.state.db
    before = await _versions(db, tenant, other_tenant)
    body = {"code": "SN", "name": "Socialnämnden", "kind": "committee", "valid_from": "2020-01-01"}
    created = await client.post("/api/v1/org-units", json=body, headers=tenant.admin)
    assert created.status_code == 201
    assert await _versions(db, tenant, other_tenant) == [before[0] + 1, before[1]]


async def test_a_refused_write_and_a_read_move_nothing(app, client, tenant):
    db = app.state.db
    await client.get("/api/v1/me", headers=tenant.admin)  # settle the key's last_used_at touch
    before = await _versions(db, tenant)
    refused = await client.post("/api/v1/org-units", json={"code": "SN"}, headers=tenant.admin)
    assert refused.status_code == 422
    assert (await client.get("/api/v1/org-units", headers=tenant.admin)).status_code == 200
    assert await _versions(db, tenant) == before


async def test_an_operator_session_in_no_municipality_moves_every_number(app, tenant, other_tenant):
    db = app.state.db
    before = await _versions(db, tenant, other_tenant)
    async with db.session(system=True):
        pass
    assert await _versions(db, tenant, other_tenant) == [before[0] + 1, before[1] + 1]


async def test_a_session_of_no_one_moves_nothing(app, tenant):
    db = app.state.db
    before = await _versions(db, tenant)
    async with db.session():
        pass
    assert await _versions(db, tenant) == before


async def test_a_municipality_never_written_counts_zero(app):
    assert await current_version(app.state.db.read_engine, uuid.uuid4()) == 0
