"""The committee report: the scorecard's numbers, in a file a committee reads."""

import base64
import hashlib
import io

import openpyxl

from tests.scorecard.test_scorecard import build_plan

REPORT = "/api/v1/exports/committee-report"


async def test_xlsx_has_a_sheet_per_section_with_the_scorecards_numbers(client, tenant):
    units, _ = await build_plan(client, tenant.admin)
    params = {"org_unit_id": units["SN"], "period": "2023-06"}
    response = await client.get(REPORT, params=params, headers=tenant.admin)
    assert response.status_code == 200, response.text
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Summary", "Scorecard", "Budget", "Placements"]
    summary = list(book["Summary"].iter_rows(values_only=True))
    # From the hand-worked plan of tests/scorecard: goals 1 green, 2 yellow; indicators 3/2/0/1.
    assert summary[1:] == [("goals", 1, 2, 0, 0, 3), ("indicators", 3, 2, 0, 1, 6)]
    lines = list(book["Scorecard"].iter_rows(values_only=True))
    sick = next(line for line in lines if line[4] == "SICK")
    assert (sick[6], sick[10], sick[13]) == ("yellow", 20, 2)
    assert sick[15].startswith("Yellow: actual 20; expected at most 18")


async def test_json_and_reproducible_with_as_of(client, tenant):
    units, _ = await build_plan(client, tenant.admin)
    params = {"org_unit_id": units["SN"], "period": "2023-06", "format": "json"}
    first = await client.get(REPORT, params=params, headers=tenant.admin)
    as_of = first.headers["x-export-as-of"]
    again = await client.get(REPORT, params={**params, "as_of": as_of}, headers=tenant.admin)
    assert first.content == again.content
    digest = base64.b64encode(hashlib.sha256(first.content).digest()).decode()
    # Repr-Digest is over the representation, gzipped or not; Content-Digest is over the bytes
    # sent, so it is sent only when they are not encoded (RFC 9530; issue 19).
    assert first.headers["repr-digest"] == f"sha-256=:{digest}:"
    body = first.json()
    assert body["as_of"] == as_of  # ends in Z, as the times inside and the header
    assert body["org_unit"]["code"] == "SN"
    assert body["scorecard"]["goals"]["total"] == 3
    assert body["placements"]["total"]["care_days"] is None  # no placement data: unknown, not 0
    assert body["budget"]["org_unit"]["code"] == "SN"
    events = (
        await client.get(
            "/api/v1/audit-events", params={"entity_type": "export"}, headers=tenant.admin
        )
    ).json()
    assert [e["entity_id"] for e in events["items"]] == ["committee-report", "committee-report"]
    plain = await client.get(
        REPORT,
        params={**params, "as_of": as_of},
        headers={**tenant.admin, "Accept-Encoding": "identity"},
    )
    assert plain.headers["content-digest"] == f"sha-256=:{digest}:"


async def test_another_municipalitys_committee_is_404(client, tenant, other_tenant):
    units, _ = await build_plan(client, tenant.admin)
    response = await client.get(
        REPORT, params={"org_unit_id": units["SN"], "period": "2023-06"}, headers=other_tenant.admin
    )
    assert response.status_code == 404
