"""The fault suite (issue 16): a live server on a PostgreSQL cluster this module may stop,
kill and freeze. It runs only when ``STYRKORT_FAULT_PG_DATADIR`` names that cluster's data
directory (``scripts/test`` sets it, with ``STYRKORT_FAULT_PG_URL`` and ``PG_BINDIR``); every
case is bounded in time.

* The server is killed (``kill -9``) in the middle of an atomic batch: nothing of it lands, and
  the retry with the same Idempotency-Key, to a restarted server, succeeds at once.
* PostgreSQL is stopped: requests answer 503 within the bound, ``/health/ready`` 503; once it is
  started again, the next request is a 2xx without restarting the service.
* PostgreSQL is frozen (SIGSTOP): requests answer 503 within the bound; thawed, 2xx again.
"""

from __future__ import annotations

import asyncio
import os
import shlex
import signal
import subprocess
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
from sqlalchemy.engine import make_url

from bench.live import Server, app_env, plan, postgres_database, provision
from bench.live import rows as live_rows

DATADIR = os.environ.get("STYRKORT_FAULT_PG_DATADIR", "")
pytestmark = pytest.mark.skipif(
    not DATADIR, reason="STYRKORT_FAULT_PG_DATADIR names no cluster this suite may stop"
)

# The server's bounds in this suite, and what "within the bound" allows on a shared 2-core
# machine: a pooled connection's ping (statement timeout + 1 s) and then a fresh connect.
BOUNDS = {
    "database_connect_timeout_seconds": "2",
    "database_statement_timeout_seconds": "3",
    "database_pool_timeout_seconds": "2",
}
WITHIN = 12.0
BIG_BATCH = 24_000  # rows: an atomic batch that runs for seconds


def _as_owner(*command: str) -> list[str]:
    """Commands on the cluster run as its owner: ``postgres`` when we are root."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else list(command)


def _pg_ctl(*args: str) -> None:
    pg_ctl = str(Path(os.environ["PG_BINDIR"]) / "pg_ctl")
    subprocess.run(
        _as_owner(pg_ctl, "-D", DATADIR, "-w", "-t", "30", *args),
        cwd=Path(DATADIR).parent,
        check=True,
        capture_output=True,
        timeout=60,
    )


def stop_postgres() -> None:
    _pg_ctl("-m", "fast", "stop")


def start_postgres() -> None:
    # The options it last ran with (port, socket dir, listen address), as postgres.sh gave them.
    options = shlex.split((Path(DATADIR) / "postmaster.opts").read_text())[1:]
    _pg_ctl("-l", str(Path(DATADIR).parent / "postgres.log"), "-o", shlex.join(options), "start")


def postgres_pids() -> list[int]:
    """The postmaster and its children (the backends and helpers)."""
    postmaster = int((Path(DATADIR) / "postmaster.pid").read_text().split()[0])
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == postmaster:
            children.append(int(stat.parent.name))
    return [postmaster, *children]


def signal_postgres(number: signal.Signals) -> None:
    for pid in postgres_pids():
        os.kill(pid, number)


@pytest.fixture(scope="module")
def database() -> str:
    return postgres_database(os.environ["STYRKORT_FAULT_PG_URL"])


@pytest.fixture(scope="module")
def live(database: str) -> Iterator[tuple[Server, dict[str, str]]]:
    env = app_env(database, **BOUNDS)
    headers = {"X-API-Key": provision(env)}
    server = Server(env).start()
    plan(server.url, headers)
    yield server, headers
    server.stop()


async def _count(database: str, sql: str) -> int:
    raw = make_url(database).set(drivername="postgresql").render_as_string(hide_password=False)
    conn = await asyncpg.connect(raw)
    try:
        value: int = await conn.fetchval(sql)
        return value
    finally:
        await conn.close()


def count(database: str, sql: str) -> int:
    return asyncio.run(_count(database, sql))


def _wait_until_in_transaction(database: str, within: float = 30) -> None:
    """Until the server's connection is inside the batch's transaction."""
    sql = (
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
        "AND pid <> pg_backend_pid() AND state IN ('active', 'idle in transaction') "
        "AND query ILIKE '%measurement%'"
    )
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if count(database, sql) > 0:
            return
        time.sleep(0.05)
    raise AssertionError("the batch never reached the database")


def test_a_server_killed_mid_batch_lands_nothing_and_the_retry_succeeds_at_once(
    live: tuple[Server, dict[str, str]], database: str
) -> None:
    server, headers = live
    rows = live_rows(BIG_BATCH)
    key = {"Idempotency-Key": f"killed-{uuid.uuid4()}"}
    outcome: dict[str, Any] = {}

    def send() -> None:
        try:
            with httpx.Client(timeout=120) as http:
                outcome["response"] = http.post(
                    f"{server.url}/api/v1/measurements/batch",
                    json=rows,
                    headers={**headers, **key},
                )
        except httpx.TransportError as exc:
            outcome["error"] = exc

    sender = threading.Thread(target=send)
    sender.start()
    _wait_until_in_transaction(database)
    server.kill()
    sender.join(timeout=30)
    assert "error" in outcome, "the batch finished before the kill; make it bigger"
    assert count(database, "SELECT count(*) FROM measurement") == 0
    assert count(database, "SELECT count(*) FROM import_batch") == 0
    assert count(database, "SELECT count(*) FROM idempotency_key") == 0

    server.start()
    started = time.monotonic()
    with httpx.Client(timeout=120) as http:
        retry = http.post(
            f"{server.url}/api/v1/measurements/batch", json=rows, headers={**headers, **key}
        )
    assert retry.status_code == 200, retry.text  # not a 409: no claim was left behind
    assert retry.json()["created"] == len(rows)
    assert "idempotent-replayed" not in retry.headers
    print(f"retry after the kill: {time.monotonic() - started:.1f} s for {len(rows)} rows")


def _get_within_bound(url: str, path: str, headers: dict[str, str]) -> httpx.Response:
    started = time.monotonic()
    response = httpx.get(f"{url}{path}", headers=headers, timeout=WITHIN + 30)
    elapsed = time.monotonic() - started
    print(f"GET {path}: {response.status_code} in {elapsed:.1f} s")
    assert elapsed < WITHIN, f"{path} took {elapsed:.1f} s"
    return response


def _assert_503(response: httpx.Response) -> None:
    assert response.status_code == 503, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert int(response.headers["retry-after"]) > 0


def test_postgresql_stopped_is_503_and_started_again_is_2xx_without_a_restart(
    live: tuple[Server, dict[str, str]],
) -> None:
    server, headers = live
    assert _get_within_bound(server.url, "/api/v1/org-units", headers).status_code == 200
    stop_postgres()
    try:
        _assert_503(_get_within_bound(server.url, "/api/v1/org-units", headers))
        _assert_503(_get_within_bound(server.url, "/health/ready", {}))
    finally:
        start_postgres()
    assert _get_within_bound(server.url, "/api/v1/org-units", headers).status_code == 200
    assert _get_within_bound(server.url, "/health/ready", {}).status_code == 200


def test_postgresql_frozen_is_503_within_the_bound_and_thawed_is_2xx(
    live: tuple[Server, dict[str, str]],
) -> None:
    server, headers = live
    assert _get_within_bound(server.url, "/api/v1/org-units", headers).status_code == 200
    signal_postgres(signal.SIGSTOP)
    try:
        _assert_503(_get_within_bound(server.url, "/api/v1/org-units", headers))
        _assert_503(_get_within_bound(server.url, "/health/ready", {}))
    finally:
        signal_postgres(signal.SIGCONT)
    assert _get_within_bound(server.url, "/api/v1/org-units", headers).status_code == 200
