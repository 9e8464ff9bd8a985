"""On PostgreSQL the CSV of measurements is written by COPY; it must be the bytes Python writes.

The Python path is the reference (app.exports.formats): the same export is taken once through
COPY and once with the kind's statement hidden, which sends it through the Python writer, for
values chosen to catch every formatting rule — decimals with and without trailing zeros, a
ratio, text with the delimiter, quotes, a line break and Swedish letters, an empty optional
field, a timestamp on a whole second and one with microseconds, a batch id and none.
"""

import dataclasses

import pytest
from sqlalchemy import text

from app.db import Database
from app.exports import kinds, service
from app.exports.pgcopy import CsvRowCounter, copy_csv
from app.settings import Settings
from tests.exports.test_exports import EXPORTS


@pytest.fixture
def on_postgres(app):
    if app.state.db.engine.dialect.name != "postgresql":
        pytest.skip("COPY is PostgreSQL's; SQLite always takes the Python path")


@pytest.fixture
async def tricky(app, client, tenant, data, on_postgres, settings):
    h = tenant.admin
    ratio = await client.post(
        "/api/v1/indicators",
        json={
            "code": "SJUK",
            "title": "Sjukfrånvaro, andel (%)",
            "unit": "percent",
            "polarity": "lower_is_better",
            "periodicity": "month",
            "aggregation": "ratio",
            "valid_from_year": 2023,
        },
        headers=h,
    )
    assert ratio.status_code == 201, ratio.text
    unit = data["unit"]["id"]
    bodies = [
        {
            "indicator_id": ratio.json()["id"],
            "period": "2023-01",
            "numerator": "12.5",
            "denominator": 400,
        },
        {
            "indicator_id": data["indicator"]["id"],
            "period": "2023-04",
            "value": "0.000001",
            "comment": 'Rad; med "citat", komma\noch radbrytning — åäö',
        },
        {"indicator_id": data["indicator"]["id"], "period": "2023-05", "value": 100},
    ]
    for body in bodies:
        response = await client.put(
            "/api/v1/measurements", json={"org_unit_id": unit, **body}, headers=h
        )
        assert response.status_code == 201, response.text
    batch = [
        {"indicator_code": "SN-4.1.2", "org_unit_code": "SKÅ", "period": "2023-06", "value": "7.50"}
    ]
    landed = await client.post("/api/v1/measurements/batch", json=batch, headers=h)
    assert landed.status_code == 200, landed.text
    # Versions are append-only (issue 18); this fixture alone rewrites one, on a test database,
    # as the schema owner (the service's role may not touch a trigger) and with the guard lifted
    # for the one statement.
    owner = Database(Settings(database_url=settings.migrations_url))
    try:
        async with owner.session(system=True) as session:
            guard = "measurement_version_append_only"
            await session.execute(text(f"ALTER TABLE measurement_version DISABLE TRIGGER {guard}"))
            await session.execute(
                text(
                    "UPDATE measurement_version SET sys_from = date_trunc('second', sys_from) "
                    "WHERE value = 100"
                )
            )
            await session.execute(text(f"ALTER TABLE measurement_version ENABLE TRIGGER {guard}"))
            await session.commit()
    finally:
        await owner.dispose()


def python_path(monkeypatch):
    """Hide the kind's statement: the export goes through the Python writer."""
    hidden = dataclasses.replace(kinds.KINDS["measurements"], select=None)
    monkeypatch.setitem(kinds.KINDS, "measurements", hidden)


@pytest.mark.parametrize(("delimiter", "bom"), [(",", "true"), (";", "true"), (";", "false")])
async def test_copy_writes_the_bytes_python_writes(
    client, tenant, tricky, monkeypatch, delimiter, bom
):
    copies = []

    def spy(*args):
        copies.append(args)
        return copy_csv(*args)

    monkeypatch.setattr(service, "copy_csv", spy)
    params = {"format": "csv", "delimiter": delimiter, "bom": bom}
    copied = await client.get(f"{EXPORTS}/measurements", params=params, headers=tenant.admin)
    assert copied.status_code == 200, copied.text
    assert len(copies) == 1
    as_of = {**params, "as_of": copied.headers["x-export-as-of"]}
    manifest = (
        await client.get(f"{EXPORTS}/measurements/manifest", params=as_of, headers=tenant.admin)
    ).json()
    python_path(monkeypatch)
    written = await client.get(f"{EXPORTS}/measurements", params=as_of, headers=tenant.admin)
    assert len(copies) == 2  # the manifest copied too; the Python path did not
    assert copied.content == written.content
    assert "7,5" in written.text if delimiter == ";" else "7.5" in written.text
    assert '"Rad; med ""citat"", komma\noch radbrytning — åäö"' in written.text
    assert manifest["row_count"] == 7  # 3 + 4, the line break inside quotes not counted
    python_manifest = (
        await client.get(f"{EXPORTS}/measurements/manifest", params=as_of, headers=tenant.admin)
    ).json()
    assert (manifest["sha256"], manifest["row_count"]) == (
        python_manifest["sha256"],
        python_manifest["row_count"],
    )


async def test_copy_is_scoped_to_the_municipality(client, tenant, other_tenant, tricky):
    theirs = await client.get(
        f"{EXPORTS}/measurements", params={"format": "csv"}, headers=other_tenant.admin
    )
    assert theirs.status_code == 200
    assert theirs.content.count(b"\n") == 1  # the header only


def test_row_counter_counts_line_ends_outside_quotes_across_chunks():
    counter = CsvRowCounter()
    for chunk in (b'a,"x\n', b'y""', b'z"\nb,c\n', b'"', b'\n"\n'):
        counter.feed(chunk)
    # Rows: a,"x⏎y""z" | b,c | "⏎" — three, whatever the chunking.
    assert counter.rows == 3
