"""The API end to end through HTTP, on SQLite and Postgres."""


def test_health(client):
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200, ready.text
    assert ready.json()["status"] == "ready"


def test_party_crud_round_trip(client, writer):
    created = client.post("/parties", json={"name_en": "Russia", "name_ar": "روسيا", "role": "guarantor",
                                            "aliases": ["Moscow", "الروسي"]}, headers=writer)
    assert created.status_code == 201, created.text
    party = created.json()
    assert party["key"] == "russia"
    got = client.get(f"/parties/{party['id']}")
    assert got.json()["name_ar"] == "روسيا"
    etag = got.headers["etag"]
    assert client.get(f"/parties/{party['id']}", headers={"If-None-Match": etag}).status_code == 304
    changed = client.patch(f"/parties/{party['id']}", json={"role": "mediator"}, headers={**writer, "If-Match": etag})
    assert changed.status_code == 200, changed.text
    assert changed.json()["version"] == party["version"] + 1
    stale = client.patch(f"/parties/{party['id']}", json={"role": "host"}, headers={**writer, "If-Match": etag})
    assert stale.status_code == 412
    assert stale.headers["content-type"] == "application/problem+json"
    found = client.get("/parties", params={"q": "الروسى"}).json()["items"]
    assert [p["id"] for p in found] == [party["id"]]


def test_retired_parameter_answers_with_deprecation_header(client, writer):
    made = client.post("/zones", json={"name_en": "Idlib de-escalation zone", "name_ar": "منطقة خفض التصعيد في إدلب",
                                       "aliases": ["إدلب"], "status": "proposed"}, headers=writer)
    assert made.status_code == 201, made.text
    old = client.get("/zones", params={"name": "ادلب"})
    assert old.headers["Deprecation"].startswith("@")
    assert [z["id"] for z in old.json()["items"]] == [made.json()["id"]]
    new = client.get("/zones", params={"q": "ادلب"})
    assert "Deprecation" not in new.headers
    assert new.json()["items"] == old.json()["items"]


def test_start_up_spares_the_garbage_collector():
    """The app's start-up objects are frozen out of GC scans and young collections are spaced
    (app.main.freeze_startup_objects: p99 of pages at 32 clients, bench/README.md)."""
    import gc

    from fastapi.testclient import TestClient

    from app.main import app

    with TestClient(app):
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold()[0] >= 20_000
