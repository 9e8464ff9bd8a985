"""The checked-in OpenAPI document is what the app serves; and it is documented as a product."""

import json
import re
from pathlib import Path

from app.openapi import XLSX, client_operation_id

OPENAPI = Path(__file__).resolve().parent.parent / "openapi" / "openapi.json"


async def test_checked_in_document_is_not_stale(client):
    served = (await client.get("/openapi.json")).json()
    checked_in = json.loads(OPENAPI.read_text())
    assert served == checked_in, "openapi/openapi.json is stale: run `python -m app.cli openapi`"


def test_every_operation_has_an_id_summary_tag_and_documented_errors():
    document = json.loads(OPENAPI.read_text())
    ids = []
    for path, item in document["paths"].items():
        for method, operation in item.items():
            ids.append(operation["operationId"])
            assert operation.get("summary"), f"{method} {path} has no summary"
            assert operation.get("tags"), f"{method} {path} has no tag"
            if path.startswith("/api/"):
                for status in ("401", "403"):
                    content = operation["responses"][status]["content"]
                    assert "application/problem+json" in content, f"{method} {path} {status}"
    assert len(ids) == len(set(ids))
    assert "ProblemDetails" in document["components"]["schemas"]


def test_creates_link_to_what_can_be_done_with_the_created_resource():
    document = json.loads(OPENAPI.read_text())
    operations = {
        op["operationId"]: (path, op)
        for path, item in document["paths"].items()
        for op in item.values()
    }
    links = document["paths"]["/api/v1/indicators"]["post"]["responses"]["201"]["links"]
    assert links["indicators_get"] == {
        "operationId": "indicators_get",
        "parameters": {"indicator_id": "$response.body#/id"},
    }
    nested = document["paths"]["/api/v1/deviation-reports/{report_id}/measures"]["post"]
    assert nested["responses"]["201"]["links"]["deviation_reports_update_measure"][
        "parameters"
    ] == {
        "report_id": "$request.path.report_id",
        "measure_id": "$response.body#/id",
    }
    for path, item in document["paths"].items():
        for link in (
            item.get("post", {}).get("responses", {}).get("201", {}).get("links", {}).values()
        ):
            target_path, _ = operations[link["operationId"]]
            for name in link["parameters"]:
                assert "{" + name + "}" in target_path, (path, link)


def _operations(document):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def test_operation_ids_are_identifiers_in_every_client_language():
    """Generated clients name functions after operation ids (issue 19): ``org-units:list``
    became ``org_units_list``, centrally, so routes added later follow."""
    document = json.loads(OPENAPI.read_text())
    ids = {operation["operationId"] for _, _, operation in _operations(document)}
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", op_id) for op_id in ids), sorted(ids)
    assert {"org_units_list", "exports_get", "deviation_reports_update_measure"} <= ids
    assert client_operation_id("placement-categories:standard-set") == (
        "placement_categories_standard_set"
    )


def test_one_schema_per_model_with_its_own_title():
    """openapi-python-client dropped GoalRead and others when FastAPI wrote ``X-Input`` and
    ``X-Output`` under one title: each schema now has a title of its own."""
    schemas = json.loads(OPENAPI.read_text())["components"]["schemas"]
    assert not [name for name in schemas if "-" in name]
    titles = [s.get("title", n) for n, s in schemas.items()]
    assert len(titles) == len(set(titles))
    assert {"ShareOfIndicators", "ShareOfIndicatorsInput", "GoalRead"} <= set(schemas)


def test_discriminators_are_required_and_mapped_in_every_variant():
    """Redocly warned 13 times that ``kind`` was not required in the goal ``rule`` and
    control-point ``frequency`` variants."""
    document = json.loads(OPENAPI.read_text())
    schemas = document["components"]["schemas"]
    unions = [
        node for node in _walk(document) if isinstance(node, dict) and "discriminator" in node
    ]
    assert len(unions) >= 6
    for union in unions:
        tag = union["discriminator"]["propertyName"]
        mapped = set(union["discriminator"]["mapping"].values())
        for variant in union["oneOf"]:
            assert variant["$ref"] in mapped
            assert tag in schemas[variant["$ref"].rsplit("/", 1)[1]]["required"]


def _walk(node):
    yield node
    children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else []
    for child in children:
        yield from _walk(child)


def test_servers_security_and_a_description_on_every_operation():
    document = json.loads(OPENAPI.read_text())
    assert [server["url"] for server in document["servers"]] == ["/"]
    for path, method, operation in _operations(document):
        assert operation.get("description"), f"{method} {path}"
        assert "security" in operation, f"{method} {path}"
    assert document["paths"]["/health/live"]["get"]["security"] == []


def test_request_bodies_leave_defaults_to_the_server():
    """openapi-typescript makes a property with a ``default`` required; in a request body the
    default is said in words instead, so a client may leave the property out."""
    document = json.loads(OPENAPI.read_text())
    link = document["components"]["schemas"]["GoalIndicatorLinkInput"]
    assert "default" not in link["properties"]["weight"]
    assert 'Default: `"1"`.' in link["properties"]["weight"]["description"]
    assert link["required"] == ["indicator_id"]
    # Answers keep their defaults: the server always sends the property.
    assert (
        document["components"]["schemas"]["GoalIndicatorLink"]["properties"]["weight"]["default"]
        == 1
    )


def test_exports_and_uploads_are_described_per_media_type():
    document = json.loads(OPENAPI.read_text())
    export = document["paths"]["/api/v1/exports/{kind}"]["get"]["responses"]["200"]["content"]
    assert export["text/csv; charset=utf-8"]["schema"] == {"type": "string"}
    assert export[XLSX]["schema"] == {"type": "string", "format": "binary"}
    assert export["application/json"]["schema"] == {"$ref": "#/components/schemas/ExportDocument"}
    assert export["application/x-ndjson"]["schema"]["type"] == "string"
    report = document["paths"]["/api/v1/exports/committee-report"]["get"]["responses"]["200"]
    assert report["content"][XLSX]["schema"] == {"type": "string", "format": "binary"}
    ivo = document["paths"]["/api/v1/unexecuted-decisions/ivo-report"]["get"]["responses"]["200"]
    assert ivo["content"]["text/csv"]["schema"] == {"type": "string"}
    batch = document["paths"]["/api/v1/measurements/batch"]["post"]["requestBody"]["content"]
    assert set(batch) == {"application/json", "text/csv"}
    assert batch["text/csv"]["schema"]["format"] == "binary"


def test_examples_keep_the_nulls_their_schema_requires():
    """FastAPI drops nulls from the whole document, examples included; a required nullable
    property is put back as null so the example still validates (Redocly)."""
    schemas = json.loads(OPENAPI.read_text())["components"]["schemas"]
    overdue = schemas["ReportingStatus"]["examples"][0]["overdue"][0]
    assert overdue["arrived_at"] is None
    assert overdue["source_system"] is None
