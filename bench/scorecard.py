"""Benchmark: the scorecard of a large generated municipality on PostgreSQL.

    scripts/bench scorecard            (BENCH_INDICATORS, BENCH_UNITS, BENCH_REPEAT to resize)

Generates, set-based in SQL, a municipality with N indicators (default 10 000) in 100 goals, 50
org units (committee → office → 8 areas → 40 units) and 12 months of 2023 measured at every
leaf unit, then times ``GET /api/v1/scorecard`` through the real ASGI app beside the ceiling:
one hand-written SQL statement that fetches the same latest values. Prints median and p95 of
both, their ratio, and the number of SQL statements the scorecard request issued.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import time
import uuid

from httpx import ASGITransport, AsyncClient
from sqlalchemy import event, text

from app.auth import service as api_keys
from app.auth.deps import system_ctx
from app.auth.permissions import Role
from app.auth.schemas import ApiKeyCreate
from app.db import Database, uuid7
from app.main import create_app
from app.settings import Settings

INDICATORS = int(os.environ.get("BENCH_INDICATORS", "10000"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "7"))
GOALS = 100
AREAS, UNITS_PER_AREA = 8, 5  # with committee and office: 50 org units

GENERATE = [
    """INSERT INTO indicator (id, municipality_id, code, title, unit, polarity, periodicity,
           aggregation, gender_split, ratio_scale, valid_from_year, created_at, updated_at)
       SELECT gen_random_uuid(), :mid, 'I' || lpad(g::text, 5, '0'), 'Indikator ' || g, 'count',
              'higher_is_better', 'month', (ARRAY['sum','mean','last','ratio'])[1 + g % 4], false,
              CASE WHEN g % 4 = 3 THEN 100 ELSE 1 END, 2022, now(), now()
       FROM generate_series(1, :n) g""",
    """INSERT INTO target (id, municipality_id, indicator_id, year, kind, value, created_at,
           updated_at)
       SELECT gen_random_uuid(), :mid, id, 2023, 'at_least',
              CASE aggregation WHEN 'sum' THEN 40 * 12 * 100 WHEN 'mean' THEN 40 * 100
                               WHEN 'ratio' THEN 50 ELSE 100 END, now(), now()
       FROM indicator WHERE municipality_id = :mid""",
    """INSERT INTO goal (id, municipality_id, level, code, title, owner_id, valid_from_year,
           valid_to_year, related_plans, rule, created_at, updated_at)
       SELECT gen_random_uuid(), :mid, 'committee', 'G' || g, 'Mål ' || g, :owner, 2023, 2025,
              '[]', '{"kind": "share_of_indicators", "threshold": "0.70", "min_coverage": "0.5"}',
              now(), now()
       FROM generate_series(1, :goals) g""",
    """INSERT INTO goal_indicator (id, municipality_id, goal_id, indicator_id, weight)
       SELECT gen_random_uuid(), :mid, g.id, i.id, 1
       FROM indicator i
       JOIN goal g ON g.municipality_id = :mid
                  AND g.code = 'G' || (1 + substr(i.code, 2)::int % :goals)
       WHERE i.municipality_id = :mid""",
    """INSERT INTO measurement (id, municipality_id, indicator_id, org_unit_id, period,
           period_start, period_end, gender, created_at, current_version_id)
       SELECT gen_random_uuid(), :mid, i.id, u.id, '2023-' || lpad(mo::text, 2, '0'),
              make_date(2023, mo, 1), (make_date(2023, mo, 1) + interval '1 month - 1 day')::date,
              'total', now(), gen_random_uuid()
       FROM indicator i
       CROSS JOIN org_unit u
       CROSS JOIN generate_series(1, 12) mo
       WHERE i.municipality_id = :mid AND u.municipality_id = :mid AND u.kind = 'unit'""",
    """INSERT INTO measurement_version (id, municipality_id, measurement_id, value, numerator,
           denominator, status, deleted, recorded_by, sys_from)
       SELECT m.current_version_id, :mid, m.id, round((60 + random() * 80)::numeric, 2),
              CASE WHEN i.aggregation = 'ratio' THEN round((random() * 100)::numeric, 2) END,
              CASE WHEN i.aggregation = 'ratio' THEN 100 END,
              'final', false, 'bench', now() - interval '1 day'
       FROM measurement m JOIN indicator i ON i.id = m.indicator_id
       WHERE m.municipality_id = :mid""",
]

CEILING = """
SELECT m.indicator_id, m.period, sum(v.value), sum(v.numerator), sum(v.denominator)
FROM measurement m
JOIN measurement_version v ON v.id = m.current_version_id AND NOT v.deleted
WHERE m.municipality_id = :mid AND m.gender = 'total'
  AND m.period_start >= DATE '2022-01-01' AND m.period_end <= DATE '2023-06-30'
GROUP BY m.indicator_id, m.period
"""


async def _org_units(db: Database, mid: uuid.UUID) -> uuid.UUID:
    rows: list[tuple[uuid.UUID, uuid.UUID | None, str, str]] = []
    committee, office = uuid7(), uuid7()
    rows.append((committee, None, "committee", "SN"))
    rows.append((office, committee, "office", "SK"))
    for a in range(AREAS):
        area = uuid7()
        rows.append((area, office, "area", f"A{a}"))
        rows.extend((uuid7(), area, "unit", f"A{a}-U{u}") for u in range(UNITS_PER_AREA))
    async with db.session(system=True) as session:
        for ident, parent, kind, code in rows:
            await session.execute(
                text(
                    "INSERT INTO org_unit (id, municipality_id, parent_id, kind, code, name, "
                    "valid_from, created_at, updated_at) VALUES (:id, :mid, :parent, :kind, "
                    ":code, :code, DATE '2019-01-01', now(), now())"
                ),
                {"id": ident, "mid": mid, "parent": parent, "kind": kind, "code": code},
            )
    return committee


async def generate(db: Database) -> tuple[uuid.UUID, uuid.UUID, str]:
    mid = uuid7()
    async with db.session(system=True) as session:
        await session.execute(
            text(
                "INSERT INTO municipality (id, code, name, created_at) "
                "VALUES (:mid, '9999', 'Benchmark', now())"
            ),
            {"mid": mid},
        )
    committee = await _org_units(db, mid)
    params = {"mid": mid, "n": INDICATORS, "owner": committee, "goals": GOALS}
    for statement in GENERATE:
        started = time.perf_counter()
        async with db.session(system=True) as session:
            await session.execute(text(statement), params)
        print(f"  generated in {time.perf_counter() - started:6.1f} s: {statement.split()[2]}")
    # As after any bulk load: statistics for the planner, and a vacuum so that autovacuum does
    # not set about the millions of fresh rows (all-visible marking, freezing) while we measure.
    started = time.perf_counter()
    async with db.engine.connect() as conn:
        await conn.execution_options(isolation_level="AUTOCOMMIT")
        await conn.execute(text("VACUUM (ANALYZE)"))
    print(f"  VACUUM (ANALYZE) in {time.perf_counter() - started:6.1f} s")
    async with db.session(system=True) as session:
        ctx = system_ctx(session, mid, "9999")
        key = (await api_keys.create(ctx, ApiKeyCreate(name="bench", role=Role.VIEWER))).key
    return mid, committee, key


def _stats(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered), p95


async def main() -> None:
    url = os.environ["STYRKORT_DATABASE_URL"]
    # No statement timeout: generating inserts millions of rows in one statement, far past the
    # service's 30 s bound (which a 10 000-indicator scorecard request itself stays under).
    # Without rendered answers (app.readcache): every request here must compute the scorecard,
    # which is what this measures; repeating one request would otherwise replay the first.
    settings = Settings(
        database_url=url,
        log_level="WARNING",
        database_statement_timeout_seconds=0,
        read_cache_entries=0,
    )
    app = create_app(settings)
    db: Database = app.state.db
    print(f"Generating {INDICATORS} indicators × 12 months × {AREAS * UNITS_PER_AREA} units …")
    mid, committee, key = await generate(db)
    async with db.session(system=True) as session:
        count = (await session.execute(text("SELECT count(*) FROM measurement"))).scalar_one()
    print(f"  {count} measurements")

    statements: list[str] = []
    engine = db.engine.sync_engine
    transport = ASGITransport(app=app)
    params = {"org_unit_id": str(committee), "period": "2023-06"}
    async with AsyncClient(transport=transport, base_url="http://bench") as client:
        headers = {"X-API-Key": key}
        await client.get("/api/v1/me", headers=headers)
        api: list[float] = []

        def count(*args: object, **kwargs: object) -> None:
            statements.append(str(args[2]))

        event.listen(engine, "before_cursor_execute", count)
        for i in range(REPEAT + 1):
            started = time.perf_counter()
            response = await client.get("/api/v1/scorecard", params=params, headers=headers)
            elapsed = time.perf_counter() - started
            response.raise_for_status()
            if i:  # the first one warms caches
                api.append(elapsed)
        event.remove(engine, "before_cursor_execute", count)
        body = response.json()
    ceiling: list[float] = []
    for _ in range(REPEAT + 1):
        async with db.engine.connect() as conn:
            started = time.perf_counter()
            rows = (await conn.execute(text(CEILING), {"mid": mid})).all()
            ceiling.append(time.perf_counter() - started)
    ceiling = ceiling[1:]
    per_request = len(statements) // (REPEAT + 1)
    api_median, api_p95 = _stats(api)
    raw_median, raw_p95 = _stats(ceiling)
    print()
    print(
        f"scorecard: {body['goals']['total']} goals, {body['indicators']['total']} indicators, "
        f"{len(rows)} (indicator, period) rows in the ceiling query"
    )
    for name, median, p95 in (
        ("GET /api/v1/scorecard", api_median, api_p95),
        ("ceiling (one SQL)", raw_median, raw_p95),
    ):
        print(f"  {name:24}median {median * 1000:8.0f} ms   p95 {p95 * 1000:8.0f} ms")
    print(f"  ratio (median)          {api_median / raw_median:8.1f} ×")
    print(f"  p95 / median (API)      {api_p95 / api_median:8.1f} ×")
    print(f"  each request (s): {' '.join(f'{s:.1f}' for s in api)}")
    print(f"  SQL statements per scorecard request: {per_request}")
    await db.dispose()


if __name__ == "__main__":
    asyncio.run(main())
