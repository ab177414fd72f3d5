"""The OpenAPI document is complete, and a change to it is never silent."""

import json

from app.main import app
from app.openapi_lock import LOCK, fingerprint


def test_every_field_and_parameter_is_described():
    doc = app.openapi()
    undescribed = [f"{name}.{prop}" for name, schema in doc["components"]["schemas"].items()
                   for prop, spec in schema.get("properties", {}).items() if "description" not in spec]
    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            assert op.get("summary"), f"{method.upper()} {path} has no summary"
            undescribed += [f"{method.upper()} {path} ?{p['name']}" for p in op.get("parameters", [])
                            if not (p.get("description") or p.get("schema", {}).get("description"))]
    assert undescribed == []


def _structured(prop: dict) -> bool:
    """An object or a list of objects of a named schema: its example is its parts'."""
    inner = [prop, *prop.get("anyOf", [])]
    return any("$ref" in o or "$ref" in o.get("items", {}) for o in inner if o.get("type") != "null")


def test_every_field_has_an_example():
    doc = app.openapi()
    bare = [f"{name}.{prop}" for name, schema in doc["components"]["schemas"].items()
            for prop, spec in schema.get("properties", {}).items()
            if not (spec.get("examples") or "example" in spec) and not _structured(spec)]
    assert bare == []
    assert any(spec.get("examples") and any("\u0600" <= ch <= "\u06ff" for ch in str(spec["examples"]))
               for schema in doc["components"]["schemas"].values()
               for spec in schema.get("properties", {}).values()), "no Arabic example at all"


def test_a_changed_api_has_moved_its_version():
    doc = app.openapi()
    lock = json.loads(LOCK.read_text())
    changed = fingerprint(doc) != lock["sha256"]
    assert not changed, (
        "The OpenAPI document changed. Announce it: move API_VERSION in app/main.py (and mark retired "
        "fields deprecated), then run `python -m app.openapi_lock`."
        if doc["info"]["version"] == lock["version"] else
        "The version moved: record the new document with `python -m app.openapi_lock`.")
    assert doc["info"]["version"] == lock["version"]


def test_if_match_is_required_where_the_server_requires_it(client, writer):
    """Every PATCH and DELETE declares If-Match required, and each answers 428 without it."""
    doc = app.openapi()
    changes = [(path, method) for path, ops in doc["paths"].items() for method in ops if method in ("patch", "delete")]
    assert len(changes) >= 16
    for path, method in changes:
        params = {p["name"]: p for p in doc["paths"][path][method].get("parameters", []) if p["in"] == "header"}
        assert params.get("If-Match", {}).get("required") is True, f"{method.upper()} {path}"
        assert "428" in doc["paths"][path][method]["responses"], f"{method.upper()} {path}"
    party = client.post("/parties", json={"name_en": "If-Match party"}, headers=writer).json()
    assert client.patch(f"/parties/{party['id']}", json={"name_en": "Y"}, headers=writer).status_code == 428
    assert client.delete(f"/parties/{party['id']}", headers=writer).status_code == 428
