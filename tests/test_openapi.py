"""The checked-in OpenAPI document is what the app serves; and it is documented as a product."""

import json
from pathlib import Path

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
    assert links["indicators.get"] == {
        "operationId": "indicators:get",
        "parameters": {"indicator_id": "$response.body#/id"},
    }
    nested = document["paths"]["/api/v1/deviation-reports/{report_id}/measures"]["post"]
    assert nested["responses"]["201"]["links"]["deviation-reports.update-measure"][
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
