"""Benchmark: 100 000 measurements through ``POST /api/v1/measurements/batch``.

    scripts/bench ingest        (BENCH_ROWS, BENCH_BATCH to resize)

On PostgreSQL and on SQLite, in 10 000-row batches through the real ASGI app (validation,
versioning, audit events and all), beside the ceiling for the same rows on the same engine,
measured in the same run:

* PostgreSQL: raw asyncpg ``COPY`` into a staging table + ``INSERT … SELECT … ON CONFLICT``;
* SQLite: stdlib ``sqlite3`` ``executemany`` of the same upsert.

Prints rows/s for both and their ratio. The ceiling writes one narrow table; the endpoint writes
two rows per value (the key row, pointing at its current version, and the immutable version,
which carries the batch id and is the value's before/after) plus one audit event and one
import-batch row per batch (issue 18; until then it was also one audit event per value), and
checks every row, so the ratio is the price of what the service guarantees. To tell that price
from our own overhead, a third figure, the *floor*, writes those rows (all but the one
import-batch row per batch) into the real tables (their indexes, foreign keys, constraints and
triggers) the fastest raw way the engine has — COPY
on PostgreSQL, ``executemany`` on SQLite, rows built before the clock starts, no validation — so
``floor / ceiling`` is the best ratio any implementation of these guarantees could reach on this
machine.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import sqlite3
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import asyncpg
import orjson
from httpx import ASGITransport, AsyncClient
from sqlalchemy.engine import make_url

from app.auth import service as api_keys
from app.auth.deps import system_ctx
from app.auth.permissions import Role
from app.auth.schemas import ApiKeyCreate
from app.cli import alembic_config
from app.db import uuid7
from app.main import create_app
from app.municipalities.service import ensure
from app.periods import Period
from app.settings import Settings

ROWS = int(os.environ.get("BENCH_ROWS", "100000"))
BATCH = int(os.environ.get("BENCH_BATCH", "10000"))
INDICATORS, UNITS = 100, 50
MONTHS = [f"{y}-{m:02d}" for y in range(2019, 2024) for m in range(1, 13)]


def rows() -> Iterator[dict[str, Any]]:
    """Indicators × units × months, as many as ROWS asks for."""
    n = 0
    for period in MONTHS:
        for u in range(UNITS):
            for i in range(INDICATORS):
                if n == ROWS:
                    return
                n += 1
                yield {
                    "indicator_code": f"I{i:03d}",
                    "org_unit_code": f"U{u:02d}",
                    "period": period,
                    "value": str((i * 7 + u * 3 + n) % 1000),
                    "source_system": "bench",
                }


def batches() -> list[list[dict[str, Any]]]:
    everything = list(rows())
    return [everything[i : i + BATCH] for i in range(0, len(everything), BATCH)]


async def _setup(app: Any) -> str:
    db = app.state.db
    async with db.session(system=True) as session:
        municipality, _ = await ensure(session, "9998", "Benchmark")
        ctx = system_ctx(session, municipality.id, municipality.code)
        key = (await api_keys.create(ctx, ApiKeyCreate(name="bench", role=Role.ADMIN))).key
    transport = ASGITransport(app=app)
    async with AsyncClient(transport=transport, base_url="http://bench") as client:
        h = {"X-API-Key": key}
        for u in range(UNITS):
            unit_body = {
                "code": f"U{u:02d}",
                "name": f"Enhet {u}",
                "kind": "unit",
                "valid_from": "2019-01-01",
            }
            (await client.post("/api/v1/org-units", json=unit_body, headers=h)).raise_for_status()
        for i in range(INDICATORS):
            body: dict[str, object] = {
                "code": f"I{i:03d}",
                "title": f"Indikator {i}",
                "unit": "count",
                "polarity": "higher_is_better",
                "periodicity": "month",
                "aggregation": "mean",
                "valid_from_year": 2019,
            }
            (await client.post("/api/v1/indicators", json=body, headers=h)).raise_for_status()
    return key


async def through_the_api(url: str) -> float:
    app = create_app(Settings(database_url=url, log_level="WARNING"))
    key = await _setup(app)
    payloads = [orjson.dumps(b) for b in batches()]
    transport = ASGITransport(app=app)
    async with AsyncClient(transport=transport, base_url="http://bench", timeout=600) as client:
        headers = {"X-API-Key": key, "content-type": "application/json"}
        started = time.perf_counter()
        for payload in payloads:
            response = await client.post(
                "/api/v1/measurements/batch", content=payload, headers=headers
            )
            response.raise_for_status()
            assert response.json()["created"] > 0
        elapsed = time.perf_counter() - started
    await app.state.db.dispose()
    return ROWS / elapsed


CEILING_TABLE = """CREATE TABLE IF NOT EXISTS bench_ceiling (
    indicator_code TEXT, org_unit_code TEXT, period TEXT, gender TEXT, value NUMERIC,
    PRIMARY KEY (indicator_code, org_unit_code, period, gender))"""


def _tuples(batch: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return [
        (r["indicator_code"], r["org_unit_code"], r["period"], "total", r["value"]) for r in batch
    ]


async def postgres_ceiling(url: str) -> float:
    u = make_url(url)
    conn = await asyncpg.connect(
        user=u.username, password=u.password, host=u.host, port=u.port, database=u.database
    )
    await conn.execute(CEILING_TABLE)
    work = [_tuples(b) for b in batches()]
    started = time.perf_counter()
    for batch in work:
        async with conn.transaction():
            await conn.execute(
                "CREATE TEMP TABLE staging (indicator_code TEXT, org_unit_code TEXT, "
                "period TEXT, gender TEXT, value NUMERIC) ON COMMIT DROP"
            )
            await conn.copy_records_to_table("staging", records=batch)
            await conn.execute(
                "INSERT INTO bench_ceiling SELECT * FROM staging ON CONFLICT "
                "(indicator_code, org_unit_code, period, gender) DO UPDATE SET value = "
                "EXCLUDED.value"
            )
    elapsed = time.perf_counter() - started
    await conn.close()
    return ROWS / elapsed


def sqlite_ceiling(path: Path) -> float:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute(CEILING_TABLE)
    work = [_tuples(b) for b in batches()]
    started = time.perf_counter()
    for batch in work:
        with conn:
            conn.executemany(
                "INSERT INTO bench_ceiling VALUES (?, ?, ?, ?, ?) ON CONFLICT "
                "(indicator_code, org_unit_code, period, gender) DO UPDATE SET value = "
                "excluded.value",
                batch,
            )
    elapsed = time.perf_counter() - started
    conn.close()
    return ROWS / elapsed


# The floor: the endpoint's own rows, written raw — per value a key row and a version, per batch one
# audit event. Its periods lie 20 years after the endpoint's, so its keys are new ones in the same
# tables and the same tenant.
FLOOR_YEARS = 20
MEASUREMENT_COLUMNS = (
    "id", "municipality_id", "indicator_id", "org_unit_id", "period", "period_start",
    "period_end", "gender", "created_at", "current_version_id",
)  # fmt: skip
VERSION_COLUMNS = (
    "id", "municipality_id", "measurement_id", "value", "numerator", "denominator", "status",
    "source_system", "comment", "deleted", "recorded_by", "batch_id", "sys_from",
)  # fmt: skip
AUDIT_COLUMNS = (
    "id", "municipality_id", "occurred_at", "actor", "actor_name", "entity_type", "entity_id",
    "action", "before", "after", "request_id", "batch_id",
)  # fmt: skip
FLOOR_TABLES = (
    ("measurement", MEASUREMENT_COLUMNS),
    ("measurement_version", VERSION_COLUMNS),
    ("audit_event", AUDIT_COLUMNS),
)
Records = tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], list[tuple[Any, ...]]]


def floor_records(
    batch: list[dict[str, Any]],
    tenant: Any,
    indicators: dict[str, Any],
    units: dict[str, Any],
    as_id: Any,
    as_time: Any,
) -> Records:
    """One batch's key and version rows and its one audit event, in each table's column order."""
    now = as_time(dt.datetime.now(dt.UTC))
    measurements, versions = [], []
    for row in batch:
        year, month = row["period"].split("-")
        period = Period.parse(f"{int(year) + FLOOR_YEARS}-{month}")
        measurement_id, version_id = uuid7(), uuid7()
        measurements.append(
            (as_id(measurement_id), tenant, indicators[row["indicator_code"]],
             units[row["org_unit_code"]], str(period), period.start.isoformat(),
             period.end.isoformat(), "total", now, as_id(version_id))
        )  # fmt: skip
        versions.append(
            (as_id(version_id), tenant, as_id(measurement_id), row["value"], None, None, "final",
             "bench", None, False, "api-key:bench", None, now)
        )  # fmt: skip
    summary = {"endpoint": "/api/v1/measurements/batch", "kind": "measurements",
               "mode": "atomic", "received": len(batch), "created": len(batch), "updated": 0,
               "unchanged": 0, "rejected": 0, "rows_sha256": "0" * 64}  # fmt: skip
    event = (as_id(uuid7()), tenant, now, "api-key:bench", "bench", "import_batch",
             str(uuid7()), "import", None, json.dumps(summary), None, None)  # fmt: skip
    return measurements, versions, [event]


async def postgres_floor(url: str) -> float:
    u = make_url(url)
    conn = await asyncpg.connect(
        user=u.username, password=u.password, host=u.host, port=u.port, database=u.database
    )
    tenant = await conn.fetchval("SELECT id FROM municipality WHERE code = '9998'")
    indicators = dict(await conn.fetch("SELECT code, id FROM indicator"))
    units = dict(await conn.fetch("SELECT code, id FROM org_unit"))
    work = [
        floor_records(b, tenant, indicators, units, lambda i: i, lambda t: t) for b in batches()
    ]
    for measurements, _, _ in work:  # asyncpg's binary COPY takes dates, not ISO strings
        measurements[:] = [
            (*m[:5], dt.date.fromisoformat(m[5]), dt.date.fromisoformat(m[6]), *m[7:])
            for m in measurements
        ]
    started = time.perf_counter()
    for batch_records in work:
        async with conn.transaction():
            for (table, columns), records in zip(FLOOR_TABLES, batch_records, strict=True):
                await conn.copy_records_to_table(table, records=records, columns=columns)
    elapsed = time.perf_counter() - started
    await conn.close()
    return ROWS / elapsed


def sqlite_floor(path: Path) -> float:
    """Stored as SQLAlchemy stores them on SQLite: UUIDs as 32 hex digits, times as text."""
    conn = sqlite3.connect(path)
    for pragma in ("journal_mode=WAL", "foreign_keys=ON", "synchronous=NORMAL"):
        conn.execute(f"PRAGMA {pragma}")
    tenant = conn.execute("SELECT id FROM municipality WHERE code = '9998'").fetchone()[0]
    indicators = dict(conn.execute("SELECT code, id FROM indicator").fetchall())
    units = dict(conn.execute("SELECT code, id FROM org_unit").fetchall())
    work = [
        floor_records(
            b, tenant, indicators, units, lambda i: i.hex, lambda t: t.isoformat(" ")[:26]
        )
        for b in batches()
    ]
    inserts = [
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"  # noqa: S608 (this module's own names)
        for table, columns in FLOOR_TABLES
    ]
    started = time.perf_counter()
    for batch_records in work:
        with conn:
            for insert, records in zip(inserts, batch_records, strict=True):
                conn.executemany(insert, records)
    elapsed = time.perf_counter() - started
    conn.close()
    return ROWS / elapsed


def _migrate(url: str) -> None:
    from alembic import command

    os.environ["STYRKORT_DATABASE_URL"] = url
    command.upgrade(alembic_config(), "head")


def report(engine: str, api: float, floor: float, ceiling: float) -> None:
    print(
        f"  {engine:10} endpoint {api:9.0f} rows/s   floor {floor:9.0f} rows/s   "
        f"ceiling {ceiling:9.0f} rows/s   ratio {api / ceiling:5.2f}   "
        f"floor/ceiling {floor / ceiling:5.2f}   endpoint/floor {api / floor:5.2f}"
    )


def main() -> None:
    print(f"{ROWS} rows in batches of {BATCH}:")
    pg_url = os.environ["STYRKORT_DATABASE_URL"]
    _migrate(pg_url)
    pg_api = asyncio.run(through_the_api(pg_url))
    pg_floor = asyncio.run(postgres_floor(pg_url))
    pg_ceiling = asyncio.run(postgres_ceiling(pg_url))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.sqlite3"
        sqlite_url = f"sqlite+aiosqlite:///{path}"
        _migrate(sqlite_url)
        sqlite_api = asyncio.run(through_the_api(sqlite_url))
        lite_floor = sqlite_floor(path)
        lite_ceiling = sqlite_ceiling(Path(tmp) / "ceiling.sqlite3")
    report("PostgreSQL", pg_api, pg_floor, pg_ceiling)
    report("SQLite", sqlite_api, lite_floor, lite_ceiling)


if __name__ == "__main__":
    main()
