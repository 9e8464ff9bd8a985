"""Operator commands: ``python -m app.cli …`` (DOMAIN §12).

migrate                                             upgrade the database to head
municipality create --code 0181 --name Södertälje   add a tenant
api-key create --municipality 0181 --role admin --name NAME [--scope S …]
                                                    prints the new key alone on the last line
demo-data                                           load the seed municipalities (idempotent)
openapi [--check]                                   write (or check) openapi/openapi.json
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config

from app.audit.recorder import install_audit_trail
from app.auth.deps import system_ctx
from app.auth.permissions import Permission, Role
from app.db import Database
from app.municipalities.service import InvalidMunicipality, ensure, get_by_code
from app.settings import get_settings

ROOT = Path(__file__).resolve().parent.parent
OPENAPI_PATH = ROOT / "openapi" / "openapi.json"


def alembic_config() -> Config:
    return Config(str(ROOT / "alembic.ini"))


def _migrate(_args: argparse.Namespace) -> int:
    command.upgrade(alembic_config(), "head")
    return 0


async def _municipality_create(args: argparse.Namespace) -> int:
    db = Database(get_settings())
    try:
        async with db.session(system=True) as session:
            municipality, created = await ensure(session, args.code, args.name)
    except InvalidMunicipality as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    finally:
        await db.dispose()
    state = "created" if created else "exists"
    print(f"municipality {municipality.code} {municipality.name} {state}")
    return 0


async def _api_key_create(args: argparse.Namespace) -> int:
    from app.auth import service as api_keys
    from app.auth.schemas import ApiKeyCreate

    db = Database(get_settings())
    try:
        async with db.session(system=True) as session:
            municipality = await get_by_code(session, args.municipality)
            if municipality is None:
                print(f"error: no municipality {args.municipality}", file=sys.stderr)
                return 2
            ctx = system_ctx(session, municipality.id, municipality.code)
            created = await api_keys.create(
                ctx,
                ApiKeyCreate(
                    name=args.name,
                    role=Role(args.role),
                    scopes=[Permission(s) for s in args.scope or []],
                ),
            )
    finally:
        await db.dispose()
    print(f"API key '{created.name}' ({created.role}) for municipality {args.municipality}:")
    print(created.key)
    return 0


async def _demo_data(_args: argparse.Namespace) -> int:
    from app.demo.loader import load_demo_data

    db = Database(get_settings())
    try:
        for line in await load_demo_data(db):
            print(line)
    finally:
        await db.dispose()
    return 0


def _openapi(args: argparse.Namespace) -> int:
    from app.main import create_app

    document = json.dumps(create_app().openapi(), indent=2, ensure_ascii=False) + "\n"
    if args.check:
        current = OPENAPI_PATH.read_text() if OPENAPI_PATH.exists() else ""
        if current != document:
            print("openapi/openapi.json is stale: run `python -m app.cli openapi`", file=sys.stderr)
            return 1
        return 0
    OPENAPI_PATH.parent.mkdir(exist_ok=True)
    OPENAPI_PATH.write_text(document)
    print(f"wrote {OPENAPI_PATH.relative_to(ROOT)}")
    return 0


def _async(fn: Callable[[argparse.Namespace], Coroutine[Any, Any, int]]) -> Callable[..., int]:
    return lambda args: asyncio.run(fn(args))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m app.cli", description="Styrkort operations")
    sub = parser.add_subparsers(dest="command", required=True)

    sub.add_parser("migrate", help="upgrade the database to head").set_defaults(run=_migrate)

    municipality = sub.add_parser("municipality").add_subparsers(dest="action", required=True)
    create = municipality.add_parser("create", help="add a municipality (tenant)")
    create.add_argument("--code", required=True, help="4-digit SCB code, e.g. 0181")
    create.add_argument("--name", required=True)
    create.set_defaults(run=_async(_municipality_create))

    api_key = sub.add_parser("api-key").add_subparsers(dest="action", required=True)
    key_create = api_key.add_parser("create", help="create an API key; the key is the last line")
    key_create.add_argument("--municipality", required=True, help="SCB code")
    key_create.add_argument("--role", required=True, choices=[r.value for r in Role])
    key_create.add_argument("--name", required=True)
    key_create.add_argument(
        "--scope", action="append", choices=[p.value for p in Permission], help="repeatable"
    )
    key_create.set_defaults(run=_async(_api_key_create))

    demo = sub.add_parser("demo-data", help="load the seed municipalities (idempotent)")
    demo.set_defaults(run=_async(_demo_data))

    openapi = sub.add_parser("openapi", help="write openapi/openapi.json")
    openapi.add_argument("--check", action="store_true", help="fail if the file is stale")
    openapi.set_defaults(run=_openapi)
    return parser


def main(argv: list[str] | None = None) -> int:
    install_audit_trail()
    args = build_parser().parse_args(argv)
    code: int = args.run(args)
    return code


if __name__ == "__main__":
    raise SystemExit(main())
