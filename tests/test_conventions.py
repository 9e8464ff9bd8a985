"""HTTP conventions clients expect (issue 19): ETag and preconditions, Location, Retry-After,
gzip, HEAD, the per-credential rate limit and CORS' exposed headers."""

from httpx import ASGITransport, AsyncClient

from app.conventions import TokenBuckets, accepts, strong_etag
from app.main import create_app

BASE = "/api/v1/org-units"


async def _unit(client, headers, code="SN"):
    body = {"code": code, "name": f"Nämnd {code}", "kind": "committee", "valid_from": "2019-01-01"}
    response = await client.post(BASE, json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response


async def test_a_create_answers_201_with_the_location_of_what_it_created(client, tenant):
    created = await _unit(client, tenant.admin)
    location = created.headers["location"]
    assert location == f"{BASE}/{created.json()['id']}"
    assert (await client.get(location, headers=tenant.admin)).status_code == 200


async def test_a_put_that_creates_answers_its_own_url_as_location(client, tenant):
    unit = (await _unit(client, tenant.admin)).json()
    indicator = await client.post(
        "/api/v1/indicators",
        json={
            "title": "Nöjdhet",
            "code": "NKI",
            "unit": "percent",
            "polarity": "higher_is_better",
            "periodicity": "year",
            "aggregation": "mean",
            "valid_from_year": 2023,
        },
        headers=tenant.admin,
    )
    assert indicator.status_code == 201
    url = f"/api/v1/indicators/{indicator.json()['id']}/targets/2023"
    target = await client.put(url, json={"kind": "at_least", "value": 80}, headers=tenant.admin)
    assert target.status_code == 201, target.text
    assert target.headers["location"] == url
    measured = await client.put(
        "/api/v1/measurements",
        json={
            "indicator_id": indicator.json()["id"],
            "org_unit_id": unit["id"],
            "period": "2023",
            "value": 81,
        },
        headers=tenant.admin,
    )
    assert measured.status_code == 201, measured.text
    assert measured.headers["location"] == f"/api/v1/measurements/{measured.json()['id']}"


async def test_a_single_resource_carries_a_strong_etag_of_its_body(client, tenant):
    unit = (await _unit(client, tenant.admin)).json()
    read = await client.get(f"{BASE}/{unit['id']}", headers=tenant.admin)
    etag = read.headers["etag"]
    assert etag == strong_etag(read.content)
    assert not etag.startswith("W/")
    renamed = await client.patch(
        f"{BASE}/{unit['id']}", json={"name": "Ny nämnd"}, headers=tenant.admin
    )
    assert renamed.headers["etag"] == strong_etag(renamed.content) != etag
    # A list is not a single resource; it carries none.
    assert "etag" not in (await client.get(BASE, headers=tenant.admin)).headers


async def test_if_none_match_on_get_answers_304_without_a_body(client, tenant):
    unit = (await _unit(client, tenant.admin)).json()
    url = f"{BASE}/{unit['id']}"
    etag = (await client.get(url, headers=tenant.admin)).headers["etag"]
    same = await client.get(url, headers={**tenant.admin, "If-None-Match": etag})
    assert same.status_code == 304
    assert same.content == b""
    assert same.headers["etag"] == etag
    stale = await client.get(url, headers={**tenant.admin, "If-None-Match": '"other"'})
    assert stale.status_code == 200


async def test_a_stale_if_match_is_a_412_and_nothing_is_overwritten(client, tenant):
    """Two editors read the unit; the first renames it; the second, with the ETag it read,
    must not overwrite the first's change (the lost update of issue 19)."""
    unit = (await _unit(client, tenant.admin)).json()
    url = f"{BASE}/{unit['id']}"
    etag = (await client.get(url, headers=tenant.admin)).headers["etag"]
    first = await client.patch(
        url, json={"name": "Första"}, headers={**tenant.admin, "If-Match": etag}
    )
    assert first.status_code == 200, first.text
    second = await client.patch(
        url, json={"name": "Andra"}, headers={**tenant.admin, "If-Match": etag}
    )
    assert second.status_code == 412
    assert second.headers["content-type"] == "application/problem+json"
    assert second.json()["type"].endswith("/precondition-failed")
    assert (await client.get(url, headers=tenant.admin)).json()["name"] == "Första"
    fresh = first.headers["etag"]
    third = await client.patch(
        url, json={"name": "Tredje"}, headers={**tenant.admin, "If-Match": fresh}
    )
    assert third.status_code == 200


async def test_if_match_on_delete_and_on_a_missing_resource(client, tenant):
    unit = (await _unit(client, tenant.admin)).json()
    url = f"{BASE}/{unit['id']}"
    refused = await client.delete(url, headers={**tenant.admin, "If-Match": '"stale"'})
    assert refused.status_code == 412
    assert (await client.get(url, headers=tenant.admin)).status_code == 200
    missing = f"{BASE}/00000000-0000-4000-8000-000000000000"
    # A change that would fail anyway answers its own failure (RFC 9110 §13.2.2): 404 here.
    gone = await client.patch(
        missing, json={"name": "x"}, headers={**tenant.admin, "If-Match": "*"}
    )
    assert gone.status_code == 404
    # On an existing resource a stale tag is a 412, whatever else the request holds.
    indicator = await client.post(
        "/api/v1/indicators",
        json={
            "title": "Nöjdhet",
            "code": "NKI",
            "unit": "percent",
            "polarity": "higher_is_better",
            "periodicity": "year",
            "aggregation": "mean",
            "valid_from_year": 2023,
        },
        headers=tenant.admin,
    )
    result = f"/api/v1/indicators/{indicator.json()['id']}"
    stale = await client.patch(
        result, json={"title": "Ny"}, headers={**tenant.admin, "If-Match": '"x"'}
    )
    assert stale.status_code == 412


async def test_head_answers_wherever_get_does_without_a_body(client, tenant):
    unit = (await _unit(client, tenant.admin)).json()
    for url in (f"{BASE}/{unit['id']}", BASE, "/api/v1/exports/measurements", "/health/live"):
        get = await client.get(url, headers=tenant.admin)
        head = await client.head(url, headers=tenant.admin)
        assert head.status_code == get.status_code == 200, url
        assert head.content == b""
        assert head.headers["content-type"] == get.headers["content-type"]


async def test_head_on_a_large_streamed_export_sends_headers_only(client, tenant):
    for n in range(30):
        await _unit(client, tenant.admin, code=f"U{n:02d}")
    url = "/api/v1/exports/audit-events"
    get = await client.get(url, headers={**tenant.admin, "Accept-Encoding": "identity"})
    assert len(get.content) > 5000  # large enough to be gzipped
    request = client.build_request("HEAD", url, headers={**tenant.admin, "Accept-Encoding": "gzip"})
    head = await client.send(request, stream=True)
    raw = b"".join([chunk async for chunk in head.aiter_raw()])
    assert head.status_code == 200
    assert raw == b""  # not even an empty gzip stream
    assert head.headers["content-disposition"].startswith("attachment")


async def test_large_answers_are_gzipped_for_clients_that_accept_it(client, tenant):
    for n in range(30):
        await _unit(client, tenant.admin, code=f"U{n:02d}")
    plain = await client.get(
        BASE, params={"limit": 30}, headers={**tenant.admin, "Accept-Encoding": "identity"}
    )
    zipped = await client.get(
        BASE, params={"limit": 30}, headers={**tenant.admin, "Accept-Encoding": "gzip"}
    )
    assert "content-encoding" not in plain.headers
    assert zipped.headers["content-encoding"] == "gzip"
    assert "Accept-Encoding" in zipped.headers["vary"]
    assert zipped.content == plain.content  # httpx decodes
    assert int(zipped.headers["content-length"]) < len(plain.content) / 3
    # A small answer is not worth compressing.
    small = await client.get("/health/live", headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in small.headers


async def test_a_gzipped_single_resource_names_the_encoding_in_its_etag(client, tenant):
    long = "x" * 3000
    unit = (await _unit(client, tenant.admin)).json()
    url = f"{BASE}/{unit['id']}"
    await client.patch(url, json={"name": long[:200]}, headers=tenant.admin)
    goal = await client.post(
        "/api/v1/goals",
        json={
            "title": "Trygg vård",
            "description": long,
            "level": "committee",
            "code": "G1",
            "owner_id": unit["id"],
            "valid_from_year": 2023,
            "valid_to_year": 2026,
        },
        headers=tenant.admin,
    )
    assert goal.status_code == 201, goal.text
    goal_url = f"/api/v1/goals/{goal.json()['id']}"
    read = await client.get(goal_url, headers={**tenant.admin, "Accept-Encoding": "gzip"})
    assert read.headers["content-encoding"] == "gzip"
    etag = read.headers["etag"]
    assert etag == strong_etag(read.content)[:-1] + '-gzip"'
    # Either form matches: the representation is the same.
    again = await client.get(goal_url, headers={**tenant.admin, "If-None-Match": etag})
    assert again.status_code == 304
    changed = await client.patch(
        goal_url, json={"title": "Tryggare vård"}, headers={**tenant.admin, "If-Match": etag}
    )
    assert changed.status_code == 200, changed.text


def test_token_buckets_allow_the_rate_and_say_how_long_to_wait():
    buckets = TokenBuckets(per_minute=3)
    assert [buckets.take(b"k") for _ in range(3)] == [0.0, 0.0, 0.0]
    wait = buckets.take(b"k")
    assert 19 < wait <= 20  # one token a 20 s
    assert buckets.take(b"other") == 0.0


async def test_a_credential_over_its_rate_gets_429_with_retry_after(settings, tenant):
    limited = create_app(settings.model_copy(update={"rate_limit_per_minute": 2}))
    transport = ASGITransport(app=limited, raise_app_exceptions=False)
    async with AsyncClient(transport=transport, base_url="http://test") as http:
        answers = [await http.get(BASE, headers=tenant.admin) for _ in range(3)]
        other = await http.get(BASE, headers={"X-API-Key": "sk_other"})
    await limited.state.db.dispose()
    assert [a.status_code for a in answers] == [200, 200, 429]
    assert answers[2].headers["content-type"] == "application/problem+json"
    assert int(answers[2].headers["retry-after"]) == 30
    assert other.status_code == 401  # another credential has its own bucket


async def test_every_503_carries_retry_after(settings):
    broken = create_app(
        settings.model_copy(
            update={"database_url": "sqlite+aiosqlite:////proc/self/styrkort-gone.sqlite3"}
        )
    )
    transport = ASGITransport(app=broken, raise_app_exceptions=False)
    async with AsyncClient(transport=transport, base_url="http://test") as http:
        ready = await http.get("/health/ready")
    await broken.state.db.dispose()
    assert ready.status_code == 503
    assert ready.headers["retry-after"] == "2"


async def test_cors_exposes_the_headers_a_browser_client_reads(settings):
    browser = create_app(settings.model_copy(update={"cors_origins": ["https://app.example"]}))
    transport = ASGITransport(app=browser, raise_app_exceptions=False)
    async with AsyncClient(transport=transport, base_url="http://test") as http:
        answer = await http.get("/health/live", headers={"Origin": "https://app.example"})
    await browser.state.db.dispose()
    exposed = {
        h.strip().lower() for h in answer.headers["access-control-expose-headers"].split(",")
    }
    assert {
        "x-request-id",
        "etag",
        "location",
        "retry-after",
        "content-disposition",
        "content-digest",
        "repr-digest",
        "x-export-as-of",
        "idempotent-replayed",
    } <= exposed


def test_accept_ranges_match_by_specificity_and_q():
    assert accepts("text/csv", "text/csv")
    assert accepts("text/*;q=0.5, application/json", "text/csv")
    assert accepts("*/*", "application/pdf")
    assert not accepts("application/xml", "text/csv")
    assert not accepts("text/csv;q=0, */*", "text/csv")  # the specific range refuses
    assert accepts("text/csv; charset=utf-8", "text/csv")  # parameters do not matter


async def test_an_export_refuses_with_406_what_accept_does_not_admit(client, tenant):
    url = "/api/v1/exports/measurements"
    xml = await client.get(url, headers={**tenant.admin, "Accept": "application/xml"})
    assert xml.status_code == 406
    assert xml.headers["content-type"] == "application/problem+json"
    assert "text/csv" in xml.json()["detail"]
    csv = await client.get(url, headers={**tenant.admin, "Accept": "text/csv"})
    assert csv.status_code == 200
    assert csv.headers["content-type"].startswith("text/csv")
    xlsx_as_csv = await client.get(
        url, params={"format": "xlsx"}, headers={**tenant.admin, "Accept": "text/csv"}
    )
    assert xlsx_as_csv.status_code == 406
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    download = await client.get(
        url, params={"format": "xlsx"}, headers={**tenant.admin, "Accept": browser}
    )
    assert download.status_code == 200
    ivo = await client.get(
        "/api/v1/unexecuted-decisions/ivo-report",
        params={"quarter": "2019-Q4"},
        headers={**tenant.admin, "Accept": "text/csv"},
    )
    assert ivo.status_code == 406  # JSON unless format=csv
    # Operations with one media type do not negotiate.
    assert (
        await client.get(BASE, headers={**tenant.admin, "Accept": "text/csv"})
    ).status_code == 200
