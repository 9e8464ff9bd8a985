"""The OpenAPI document as consumers generate clients from it.

FastAPI writes the document from the routes; the functions here finish it once, centrally, for
every route including ones added later, so that openapi-python-client, openapi-typescript, Redocly
and Spectral take it without a warning (``scripts/test`` runs all four):

- operation ids become ``snake_case`` (``org-units:list`` → ``org_units_list``), a valid identifier
  in every target language. Routers keep writing ``tag:name``; the rename happens here only. The ids
  are part of the contract: renaming one breaks generated clients.
- one schema per model: where Pydantic's validation and serialization schemas differ (decimals
  that accept a string going in, a number coming out) FastAPI writes ``X-Input`` and ``X-Output``
  with the same title, which generators cannot tell apart. They become ``XInput`` (request
  bodies) and ``X`` (answers), each titled by its name.
- a discriminated union's discriminator is required in every variant (Pydantic needs the tag to
  choose the variant anyway) and mapped.
- a request body's defaults are said in words (``Default: 1.``) rather than as ``default``:
  openapi-typescript, by default, makes a property with a ``default`` required, which is right for
  answers (the server always sends it) and wrong for requests (the client may leave it out).
- ``servers`` names this service; operations without credentials say ``security: []``.
- every operation has a description: the route's own, or its summary.
- answers are described per media type: CSV and NDJSON as strings, XLSX and PDF as binary, the
  JSON export with its rows; a CSV request body as a file (binary), which generators send as is.
"""

import json
import re
from collections.abc import Iterator
from typing import Any

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BINARY_MEDIA_TYPES = frozenset({XLSX, "application/pdf", "application/octet-stream"})
TEXT_MEDIA_TYPES = frozenset({"text/csv", "text/html", "application/x-ndjson"})

CSV_UPLOAD = {
    "type": "string",
    "format": "binary",
    "description": "A CSV file in UTF-8, its header row first.",
}
EXPORT_ROW = {
    "title": "ExportRow",
    "type": "object",
    "description": "One exported row: column name to value (text, number, boolean or null).",
    "additionalProperties": {"type": ["string", "number", "integer", "boolean", "null"]},
}
EXPORT_DOCUMENT = {
    "title": "ExportDocument",
    "type": "object",
    "description": "A JSON export: what was exported, as of when, with which query, and its rows.",
    "properties": {
        "export": {"type": "string"},
        "as_of": {"type": "string", "format": "date-time"},
        "query": {"type": "object", "additionalProperties": {"type": "string"}},
        "rows": {"type": "array", "items": {"$ref": "#/components/schemas/ExportRow"}},
        "row_count": {"type": "integer"},
    },
    "required": ["export", "as_of", "query", "rows", "row_count"],
}
JSON_REPORT = {
    "type": "object",
    "description": "The report's sections as JSON objects.",
    "additionalProperties": True,
}


def client_operation_id(operation_id: str) -> str:
    """``org-units:list`` → ``org_units_list``: letters, digits and underscores only."""
    return re.sub(r"[^0-9A-Za-z]+", "_", operation_id).strip("_").lower()


def finish_document(schema: dict[str, Any]) -> None:
    """Everything this module does, in place, on the document FastAPI wrote."""
    rename_operation_ids(schema)
    one_schema_per_model(schema)
    require_discriminators(schema)
    request_defaults_in_words(schema)
    restore_example_nulls(schema)
    schema["servers"] = [
        {"url": "/", "description": "This service (the host serving this document)."}
    ]
    document_http_conventions(schema)
    for _path, _method, operation in operations(schema):
        operation.setdefault("security", [])
        if not operation.get("description"):
            operation["description"] = operation.get("summary", "") + "."
        for response in operation.get("responses", {}).values():
            describe_media_types(schema, response.get("content", {}))
        upload = operation.get("requestBody", {}).get("content", {}).get("text/csv")
        if upload is not None:
            upload["schema"] = CSV_UPLOAD


PROBLEM = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/ProblemDetails"}}}
HEADERS = {
    "ETag": {
        "description": "Strong entity tag of this representation (`-gzip` appended when gzipped).",
        "schema": {"type": "string"},
    },
    "Location": {"description": "The created resource.", "schema": {"type": "string"}},
    "Retry-After": {
        "description": "Seconds to wait before retrying.",
        "schema": {"type": "integer"},
    },
}
RESPONSES = {
    "NotModified": {"description": "Not modified: the `If-None-Match` tag is current."},
    "PreconditionFailed": {
        "description": "A precondition (`If-Match`, `If-None-Match`) failed: nothing was changed.",
        "content": PROBLEM,
    },
    "NotAcceptable": {
        "description": "`Accept` admits none of the media types this answers.",
        "content": PROBLEM,
    },
    "TooManyRequests": {
        "description": "Too many requests from this credential; see `Retry-After`.",
        "headers": {"Retry-After": {"$ref": "#/components/headers/Retry-After"}},
        "content": PROBLEM,
    },
}
PARAMETERS = {
    "If-Match": {
        "name": "If-Match",
        "in": "header",
        "required": False,
        "description": "Change only if the resource still has this ETag (else 412). Optional.",
        "schema": {"type": "string"},
    },
    "If-None-Match": {
        "name": "If-None-Match",
        "in": "header",
        "required": False,
        "description": "An ETag you hold: 304 (no body) when it is still current.",
        "schema": {"type": "string"},
    },
}


def document_http_conventions(schema: dict[str, Any]) -> None:
    """What app.conventions does, written into the operations it applies to."""
    components = schema["components"]
    components["headers"] = HEADERS
    components["responses"] = RESPONSES
    components["parameters"] = PARAMETERS
    readable = {path for path, item in schema["paths"].items() if _answers_json_only(item)}
    for path, method, operation in operations(schema):
        responses = operation["responses"]
        if "201" in responses:
            responses["201"]["headers"] = {"Location": {"$ref": "#/components/headers/Location"}}
        ok = responses.get("200", {})
        if len(ok.get("content", {})) > 1 and any(
            p["name"] == "format" for p in operation.get("parameters", [])
        ):
            responses["406"] = {"$ref": "#/components/responses/NotAcceptable"}
        if "503" in responses:
            responses["503"]["headers"] = {
                "Retry-After": {"$ref": "#/components/headers/Retry-After"}
            }
        if operation.get("security", []):
            responses["429"] = {"$ref": "#/components/responses/TooManyRequests"}
        single = (
            path.endswith("}") and path in readable and "application/json" in ok.get("content", {})
        )
        if not single:
            continue
        if method in {"get", "put", "patch"} and "200" in responses:
            ok["headers"] = {"ETag": {"$ref": "#/components/headers/ETag"}}
        if method == "get":
            condition, answer = "If-None-Match", ("304", "NotModified")
        elif method in {"put", "patch", "delete"}:
            condition, answer = "If-Match", ("412", "PreconditionFailed")
        else:
            continue
        operation.setdefault("parameters", []).append(
            {"$ref": f"#/components/parameters/{condition}"}
        )
        responses[answer[0]] = {"$ref": f"#/components/responses/{answer[1]}"}
        operation["responses"] = dict(sorted(responses.items()))


def _answers_json_only(item: dict[str, Any]) -> bool:
    content = item.get("get", {}).get("responses", {}).get("200", {}).get("content", {})
    return set(content) == {"application/json"}


def operations(schema: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def rename_operation_ids(schema: dict[str, Any]) -> None:
    for _path, _method, operation in operations(schema):
        operation["operationId"] = client_operation_id(operation["operationId"])


def one_schema_per_model(schema: dict[str, Any]) -> None:
    components: dict[str, Any] = schema.get("components", {}).get("schemas", {})
    renamed: dict[str, str] = {}
    for name in list(components):
        for suffix, new_suffix in (("-Input", "Input"), ("-Output", "")):
            if name.endswith(suffix):
                renamed[name] = name.removesuffix(suffix) + new_suffix
    for old, new in renamed.items():
        model = components.pop(old)
        model["title"] = new
        components[new] = model
    if renamed:
        prefix = "#/components/schemas/"
        refs = {prefix + old: prefix + new for old, new in renamed.items()}
        _replace_refs(schema, refs)
        schema["components"]["schemas"] = dict(sorted(components.items()))


def _replace_refs(node: Any, refs: dict[str, str]) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(value, str) and value in refs and key in {"$ref"}:
                node[key] = refs[value]
            elif key == "mapping" and isinstance(value, dict):
                for tag, target in value.items():
                    value[tag] = refs.get(target, target)
            else:
                _replace_refs(value, refs)
    elif isinstance(node, list):
        for item in node:
            _replace_refs(item, refs)


def require_discriminators(schema: dict[str, Any]) -> None:
    components: dict[str, Any] = schema.get("components", {}).get("schemas", {})
    for union in _nodes_with(schema, "discriminator"):
        tag = union["discriminator"]["propertyName"]
        for variant in union.get("oneOf", []):
            target = components[variant["$ref"].rsplit("/", 1)[1]]
            required = target.setdefault("required", [])
            if tag not in required:
                required.insert(0, tag)
            target["properties"][tag].pop("default", None)


def request_defaults_in_words(schema: dict[str, Any]) -> None:
    components: dict[str, Any] = schema.get("components", {}).get("schemas", {})
    seen: set[str] = set()
    pending = [
        ref
        for _path, _method, operation in operations(schema)
        for ref in _refs(operation.get("requestBody", {}))
    ]
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        model = components[name]
        pending.extend(_refs(model))
        for prop in model.get("properties", {}).values():
            if "default" in prop:
                default = json.dumps(prop.pop("default"), ensure_ascii=False)
                said = f"Default: `{default}`."
                prop["description"] = (
                    f"{prop['description']} {said}" if "description" in prop else said
                )


def restore_example_nulls(schema: dict[str, Any]) -> None:
    """FastAPI writes the document without nulls (``exclude_none``), also inside examples, so an
    example's ``"arrived_at": null`` vanishes and the example no longer has a required property.
    Required properties that may be null are put back as null."""
    components: dict[str, Any] = schema.get("components", {}).get("schemas", {})
    for model in components.values():
        for example in model.get("examples", []):
            _fill_nulls(example, model, components)


def _fill_nulls(value: Any, node: dict[str, Any], components: dict[str, Any]) -> None:
    if "$ref" in node:
        node = components.get(node["$ref"].rsplit("/", 1)[1], {})
    if isinstance(value, list) and isinstance(node.get("items"), dict):
        for item in value:
            _fill_nulls(item, node["items"], components)
    if not isinstance(value, dict):
        return
    for name, prop in node.get("properties", {}).items():
        if name in value:
            _fill_nulls(value[name], prop, components)
        elif name in node.get("required", []) and {"type": "null"} in prop.get("anyOf", []):
            value[name] = None


def _refs(node: Any) -> Iterator[str]:
    for holder in _nodes_with(node, "$ref"):
        if isinstance(holder["$ref"], str):
            yield holder["$ref"].rsplit("/", 1)[1]


def _nodes_with(node: Any, key: str) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        if key in node:
            yield node
        for value in node.values():
            yield from _nodes_with(value, key)
    elif isinstance(node, list):
        for item in node:
            yield from _nodes_with(item, key)


def describe_media_types(schema: dict[str, Any], content: dict[str, Any]) -> None:
    """Bodies that are not JSON objects, described as generators read them."""
    if len(content) < 2 and not (set(content) & (BINARY_MEDIA_TYPES | TEXT_MEDIA_TYPES)):
        return
    for media_type, media in content.items():
        bare = media_type.split(";")[0].strip()
        if bare in BINARY_MEDIA_TYPES:
            media["schema"] = {"type": "string", "format": "binary"}
        elif bare in TEXT_MEDIA_TYPES:
            media["schema"] = {"type": "string"}
            if bare == "application/x-ndjson":
                media["schema"]["description"] = "One ExportRow JSON object per line."
        elif bare == "application/json" and media.get("schema") == {"type": "object"}:
            media["schema"] = _export_json_schema(schema, content)


def _export_json_schema(schema: dict[str, Any], content: dict[str, Any]) -> dict[str, Any]:
    if "application/x-ndjson" not in content:
        return dict(JSON_REPORT)
    components = schema["components"]["schemas"]
    components.setdefault("ExportRow", EXPORT_ROW)
    components.setdefault("ExportDocument", EXPORT_DOCUMENT)
    return {"$ref": "#/components/schemas/ExportDocument"}
