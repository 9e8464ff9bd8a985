"""The sweep (issue 15, "Done when"): a personal identity number sent through every channel the
OpenAPI document describes is found afterwards in no response, no log line and no table.

Driven by the app's own OpenAPI document, every operation gets two requests:

* **at the door**: a number in a path segment, in every query parameter, in ``X-Request-ID`` and
  ``Idempotency-Key``, and in every string of the body;
* **past the door**: plausible path parameters and no query, so the request reaches the route,
  with a number in every string of the body (codes, lists and nested objects included).

Batch operations also get their rows as CSV with a number in every cell; bearer tokens carry one
in ``sub`` and ``name`` on a write that succeeds (the actor is kept in the audit trail); and one
request carries one in its ``Content-Type``. The numbers are personnummer and samordningsnummer
in every variant of tests/privacy.py, rotated across the fields (one request per operation and
kind, not a product of variants and fields). Then every response, every line the service logged,
and every text column of every row of every table (the sweep's municipality, and the tables
without one) is searched for them, normalised as the guard reads.
"""

import itertools
import json
import logging
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from sqlalchemy import JSON, String, Text, select

from app.models import metadata
from tests.conftest import JWT_SECRET
from tests.factories import make_jwt
from tests.privacy import ALL_VARIANTS, NUMBERS, ServiceLog, leaked_numbers, variants

METHODS = ("get", "post", "put", "patch", "delete")


class Faker:
    """Values for an OpenAPI schema: every free string a number, rotating through the variants."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.components = document.get("components", {}).get("schemas", {})
        self.numbers: Iterator[str] = itertools.cycle(ALL_VARIANTS)

    def number(self) -> str:
        return next(self.numbers)

    def _resolve(self, schema: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in schema:
            schema = self.components[schema["$ref"].rsplit("/", 1)[1]]
        return schema

    def value(self, schema: dict[str, Any], depth: int = 0) -> Any:
        schema = self._resolve(schema)
        for key in ("anyOf", "oneOf", "allOf"):
            if key in schema:
                options = [o for o in schema[key] if self._resolve(o).get("type") != "null"]
                return self.value(options[0], depth) if options else None
        if "const" in schema:
            return schema["const"]
        if "enum" in schema:
            return schema["enum"][0]
        kind = schema.get("type")
        if kind == "string":
            fmt = schema.get("format")
            if fmt == "uuid":
                return str(uuid.uuid4())
            if fmt == "date":
                return "2023-01-01"
            if fmt == "date-time":
                return datetime.now(UTC).isoformat()
            return self.number()
        if kind == "integer":
            return max(schema.get("minimum", 1), min(2023, schema.get("maximum", 2023)))
        if kind == "number":
            return 1
        if kind == "boolean":
            return True
        if kind == "array":
            return [self.value(schema.get("items", {}), depth + 1)] if depth < 6 else []
        if kind == "object" or "properties" in schema:
            if depth >= 6:
                return {}
            return {
                name: self.value(prop, depth + 1)
                for name, prop in schema.get("properties", {}).items()
            }
        return self.number()

    def row_columns(self, schema: dict[str, Any]) -> list[str]:
        items = self._resolve(self._resolve(schema).get("items", {}))
        return list(items.get("properties", {}))


def _holds_a_variant(value: Any) -> bool:
    if isinstance(value, str):
        return value in ALL_VARIANTS
    if isinstance(value, list):
        return any(_holds_a_variant(item) for item in value)
    if isinstance(value, dict):
        return any(_holds_a_variant(item) for item in value.values())
    return False


def operations(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in document["paths"].items():
        for method in METHODS:
            if method in item:
                yield path, method, item[method]


def _parameters(document: dict[str, Any], operation: dict[str, Any]) -> list[dict[str, Any]]:
    """The operation's parameters, shared ones (``$ref``, e.g. If-Match) read from components."""
    shared = document.get("components", {}).get("parameters", {})
    return [
        shared[p["$ref"].rsplit("/", 1)[1]] if "$ref" in p else p
        for p in operation.get("parameters", [])
    ]


def _path(path: str, parameters: list[dict[str, Any]], fill: Any) -> str:
    for parameter in parameters:
        if parameter["in"] == "path":
            path = path.replace("{" + parameter["name"] + "}", str(fill(parameter)))
    return path


async def test_no_number_survives_any_channel(app, client, tenant, caplog):
    document = app.openapi()
    faker = Faker(document)
    answers: list[str] = []
    admin = tenant.admin

    async def send(method: str, url: str, **kwargs: Any) -> Any:
        response = await client.request(method, url, **kwargs)
        assert response.status_code < 500, (method, url, response.text)
        answers.append(response.text)
        answers.extend(f"{name}: {value}" for name, value in response.headers.items())
        return response

    def refused_for_the_number(response: Any) -> bool:
        return response.status_code == 422 and "personal_identity_number" in response.text

    caplog.set_level(logging.INFO)
    with ServiceLog() as log:
        for path, method, operation in operations(document):
            parameters = _parameters(document, operation)
            content = operation.get("requestBody", {}).get("content", {})
            json_schema = content.get("application/json", {}).get("schema")

            # At the door: a number in the path, every query parameter, the kept headers, the body.
            at_door = _path(path, parameters, lambda p: quote(faker.number(), safe=""))
            query = {p["name"]: faker.number() for p in parameters if p["in"] == "query"}
            headers = {
                **admin,
                "X-Request-ID": faker.number().encode(),
                "Idempotency-Key": faker.number().encode(),
            }
            body = faker.value(json_schema) if json_schema else None
            await send(method, at_door, params=query, headers=headers, json=body)

            # Past the door: the route is reached and judges the body alone.
            def plausible(parameter: dict[str, Any]) -> Any:
                schema = faker._resolve(parameter.get("schema", {}))
                if schema.get("format") == "uuid" or "enum" in schema:
                    return faker.value(schema)
                return 2023 if schema.get("type") == "integer" else "2023-01"

            reached = _path(path, parameters, plausible)
            if json_schema:
                body = faker.value(json_schema)
                response = await send(method, reached, headers=admin, json=body)
                if _holds_a_variant(body):  # the sweep reached the guard, not a 404 before it
                    assert refused_for_the_number(response), (method, reached, response.text)
            if "text/csv" in content and json_schema:
                columns = faker.row_columns(json_schema)
                cells = [faker.number() for _ in columns]
                csv = ";".join(columns) + "\n" + ";".join(cells) + "\n"
                response = await send(
                    method,
                    reached,
                    params={"mode": "partial"},
                    content=csv.encode(),
                    headers={**admin, "Content-Type": "text/csv"},
                )
                assert refused_for_the_number(response), (method, reached, response.text)

        # Token claims kept as the actor, on a write that succeeds.
        for index, number in enumerate(NUMBERS):
            token = make_jwt(
                JWT_SECRET,
                municipality=tenant.code,
                role="admin",
                sub=f"user {variants(number)[index]}",
                name=f"Anna {variants(number)[index + 9]}",
            )
            unit = {"code": f"JWT{index}", "name": "Enhet", "kind": "unit"}
            await send(
                "post",
                "/api/v1/org-units",
                json={**unit, "valid_from": "2023-01-01"},
                headers={"Authorization": f"Bearer {token}"},
            )
            await send("get", "/api/v1/me", headers={"Authorization": f"Bearer {token}"})
        # A media type no route takes, named in the 415.
        await send(
            "post",
            "/api/v1/org-units",
            content=b"{}",
            headers={**admin, "Content-Type": f"application/x-{NUMBERS[0]}".encode()},
        )

    leaks = {n for text in answers for n in leaked_numbers(text)}
    assert not leaks, "in responses"
    assert not leaked_numbers(log.text), "in the service's log lines"
    assert "org-units" in log.text, "the log was captured"
    client_lines = {"httpx", "httpcore"}  # the test's own HTTP client, not the service
    service_records = [r for r in caplog.records if r.name.split(".")[0] not in client_lines]
    assert not leaked_numbers(" ".join(str(r.msg) for r in service_records)), "in log records"
    assert not await _leaks_in_tables(app, tenant), "in the database"


async def _leaks_in_tables(app, tenant) -> dict[str, set[str]]:
    """Every text and JSON column of every table: the sweep municipality's rows, and every row
    of tables that belong to no municipality."""
    found: dict[str, set[str]] = {}
    async with app.state.db.session(system=True) as session:
        for table in metadata.sorted_tables:
            texts = [c for c in table.columns if isinstance(c.type, String | Text | JSON)]
            if not texts:
                continue
            stmt = select(*texts)
            if "municipality_id" in table.columns:
                stmt = stmt.where(table.c.municipality_id == tenant.municipality_id)
            for row in (await session.execute(stmt)).all():
                for value in row:
                    if value is None:
                        continue
                    text = value if isinstance(value, str) else json.dumps(value, default=str)
                    leaks = leaked_numbers(text)
                    if leaks:
                        found.setdefault(table.name, set()).update(leaks)
    return found
