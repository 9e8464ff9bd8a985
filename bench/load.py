"""``scripts/bench load``: a bounded load of mixed reads and batch writes against uvicorn with
two workers, on PostgreSQL and on SQLite, at two concurrencies. Per endpoint it prints requests
per second, p50/p95/p99 latency and the count of non-2xx answers (the goal: none at concurrency
100 on either engine).

``scripts/bench memory``: the peak resident memory of one worker taking the largest accepted
batch (100 000 rows, JSON and CSV) and refusing a CSV of 100 001 rows (413).

Everything targets 127.0.0.1. ``BENCH_SECONDS`` (30) is the length of each phase,
``BENCH_CONCURRENCY`` ("20,100") the concurrencies. PostgreSQL comes from ``STYRKORT_PG_URL``
(``scripts/bench`` starts a throwaway cluster); SQLite is a fresh file.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import sys
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import orjson

from bench.live import (
    RANDOM,
    UNITS,
    Server,
    app_env,
    batch_rows,
    plan,
    postgres_database,
    provision,
    rows,
)

SECONDS = float(os.environ.get("BENCH_SECONDS", "30"))
CONCURRENCIES = [int(c) for c in os.environ.get("BENCH_CONCURRENCY", "20,100").split(",")]


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: dict[str, Counter[int]] = field(default_factory=lambda: defaultdict(Counter))

    def add(self, name: str, status: int, seconds: float) -> None:
        self.latencies[name].append(seconds)
        self.statuses[name][status] += 1


def _percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def report(engine: str, concurrency: int, tally: Tally, elapsed: float) -> int:
    print(f"\n{engine}, concurrency {concurrency}, {elapsed:.0f} s")
    print(
        f"{'endpoint':<28}{'requests':>9}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
        f"{'non-2xx':>9}"
    )
    non_2xx_total = 0
    for name in sorted(tally.latencies):
        samples = tally.latencies[name]
        non_2xx = sum(n for status, n in tally.statuses[name].items() if not 200 <= status < 300)
        non_2xx_total += non_2xx
        print(
            f"{name:<28}{len(samples):>9}{len(samples) / elapsed:>8.1f}"
            f"{_percentile(samples, 0.50) * 1000:>9.0f}{_percentile(samples, 0.95) * 1000:>9.0f}"
            f"{_percentile(samples, 0.99) * 1000:>9.0f}{non_2xx:>9}"
        )
        others = {s: n for s, n in tally.statuses[name].items() if not 200 <= s < 300}
        if others:
            print(f"{'':<28}statuses: {dict(sorted(others.items()))}")
    total = sum(len(s) for s in tally.latencies.values())
    print(f"{'all':<28}{total:>9}{total / elapsed:>8.1f}{'':>27}{non_2xx_total:>9}")
    return non_2xx_total


def batches() -> itertools.count[int]:
    return itertools.count()


async def one(
    http: httpx.AsyncClient, committee: str, counter: itertools.count[int]
) -> tuple[str, int]:
    """One request of the mix: 30 % org units, 30 % measurements, 20 % scorecard, 20 % batch."""
    pick = RANDOM.random()
    if pick < 0.3:
        return "GET org-units", (await http.get("/api/v1/org-units")).status_code
    if pick < 0.6:
        unit = f"U{RANDOM.randrange(UNITS):02d}"
        response = await http.get("/api/v1/measurements", params={"org_unit_code": unit})
        return "GET measurements", response.status_code
    if pick < 0.8:
        params = {"org_unit_id": committee, "period": "2023-06"}
        return "GET scorecard", (await http.get("/api/v1/scorecard", params=params)).status_code
    body = orjson.dumps(batch_rows(next(counter)))
    response = await http.post(
        "/api/v1/measurements/batch",
        content=body,
        headers={"content-type": "application/json", "Idempotency-Key": str(uuid.uuid4())},
    )
    return "POST measurements/batch", response.status_code


async def phase(
    url: str, headers: dict[str, str], committee: str, concurrency: int
) -> tuple[Tally, float]:
    tally = Tally()
    counter = batches()
    # Idle connections expire before uvicorn's 5 s keep-alive closes them, or a request sent on
    # one just as the server closes it fails: a race of the client's, not the service's fault.
    limits = httpx.Limits(
        max_connections=concurrency, max_keepalive_connections=concurrency, keepalive_expiry=2
    )
    async with httpx.AsyncClient(base_url=url, headers=headers, timeout=60, limits=limits) as http:
        deadline = time.monotonic() + SECONDS

        async def client() -> None:
            while time.monotonic() < deadline:
                started = time.perf_counter()
                try:
                    name, status = await one(http, committee, counter)
                except httpx.TransportError:
                    name, status = "transport error", 0
                tally.add(name, status, time.perf_counter() - started)

        started = time.monotonic()
        await asyncio.gather(*(client() for _ in range(concurrency)))
        return tally, time.monotonic() - started


def engines(workdir: Path) -> list[tuple[str, str]]:
    """The engines to run on: ``BENCH_ENGINES`` ("postgresql,sqlite") that are available."""
    wanted = os.environ.get("BENCH_ENGINES", "postgresql,sqlite").lower().split(",")
    found = []
    if "postgresql" in wanted and os.environ.get("STYRKORT_PG_URL"):
        found.append(("PostgreSQL", postgres_database(os.environ["STYRKORT_PG_URL"])))
    if "sqlite" in wanted:
        found.append(("SQLite", f"sqlite+aiosqlite:///{workdir / 'load.sqlite3'}"))
    return found


def load() -> int:
    non_2xx_at_most_concurrency = 0
    with tempfile.TemporaryDirectory(prefix="styrkort-load.") as workdir:
        for engine, url in engines(Path(workdir)):
            env = app_env(url)
            headers = {"X-API-Key": provision(env)}
            log = os.environ.get("BENCH_SERVER_LOG")
            with Server(env, workers=2, log=Path(log) if log else None) as server:
                committee = plan(server.url, headers)
                for concurrency in CONCURRENCIES:
                    tally, elapsed = asyncio.run(phase(server.url, headers, committee, concurrency))
                    non_2xx = report(engine, concurrency, tally, elapsed)
                    if concurrency == max(CONCURRENCIES):
                        non_2xx_at_most_concurrency += non_2xx
    print("\n(a 2-core machine shared with other work; compare figures from the same run)")
    goal = "met" if non_2xx_at_most_concurrency == 0 else "NOT met"
    print(f"goal, zero non-2xx at concurrency {max(CONCURRENCIES)} on every engine: {goal}")
    return 0 if non_2xx_at_most_concurrency == 0 else 1


# Memory ------------------------------------------------------------------------------------------


def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def as_csv(rows: list[dict[str, Any]]) -> bytes:
    lines = ["indicator_code;org_unit_code;period;value"]
    fields = ("indicator_code", "org_unit_code", "period", "value")
    lines += [";".join(str(row[name]) for name in fields) for row in rows]
    return ("\n".join(lines) + "\n").encode()


def memory() -> int:
    """Each body against a fresh single-worker server (peak memory is per process)."""
    largest = rows(100_000)
    bodies = [
        ("JSON, 100 000 rows (accepted)", orjson.dumps(largest), "application/json"),
        ("CSV, 100 000 rows (accepted)", as_csv(largest), "text/csv"),
        ("CSV, 100 001 rows (413)", as_csv(rows(100_001)), "text/csv"),
    ]
    with tempfile.TemporaryDirectory(prefix="styrkort-memory.") as workdir:
        for engine, url in engines(Path(workdir)):
            env = app_env(url)
            headers = {"X-API-Key": provision(env)}
            print(f"\n{engine}: peak resident memory of the one worker")
            print(f"{'body':<32}{'size MB':>9}{'status':>8}{'before MB':>11}{'peak MB':>9}{'s':>7}")
            first = True
            for name, body, media in bodies:
                with Server(env) as server:
                    assert server.process is not None
                    if first:
                        plan(server.url, headers)
                        first = False
                    pid = server.process.pid
                    httpx.get(f"{server.url}/api/v1/org-units", headers=headers)
                    before = _rss_mb(pid)
                    started = time.perf_counter()
                    response = httpx.post(
                        f"{server.url}/api/v1/measurements/batch",
                        content=body,
                        headers={**headers, "content-type": media},
                        timeout=600,
                    )
                    elapsed = time.perf_counter() - started
                    peak = _peak_rss_mb(pid)
                print(
                    f"{name:<32}{len(body) / 1e6:>9.1f}{response.status_code:>8}"
                    f"{before:>11.0f}{peak:>9.0f}{elapsed:>7.1f}"
                )
    return 0


if __name__ == "__main__":
    sys.exit(memory() if sys.argv[1:2] == ["memory"] else load())
