"""Schemathesis against the app's own OpenAPI, on SQLite and Postgres, through the ASGI app with
the test's session: no answer is a 5xx, and every answer is one the document describes (status,
content type, headers, body schema); data outside the schema is refused.

Then the inputs that break naive stacks: NUL, lone surrogates, 100,000 characters, mixed
right-to-left and left-to-right text, SQL metacharacters. Each gets a 4xx, or is stored and
returned byte for byte; never a 500.

Bounded and reproducible: a fixed number of derandomized examples per operation.
"""

from __future__ import annotations

import json

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.specs.openapi import checks as oa

from app.main import app
from app.models import Article

SCHEMA = schemathesis.openapi.from_asgi("/openapi.json", app)
OPERATIONS = {op.label: op for op in (r.ok() for r in SCHEMA.get_all_operations())}
EXAMPLES = {"GET": 10, "POST": 20, "PATCH": 20, "DELETE": 10}  # per operation, per database
CHECKS = [
    schemathesis.checks.not_a_server_error,
    oa.status_code_conformance,
    oa.content_type_conformance,
    oa.response_headers_conformance,
    oa.response_schema_conformance,
    oa.negative_data_rejection,
]


@pytest.fixture
def seeded(client, writer) -> dict[str, int]:
    """A few rows, so that ids 1, 2, ... often name something real."""
    ids = {}
    r = client.post("/processes", json={"name_en": "Astana", "name_ar": "أستانا"}, headers=writer)
    assert r.status_code == 201, r.text
    ids["process"] = r.json()["id"]
    r = client.post("/parties", json={"name_en": "Russia", "name_ar": "روسيا", "role": "guarantor"}, headers=writer)
    assert r.status_code == 201, r.text
    ids["party"] = r.json()["id"]
    r = client.post("/rounds", json={"process_id": ids["process"], "number": 6}, headers=writer)
    assert r.status_code == 201, r.text
    ids["round"] = r.json()["id"]
    r = client.post("/meetings", json={"round_id": ids["round"], "participants": [{"party_id": ids["party"]}]},
                    headers=writer)
    assert r.status_code == 201, r.text
    return ids


@pytest.mark.parametrize("label", sorted(OPERATIONS))
def test_schemathesis(label, client, writer, seeded):
    operation = OPERATIONS[label]

    @settings(max_examples=EXAMPLES.get(operation.method.upper(), 10), derandomize=True, deadline=None, database=None,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy())
    def run(case):
        kwargs = case.as_transport_kwargs(base_url="http://testserver")
        headers = {k: v for k, v in kwargs.pop("headers").items() if k.lower() != "authorization"}
        if "data" in kwargs:  # requests' name for a raw body
            kwargs["content"] = kwargs.pop("data")
        kwargs.pop("cookies", None)
        response = client.request(headers={**headers, **writer}, **kwargs)
        case.validate_response(response, checks=CHECKS)

    run()


RTL_LTR = "اجتماع \u202bوفد المعارضة\u202c with Stuart Jones في أستانا (Astana) \u200f14/9\u200e 2017 \u202eevil\u202c"
SQL = "Robert'); DROP TABLE process;-- \" OR 1=1 -- %_\\ ; SELECT pg_sleep(10)"
STORED = {"mixed right-to-left and left-to-right": RTL_LTR, "SQL metacharacters": SQL,
          "combining marks and emoji": "e\u0301 أَحْمَد 👩🏽‍⚖️ \ufeff zero\u200bwidth"}
REFUSED = {"NUL": "a\x00b", "lone surrogate": "a\ud800b", "100,000 characters": "x" * 100_000}


def post_raw(client, path: str, body: dict, headers: dict):
    """JSON as a hostile client writes it: ASCII escapes, so a lone surrogate survives the trip."""
    return client.post(path, content=json.dumps(body, ensure_ascii=True).encode(),
                       headers={**headers, "Content-Type": "application/json"})


@pytest.mark.parametrize("kind", sorted(STORED))
def test_nasty_text_is_stored_byte_for_byte(kind, client, writer):
    value = STORED[kind]
    r = post_raw(client, "/processes", {"name_en": value, "name_ar": value, "aliases": [value[:300]]}, writer)
    assert r.status_code == 201, r.text
    got = client.get(r.headers["Location"]).json()
    assert (got["name_en"], got["name_ar"], got["aliases"]) == (value, value, [value[:300]])
    r = post_raw(client, "/meetings", {"summary": value}, writer)
    assert r.status_code == 201, r.text
    assert client.get(r.headers["Location"]).json()["summary"] == value
    # and as a search, in the query string: an answer, never a 500
    r = client.get("/processes", params={"q": value[:200]})
    assert r.status_code == 200, r.text
    if kind == "SQL metacharacters":
        assert client.get("/processes").status_code == 200  # the table is still there


@pytest.mark.parametrize("kind", sorted(REFUSED))
@pytest.mark.parametrize("path,field", [("/processes", "name_en"), ("/meetings", "summary"),
                                        ("/parties", "aliases.0")])
def test_nasty_text_is_refused_naming_the_field(kind, path, field, client, writer):
    value = REFUSED[kind]
    before = client.get(path).json()["items"]
    body = {"aliases": [value]} if field == "aliases.0" else {field: value}
    r = post_raw(client, path, body, writer)
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["errors"][0]["field"].startswith(field.split(".")[0]), r.json()
    assert client.get(path).json()["items"] == before


@pytest.mark.parametrize("kind", ["NUL", "lone surrogate"])
def test_nasty_text_in_patch_and_query_is_refused(kind, client, writer):
    value = REFUSED[kind]
    r = client.post("/processes", json={"name_en": "Geneva"}, headers=writer)
    location, etag = r.headers["Location"], r.headers["ETag"]
    r = client.patch(location, content=json.dumps({"name_ar": value}).encode(),
                     headers={**writer, "If-Match": etag, "Content-Type": "application/json"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "name_ar", r.text
    assert client.get(location).json()["name_ar"] is None
    if kind == "NUL":
        r = client.get("/processes", params={"q": value})
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "q", r.text
    else:  # a URL carries UTF-8: the nearest a client gets is the surrogate's bytes, percent-encoded
        r = client.get("/processes?q=a%ED%A0%80b")
        assert r.status_code in (200, 422), r.text


def test_a_100000_character_article_is_stored_byte_for_byte(client, writer, session):
    text = (RTL_LTR + " " + SQL + "\n\n") * 2000
    text = text[:100_000]
    r = client.post("/articles", json={"text": text, "published": "2017-09-15"}, headers=writer)
    assert r.status_code == 201, r.text[:500]
    assert session.get(Article, r.json()["article"]["id"]).text == text  # the API does not echo the text
    r = client.post("/articles", content=("a\x00b").encode(), headers={**writer, "Content-Type": "text/plain"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "text", r.text
