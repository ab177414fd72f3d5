"""Every error is RFC 9457 problem+json naming what is wrong; a failed write changes nothing."""

from __future__ import annotations

import hashlib
import re

import fastapi.routing
import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from apifactory import IDLIB, assert_problem, meeting, party, person, process, round_, zone
from app.api.deps import get_session, hash_secret
from app.cli_keys import create_key, revoke_key
from app.db import make_engine, session_scope
from app.limits import BodySizeLimit
from app.main import app
from app.models import ApiKey, Meeting, MeetingParticipant, Party, Round, Zone, ZoneStatusEvent


def etag(client, url):
    return client.get(url).headers["etag"]


@pytest.mark.parametrize("path, body, field", [
    ("/parties", {"name_en": "X", "role": "king"}, "role"),
    ("/parties", {"name_en": "X", "kind": 7}, "kind"),
    ("/parties", {"name_en": "X", "aliases": "Moscow"}, "aliases"),
    ("/parties", {"name_en": "X", "aliases": [" "]}, "aliases"),
    ("/parties", {"name_en": "X", "key": "Not A Slug"}, "key"),
    ("/places", {"name_en": "X", "lat": 91}, "lat"),
    ("/places", {"name_en": "X", "lon": "east"}, "lon"),
    ("/rounds", {"process_id": "one"}, "process_id"),
    ("/rounds", {}, "process_id"),
    ("/meetings", {"date": "14 September 2017"}, "date"),
    ("/meetings", {"kind": "dinner"}, "kind"),
    ("/meetings", {"confidence": 2}, "confidence"),
    ("/meetings", {"participants": [{"party_id": 1, "person_id": 1}]}, "participants"),
    ("/zones", {"name_en": "X", "status": "frozen"}, "status"),
    ("/delegations", {"round_id": 1}, "party_id"),
])
def test_invalid_body_is_422_naming_the_field(client, writer, path, body, field):
    assert_problem(client.post(path, json=body, headers=writer), 422, field)


def test_unknown_body_field_is_refused_not_dropped(client, writer, session):
    before = session.scalar(select(func.count()).select_from(Party))
    assert_problem(client.post("/parties", json={"name_en": "X", "rôle": "host"}, headers=writer), 422, "rôle")
    assert session.scalar(select(func.count()).select_from(Party)) == before
    made = party(client, writer)
    url = f"/parties/{made['id']}"
    r = client.patch(url, json={"name_en": "Y", "colour": "red"}, headers={**writer, "If-Match": etag(client, url)})
    assert_problem(r, 422, "colour")
    assert client.get(url).json()["name_en"] == made["name_en"]
    m = client.post("/meetings", json={"participants": [{"party_id": made["id"], "role": "host"}]}, headers=writer)
    assert_problem(m, 422, "participants")


def test_body_that_is_not_json(client, writer):
    r = client.post("/parties", content=b"{not json", headers={**writer, "Content-Type": "application/json"})
    assert_problem(r, 422, "body")
    assert_problem(client.post("/parties", json=["a list"], headers=writer), 422)
    # bytes that are not UTF-8 are not JSON either (found by the stateful schemathesis run: was 400)
    r = client.post("/parties", content=b'{"name_en": "\xff\xfe"}', headers={**writer, "Content-Type": "application/json"})
    assert_problem(r, 422, "body")


def test_end_before_start_on_create_and_patch(client, writer, session):
    pr = process(client, writer)
    bad = {"process_id": pr["id"], "start_date": "2017-09-15", "end_date": "2017-09-14"}
    assert_problem(client.post("/rounds", json=bad, headers=writer), 422, "end_date")
    r = round_(client, writer, pr["id"], start_date="2017-09-14", end_date="2017-09-15")
    url = f"/rounds/{r['id']}"
    for change in ({"end_date": "2017-09-13"}, {"start_date": "2017-09-16"},
                   {"start_date": "2017-09-20", "end_date": "2017-09-19"}):
        assert_problem(client.patch(url, json=change, headers={**writer, "If-Match": etag(client, url)}),
                       422, "end_date")
    assert client.get(url).json() == r
    assert session.get(Round, r["id"]).end_date.isoformat() == "2017-09-15"


@pytest.mark.parametrize("path, body, field", [
    ("/rounds", {"process_id": 999999}, "process_id"),
    ("/persons", {"name_en": "X", "party_id": 999999}, "party_id"),
    ("/places", {"name_en": "X", "country_id": 999999}, "country_id"),
    ("/meetings", {"round_id": 999999}, "round_id"),
    ("/meetings", {"participants": [{"party_id": 999999}]}, "participants.party_id"),
    ("/meetings", {"participants": [{"person_id": 999999}]}, "participants.person_id"),
    ("/zones", {"name_en": "X", "process_id": 999999}, "process_id"),
    ("/zones", {"name_en": "X", "requested_by_party_id": 999999}, "requested_by_party_id"),
])
def test_unknown_reference_is_422_naming_the_field(client, writer, path, body, field):
    assert_problem(client.post(path, json=body, headers=writer), 422, field)


def test_unknown_reference_on_patch(client, writer):
    pr = process(client, writer)
    r = round_(client, writer, pr["id"])
    pe = person(client, writer)
    d = client.post("/delegations", json={"round_id": r["id"], "party_id": party(client, writer)["id"]},
                    headers=writer).json()
    for url, change, field in ((f"/rounds/{r['id']}", {"place_id": 999999}, "place_id"),
                               (f"/persons/{pe['id']}", {"party_id": 999999}, "party_id"),
                               (f"/delegations/{d['id']}", {"member_ids": [999999]}, "member_ids"),
                               (f"/delegations/{d['id']}", {"head_person_id": 999999}, "head_person_id")):
        before = client.get(url).json()
        assert_problem(client.patch(url, json=change, headers={**writer, "If-Match": etag(client, url)}), 422, field)
        assert client.get(url).json() == before


def test_unknown_query_parameter_is_422(client):
    for path, param in (("/parties", "colour"), ("/meetings", "party"), ("/zones", "bounds"), ("/rounds", "page")):
        assert_problem(client.get(path, params={param: "1"}), 422, param)
    assert_problem(client.get("/delegations", params={"q": "x"}), 422, "q")  # no names to search
    assert_problem(client.get("/parties", params={"q": ""}), 422, "q")
    assert_problem(client.get("/parties/abc"), 422, "id")
    assert_problem(client.get("/parties/0"), 422, "id")


def test_duplicate_natural_key_is_409_and_changes_nothing(client, writer, session):
    first = party(client, writer, name_en="Russia", key="russia")
    count = session.scalar(select(func.count()).select_from(Party))
    assert_problem(client.post("/parties", json={"name_en": "Russia"}, headers=writer), 409)
    assert_problem(client.post("/parties", json={"name_en": "Other", "key": "russia"}, headers=writer), 409)
    assert session.scalar(select(func.count()).select_from(Party)) == count
    pr = process(client, writer)
    round_(client, writer, pr["id"], number=4)
    assert_problem(client.post("/rounds", json={"process_id": pr["id"], "number": 4}, headers=writer), 409)
    r2 = round_(client, writer, pr["id"], number=5)
    url = f"/rounds/{r2['id']}"
    assert_problem(client.patch(url, json={"number": 4}, headers={**writer, "If-Match": etag(client, url)}), 409)
    assert client.get(url).json()["number"] == 5
    assert client.get(f"/parties/{first['id']}").json() == first


def test_failed_writes_leave_the_database_as_it_was(client, writer, session):
    pa = party(client, writer)
    m = meeting(client, writer, participants=[{"party_id": pa["id"]}])
    z = zone(client, writer, geometry=IDLIB, status="agreed")
    counts = lambda: [session.scalar(select(func.count()).select_from(t))  # noqa: E731
                      for t in (Meeting, MeetingParticipant, Party, Zone, ZoneStatusEvent)]
    before = counts()
    # a meeting whose second participant is unknown: neither the meeting nor the first participant stays
    assert_problem(client.post("/meetings", json={"participants": [{"party_id": pa["id"]}, {"person_id": 999999}]},
                                headers=writer), 422)
    # a PATCH that replaces participants then fails on an unknown round keeps the old participants
    url = f"/meetings/{m['id']}"
    other = party(client, writer)
    before = counts()
    assert_problem(client.patch(url, json={"participants": [{"party_id": other["id"]}], "round_id": 999999},
                                headers={**writer, "If-Match": etag(client, url)}), 422, "round_id")
    assert client.get(url).json() == m
    # a zone status change that fails validation records no history
    zurl = f"/zones/{z['id']}"
    assert_problem(client.patch(zurl, json={"status": "violated", "geometry": {"type": "Point", "coordinates": [0, 99]}},
                                headers={**writer, "If-Match": etag(client, zurl)}), 422, "geometry")
    assert [h["status"] for h in client.get(f"{zurl}/history").json()] == ["agreed"]
    assert counts() == before
    session.expire_all()
    assert session.get(Meeting, m["id"]).version == 1


def test_body_too_large_is_413(client, writer, session):
    small = TestClient(BodySizeLimit(app, max_bytes=200), raise_server_exceptions=False)
    count = session.scalar(select(func.count()).select_from(Party))
    big = {"name_en": "x" * 250}
    assert_problem(small.post("/parties", json=big, headers=writer), 413)

    def chunks():  # no Content-Length: the limit counts what arrives
        yield b'{"name_en": "'
        yield b"y" * 300
        yield b'"}'
    r = small.post("/parties", content=chunks(), headers={**writer, "Content-Type": "application/json"})
    assert_problem(r, 413)
    assert session.scalar(select(func.count()).select_from(Party)) == count
    assert small.post("/parties", json={"name_en": "Small"}, headers=writer).status_code == 201
    assert small.get("/parties").status_code == 200


def test_api_keys(client, session):
    body = {"name_en": "Keyed"}
    assert_problem(client.post("/parties", json=body), 401)
    for bad in ("Bearer", "Basic dXNlcjpwYXNz", "Bearer nonsense", "Bearer pt_", "pt_abc_def"):
        r = client.post("/parties", json=body, headers={"Authorization": bad})
        assert_problem(r, 401)
        assert r.headers["www-authenticate"].startswith("Bearer")
    assert_problem(client.post("/parties", json=body, headers={"Authorization": "Bearer pt_abcdef_unknown"}), 401)
    secret, key = create_key(session, name="rotating", scopes=["write"])
    session.commit()
    forged = secret[:-3] + "xyz"
    assert_problem(client.post("/parties", json=body, headers={"Authorization": f"Bearer {forged}"}), 401)
    reader = "pt_0123456789ab_readonlysecret"
    session.add(ApiKey(name="no scopes", prefix="0123456789ab", key_hash=hash_secret(reader), scopes=[]))
    session.commit()
    assert_problem(client.post("/parties", json=body, headers={"Authorization": f"Bearer {reader}"}), 403)
    ok = client.post("/parties", json=body, headers={"Authorization": f"Bearer {secret}"})
    assert ok.status_code == 201
    revoke_key(session, prefix=key.prefix)
    session.commit()
    r = client.post("/parties", json={"name_en": "After revocation"}, headers={"Authorization": f"Bearer {secret}"})
    assert_problem(r, 401)
    assert "revoked" in r.json()["detail"]
    assert client.get("/parties").status_code == 200  # reads stay public


def _write_routes():
    # FastAPI >= 0.13x keeps included routers as such in app.routes: flatten them
    flat = fastapi.routing.iter_route_contexts(app.routes) if hasattr(fastapi.routing, "iter_route_contexts") \
        else (r for r in app.routes if isinstance(r, APIRoute))
    for route in flat:
        for method in set(route.methods or ()) & {"POST", "PATCH", "PUT", "DELETE"}:
            yield method, route.path


WRITE_ROUTES = sorted(_write_routes())


def test_write_routes_are_found():
    assert {("POST", "/parties"), ("PATCH", "/zones/{id}"), ("DELETE", "/meetings/{id}")} <= set(WRITE_ROUTES)


@pytest.mark.parametrize("method, path", WRITE_ROUTES, ids=[f"{m} {p}" for m, p in WRITE_ROUTES])
def test_every_write_route_needs_a_key(client, writer, method, path):
    pa = party(client, writer)
    url = re.sub(r"\{id\}", str(pa["id"]), path)
    r = client.request(method, url, json={"name_en": "No key"}, headers={"If-Match": "*"})
    assert_problem(r, 401)
    assert client.get(f"/parties/{pa['id']}").json() == pa


def test_reads_are_public(client, writer):
    z = zone(client, writer, geometry=IDLIB)
    for url in ("/parties", "/zones", f"/zones/{z['id']}", f"/zones/{z['id']}/history", "/meetings", "/articles"):
        assert client.get(url).status_code == 200, url


def test_database_unreachable_is_503(session):
    dead = make_engine("postgresql+psycopg://postgres@127.0.0.1:1/test")

    def _dead_session():
        with session_scope(dead) as s:
            yield s

    app.dependency_overrides[get_session] = _dead_session
    try:
        with TestClient(app, raise_server_exceptions=False) as c:
            for r in (c.get("/parties"), c.get("/zones/1"), c.get("/readyz"),
                      c.post("/parties", json={"name_en": "X"}, headers={"Authorization": "Bearer pt_a_b"})):
                body = assert_problem(r, 503)
                assert int(r.headers["retry-after"]) > 0
                assert "127.0.0.1" not in r.text and "psycopg" not in r.text, body
    finally:
        app.dependency_overrides.clear()
        dead.dispose()


def test_unexpected_error_is_500_problem_without_traceback(client, monkeypatch):
    from app.services import parties

    def boom(*a, **k):
        raise RuntimeError("secret internals " + hashlib.sha1(b"x").hexdigest())

    monkeypatch.setattr(parties, "list", boom)
    r = client.get("/parties")
    body = assert_problem(r, 500)
    assert "secret internals" not in r.text and "RuntimeError" not in r.text, body
    assert_problem(client.get("/no/such/path"), 404)
    assert_problem(client.put("/parties"), 405)
