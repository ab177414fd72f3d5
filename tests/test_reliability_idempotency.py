"""Idempotency-Key on POST: a retried create is answered from the store, never created twice."""

from __future__ import annotations

from sqlalchemy import func, select

from app.models import IdempotencyRecord, Process


def _count(session) -> int:
    return session.scalar(select(func.count()).select_from(Process))


def test_the_same_key_and_body_replays_the_stored_answer(client, writer, session):
    before = _count(session)
    headers = {**writer, "Idempotency-Key": "6f1c1c52-7b8a-4cb2-9a37-3cf0d3c7e001"}
    first = client.post("/processes", json={"name_en": "Astana"}, headers=headers)
    assert first.status_code == 201, first.text
    again = client.post("/processes", json={"name_en": "Astana"}, headers=headers)
    assert again.status_code == 201
    assert again.content == first.content
    assert again.headers["Location"] == first.headers["Location"]
    assert again.headers["ETag"] == first.headers["ETag"]
    assert again.headers["Idempotent-Replayed"] == "true"
    assert _count(session) == before + 1
    # without the key, the same body is a new request (here: the natural key is taken, 409)
    assert client.post("/processes", json={"name_en": "Astana"}, headers=writer).status_code == 409


def test_the_same_key_with_another_body_is_refused(client, writer, session):
    headers = {**writer, "Idempotency-Key": "key-1"}
    assert client.post("/processes", json={"name_en": "Geneva"}, headers=headers).status_code == 201
    before = _count(session)
    r = client.post("/processes", json={"name_en": "Sochi"}, headers=headers)
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["errors"][0]["field"] == "Idempotency-Key"
    assert _count(session) == before
    # and on another route: a key names one request, whatever the path
    r = client.post("/parties", json={"name_en": "Sochi"}, headers=headers)
    assert r.status_code == 422


def test_keys_belong_to_their_api_key_and_failures_are_not_stored(client, writer, session):
    from app.cli_keys import create_key

    secret, _ = create_key(session, name="other", scopes=["write"])
    session.commit()
    other = {"Authorization": f"Bearer {secret}", "Idempotency-Key": "shared"}
    mine = {**writer, "Idempotency-Key": "shared"}
    assert client.post("/processes", json={"name_en": "Vienna"}, headers=mine).status_code == 201
    r = client.post("/processes", json={"name_en": "Riyadh"}, headers=other)
    assert r.status_code == 201 and "Idempotent-Replayed" not in r.headers
    # an invalid request is not stored: correcting it with the same key works
    bad = {**writer, "Idempotency-Key": "fix-me"}
    assert client.post("/processes", json={"name_en": 5}, headers=bad).status_code == 422
    r = client.post("/processes", json={"name_en": "Cairo"}, headers=bad)
    assert r.status_code == 201 and "Idempotent-Replayed" not in r.headers
    assert session.scalar(select(func.count()).select_from(IdempotencyRecord)) >= 3


def test_a_key_too_long_is_refused(client, writer):
    r = client.post("/processes", json={"name_en": "Doha"}, headers={**writer, "Idempotency-Key": "k" * 256})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "Idempotency-Key"
