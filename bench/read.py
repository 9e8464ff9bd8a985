"""Benchmark: the read path under load, beside the framework's own ceiling.

    scripts/bench read      (BENCH_DURATION=8s, BENCH_CONNECTIONS=20, BENCH_THREADS=2,
                             BENCH_WORKERS=2 to resize)

Expects a migrated PostgreSQL with the demo data in ``STYRKORT_DATABASE_URL`` and a viewer key
for Södertälje (0181) in ``BENCH_API_KEY`` (``scripts/bench read`` prepares all three). Serves the
app with ``uvicorn --workers 2`` on a free loopback port and runs ``wrk -t2 -c20 -d8s`` against
each read a frontend makes on a page view. ``/health/live`` (no authentication, no database) is
measured first and last; each endpoint's ratio is its requests per second over the mean of the
two. The load generator shares the cores with the server, so absolute figures are noisy and
tails at saturation are mostly queueing: compare the ratios of one run.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

DURATION = os.environ.get("BENCH_DURATION", "8s")
CONNECTIONS = os.environ.get("BENCH_CONNECTIONS", "20")
THREADS = os.environ.get("BENCH_THREADS", "2")
WORKERS = os.environ.get("BENCH_WORKERS", "2")
HEALTH = "/health/live"


@dataclass(frozen=True)
class Endpoint:
    path: str
    goal: float | None


def endpoints(committee: uuid.UUID) -> list[Endpoint]:
    """The issue's table: what a frontend reads on a page view, with the ratio each must reach."""
    return [
        Endpoint("/api/v1/me", 0.30),
        Endpoint("/api/v1/org-units?limit=50", 0.30),
        Endpoint("/api/v1/indicators?limit=50", 0.30),
        Endpoint("/api/v1/measurements?limit=100", 0.12),
        Endpoint("/api/v1/goals/tree", 0.15),
        Endpoint(f"/api/v1/scorecard?org_unit_id={committee}&period=2023-T2", 0.05),
        Endpoint(f"/api/v1/budget-follow-up?org_unit_id={committee}&year=2023&month=6", 0.08),
    ]


@dataclass(frozen=True)
class Result:
    rps: float
    p50_ms: float
    p99_ms: float
    non_2xx: int
    socket_errors: int


_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _found(pattern: str, text: str) -> re.Match[str]:
    """The match wrk's output must hold; a clear stop when a wrk version prints otherwise."""
    match = re.search(pattern, text, re.M)
    if match is None:
        raise SystemExit(f"wrk's output has no match for {pattern!r}:\n{text}")
    return match


def _ms(value: str) -> float:
    number, unit = _found(r"^([\d.]+)(us|ms|s|m)$", value).groups()
    return float(number) * _UNITS_MS[unit]


def parse_wrk(output: str) -> Result:
    """Requests/sec, the 50 % and 99 % latencies, non-2xx/3xx responses and socket errors."""
    rps = float(_found(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = _ms(_found(r"^\s+50%\s+(\S+)", output).group(1))
    p99 = _ms(_found(r"^\s+99%\s+(\S+)", output).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    return Result(
        rps=rps,
        p50_ms=p50,
        p99_ms=p99,
        non_2xx=int(non_2xx.group(1)) if non_2xx else 0,
        socket_errors=sum(int(n) for n in errors.groups()) if errors else 0,
    )


def wrk(base: str, path: str, key: str | None) -> Result:
    command = ["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{DURATION}", "--latency"]
    if key is not None:
        command += ["-H", f"X-API-Key: {key}"]
    # Our own fixed command line against loopback.
    output = subprocess.run(  # noqa: S603
        [*command, base + path], check=True, capture_output=True, text=True
    ).stdout
    return parse_wrk(output)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str, key: str | None = None) -> int:
    return httpx.get(url, headers={"X-API-Key": key} if key else {}, timeout=30).status_code


def _wait_until_live(base: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("uvicorn exited before it answered")
        try:
            if _get(base + HEALTH) == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    raise SystemExit("uvicorn did not answer /health/live within 60 s")


async def _committee(url: str) -> uuid.UUID:
    engine = create_async_engine(url)
    async with engine.connect() as conn:
        committee = (
            await conn.execute(
                text(
                    "SELECT o.id FROM org_unit o JOIN municipality m ON m.id = o.municipality_id "
                    "WHERE m.code = '0181' AND o.kind = 'committee' ORDER BY o.code LIMIT 1"
                )
            )
        ).scalar_one()
    await engine.dispose()
    return uuid.UUID(str(committee))


def _row(name: str, r: Result, ratio: float | None, goal: float | None) -> str:
    shown = f"{ratio:6.3f}" if ratio is not None else "     -"
    wanted = f"≥ {goal:.2f}" if goal is not None else ""
    met = "" if goal is None or ratio is None else ("ok" if ratio >= goal else "MISSED")
    return (
        f"| {name} | {r.rps:8.1f} | {r.p50_ms:7.1f} ms | {r.p99_ms:7.1f} ms | "
        f"{r.non_2xx} / {r.socket_errors} | {shown} | {wanted} {met} |"
    )


def main() -> None:
    url = os.environ["STYRKORT_DATABASE_URL"]
    key = os.environ["BENCH_API_KEY"]
    committee = asyncio.run(_committee(url))
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(  # noqa: S603 (our interpreter, our arguments)
        [
            sys.executable, "-m", "uvicorn", "app.main:app", "--host", "127.0.0.1",
            "--port", str(port), "--workers", WORKERS, "--no-access-log",
        ],
        # As in production: the access log at INFO, written (here to nowhere) on every request.
        env={**os.environ, "STYRKORT_LOG_LEVEL": "INFO"},
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        _wait_until_live(base, server)
        targets = endpoints(committee)
        for target in targets:  # warm every worker's caches and check each answers 200
            for _ in range(4):
                status = _get(base + target.path, key)
                if status != 200:
                    raise SystemExit(f"{target.path} answered {status}")
        answers = "off" if os.environ.get("STYRKORT_READ_CACHE_ENTRIES") == "0" else "on"
        print(
            f"wrk -t{THREADS} -c{CONNECTIONS} -d{DURATION}, uvicorn --workers {WORKERS}, "
            f"rendered answers {answers} (STYRKORT_READ_CACHE_ENTRIES=0 turns them off)"
        )
        first = wrk(base, HEALTH, None)
        results = [(target, wrk(base, target.path, key)) for target in targets]
        last = wrk(base, HEALTH, None)
    finally:
        server.terminate()
        server.wait(timeout=30)
    ceiling = (first.rps + last.rps) / 2
    print()
    print("| endpoint (Södertälje, 0181) | req/s | p50 | p99 | non-2xx / errors | ratio | goal |")
    print("|---|---|---|---|---|---|---|")
    print(_row(f"`{HEALTH}` (start)", first, None, None))
    for target, result in results:
        shown = target.path.replace(str(committee), "<committee>")
        print(_row(f"`GET {shown}`", result, result.rps / ceiling, target.goal))
    print(_row(f"`{HEALTH}` (end)", last, None, None))
    print(f"\nframework ceiling (mean of /health/live at start and end): {ceiling:.0f} req/s")
    missed = [t.path for t, r in results if t.goal is not None and r.rps / ceiling < t.goal]
    failed = [t.path for t, r in results if r.non_2xx or r.socket_errors]
    print(f"goals missed: {len(missed)}; endpoints with non-2xx or socket errors: {len(failed)}")
    print()
    # The access log is on, as in production, and written to nowhere.
    with open(os.devnull, "w") as nowhere, contextlib.redirect_stderr(nowhere):
        asyncio.run(cpu_per_request(url, key, committee))


CPU_REQUESTS = int(os.environ.get("BENCH_CPU_REQUESTS", "200"))


async def cpu_per_request(url: str, key: str, committee: uuid.UUID) -> None:
    """CPU time of this process per request, sequential requests through the ASGI app in process.

    No HTTP server and no load generator: the figure counts only the app's own work (not the
    database's), and other tenants of the machine barely move it, so it compares two versions
    of the code more steadily than requests per second on a shared machine do.
    """
    from httpx import ASGITransport, AsyncClient

    from app.main import create_app
    from app.settings import Settings

    app = create_app(Settings(database_url=url, log_level="INFO"))
    headers = {"X-API-Key": key}
    print(f"CPU per request in process ({CPU_REQUESTS} sequential requests each, access log on)")
    print("| endpoint | CPU ms / request |")
    print("|---|---|")
    async with AsyncClient(transport=ASGITransport(app=app), base_url="http://bench") as client:
        for path in [HEALTH, *(t.path for t in endpoints(committee))]:
            for _ in range(5):
                (await client.get(path, headers=headers)).raise_for_status()
            started = time.process_time()
            for _ in range(CPU_REQUESTS):
                await client.get(path, headers=headers)
            cpu_ms = (time.process_time() - started) / CPU_REQUESTS * 1000
            print(f"| `{path.replace(str(committee), '<committee>')}` | {cpu_ms:.2f} |")
    await app.state.db.dispose()


if __name__ == "__main__":
    main()
