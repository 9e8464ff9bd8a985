"""Benchmark: 1 000 000 measurements exported as CSV through ``GET /api/v1/exports/measurements``.

    scripts/bench export        (BENCH_EXPORT_ROWS to resize)

On PostgreSQL, over HTTP from a uvicorn server (the client discards the bytes), beside the ceiling
measured in the same run: ``COPY (SELECT …) TO STDOUT`` of the same columns via asyncpg's
``copy_from_query`` into a null sink. Prints rows/s, the ratio, and the server's peak memory
growth (VmHWM) during the export.
"""

from __future__ import annotations

import asyncio
import os
import socket
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import asyncpg
from httpx import AsyncClient, TransportError
from sqlalchemy import text
from sqlalchemy.engine import make_url

from app.auth import service as api_keys
from app.auth.deps import system_ctx
from app.auth.permissions import Role
from app.auth.schemas import ApiKeyCreate
from app.db import uuid7
from app.main import create_app
from app.settings import Settings

ROWS = int(os.environ.get("BENCH_EXPORT_ROWS", "1000000"))
UNITS = 100
MONTHS = 120

GENERATE = [
    """INSERT INTO org_unit (id, municipality_id, kind, code, name, valid_from, created_at,
           updated_at)
       SELECT gen_random_uuid(), :mid, 'unit', 'U' || g, 'Enhet ' || g, DATE '2010-01-01',
              now(), now()
       FROM generate_series(1, :units) g""",
    """INSERT INTO indicator (id, municipality_id, code, title, unit, polarity, periodicity,
           aggregation, gender_split, ratio_scale, valid_from_year, created_at, updated_at)
       SELECT gen_random_uuid(), :mid, 'I' || lpad(g::text, 4, '0'), 'Indikator ' || g, 'count',
              'higher_is_better', 'month', 'mean', false, 1, 2010, now(), now()
       FROM generate_series(1, :indicators) g""",
    """INSERT INTO measurement (id, municipality_id, indicator_id, org_unit_id, period,
           period_start, period_end, gender, created_at, current_version_id)
       SELECT gen_random_uuid(), :mid, i.id, u.id, to_char(d, 'YYYY-MM'), d::date,
              (d + interval '1 month - 1 day')::date, 'total', now(), gen_random_uuid()
       FROM indicator i CROSS JOIN org_unit u
       CROSS JOIN generate_series(DATE '2014-01-01', DATE '2014-01-01' + (:months - 1) *
                                  interval '1 month', interval '1 month') d
       WHERE i.municipality_id = :mid AND u.municipality_id = :mid""",
    """INSERT INTO measurement_version (id, municipality_id, measurement_id, value, status,
           deleted, recorded_by, source_system, sys_from)
       SELECT current_version_id, :mid, id, round((random() * 1000)::numeric, 2), 'final', false,
              'bench', 'bench', now() - interval '1 day'
       FROM measurement WHERE municipality_id = :mid""",
]

CEILING = """
    SELECT i.code, i.title, u.code, m.period, m.gender, v.value, v.numerator, v.denominator,
           v.status, v.source_system, v.comment, v.sys_from, v.recorded_by, v.batch_id, m.id
    FROM measurement m
    JOIN measurement_version v ON v.id = m.current_version_id
    JOIN indicator i ON i.id = m.indicator_id
    JOIN org_unit u ON u.id = m.org_unit_id
    WHERE m.municipality_id = '{mid}' AND NOT v.deleted
    ORDER BY i.code, u.code, m.period_start, m.period, m.gender, m.id
"""


def _peak_rss_mb(pid: int) -> float:
    """The process's peak resident memory (VmHWM), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


async def _wait_ready(client: AsyncClient) -> None:
    for _ in range(100):
        try:
            if (await client.get("/health/ready")).status_code == 200:
                return
        except TransportError:
            pass
        await asyncio.sleep(0.2)
    raise RuntimeError("the server did not become ready")


async def main() -> None:
    url = os.environ["STYRKORT_DATABASE_URL"]
    app = create_app(Settings(database_url=url, log_level="WARNING"))
    db = app.state.db
    mid = uuid7()
    indicators = max(1, ROWS // (UNITS * MONTHS))
    async with db.session(system=True) as session:
        await session.execute(
            text(
                "INSERT INTO municipality (id, code, name, created_at) "
                "VALUES (:mid, '9997', 'Benchmark', now())"
            ),
            {"mid": mid},
        )
    params = {"mid": mid, "units": UNITS, "indicators": indicators, "months": MONTHS}
    print(f"Generating {indicators * UNITS * MONTHS} measurements …")
    for statement in GENERATE:
        async with db.session(system=True) as session:
            await session.execute(text(statement), params)
    async with db.engine.connect() as conn:
        await conn.execution_options(isolation_level="AUTOCOMMIT")
        await conn.execute(text("ANALYZE"))
    async with db.session(system=True) as session:
        ctx = system_ctx(session, mid, "9997")
        key = (await api_keys.create(ctx, ApiKeyCreate(name="bench", role=Role.AUDITOR))).key

    as_of = datetime.now(UTC).isoformat()
    port = _free_port()
    server = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "uvicorn",
        "app.main:app",
        "--port",
        str(port),
        "--log-level",
        "warning",
        env={**os.environ, "STYRKORT_DATABASE_URL": url, "STYRKORT_LOG_LEVEL": "WARNING"},
    )
    try:
        base = f"http://127.0.0.1:{port}"
        async with AsyncClient(base_url=base, timeout=3600) as client:
            await _wait_ready(client)
            headers = {"X-API-Key": key}
            small = {"as_of": as_of, "period_to": "2014-01"}  # warm-up, then the baseline
            (
                await client.get("/api/v1/exports/measurements", params=small, headers=headers)
            ).raise_for_status()
            before = _peak_rss_mb(server.pid)
            size = 0
            started = time.perf_counter()
            async with client.stream(
                "GET", "/api/v1/exports/measurements", params={"as_of": as_of}, headers=headers
            ) as response:
                response.raise_for_status()
                async for chunk in response.aiter_raw():
                    size += len(chunk)
            api_seconds = time.perf_counter() - started
            growth = _peak_rss_mb(server.pid) - before
            manifest = await client.get(
                "/api/v1/exports/measurements/manifest", params={"as_of": as_of}, headers=headers
            )
            rows = manifest.json()["row_count"]
    finally:
        server.terminate()
        await server.wait()

    u = make_url(url)
    conn = await asyncpg.connect(
        user=u.username, password=u.password, host=u.host, port=u.port, database=u.database
    )
    copied = 0

    async def sink(data: bytes) -> None:
        nonlocal copied
        copied += len(data)

    started = time.perf_counter()
    await conn.copy_from_query(CEILING.format(mid=mid), output=sink, format="csv", header=True)
    ceiling_seconds = time.perf_counter() - started
    await conn.close()
    await db.dispose()
    print(
        f"  export      {rows / api_seconds:10.0f} rows/s   {size / 1e6:7.1f} MB in "
        f"{api_seconds:6.1f} s"
    )
    print(
        f"  ceiling     {rows / ceiling_seconds:10.0f} rows/s   {copied / 1e6:7.1f} MB in "
        f"{ceiling_seconds:6.1f} s"
    )
    print(f"  ratio       {ceiling_seconds / api_seconds:10.2f}")
    print(f"  server peak memory growth during the export: {growth:.0f} MB")


if __name__ == "__main__":
    asyncio.run(main())
