"""POST /articles (JSON and text/plain), and the API teaching the loader, on SQLite and Postgres."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from app.loader.load import load_sources
from app.loader.sources import Source
from app.models import Article, Evidence, Meeting, Party
from test_loader import load_known, write_reference

AR = "التقى وفد المعارضة السورية الوفد الروسي في أستانا أمس الخميس."
EN = "The Syrian opposition delegation met the Russian delegation in Astana on Thursday."
PROBLEM = "application/problem+json"


@pytest.fixture
def known(session, tmp_path):
    return load_known(session, write_reference(tmp_path))


def n(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def test_post_json_then_the_same_text_is_unchanged(client, writer, session, known):
    body = {"title": "لقاء في أستانا", "publisher": "الجزيرة", "published": "2017-09-15", "language": "ar", "text": AR}
    r = client.post("/articles", json=body, headers=writer)
    assert r.status_code == 201, r.text
    out = r.json()
    assert out["status"] == "new"
    assert {k: out["article"][k] for k in ("title", "publisher", "published", "language", "warnings")} == {
        "title": "لقاء في أستانا", "publisher": "الجزيرة", "published": "2017-09-15", "language": "ar", "warnings": []}
    assert r.headers["location"].endswith(f"/articles/{out['article']['id']}")
    rows = {(row["type"], row["action"]) for row in out["rows"]}
    assert ("meeting", "created") in rows and ("party", "matched") in rows
    meeting = next(row for row in out["rows"] if row["type"] == "meeting")
    assert [e["quote"] for e in meeting["evidence"]] == [AR]
    assert client.get(f"/meetings/{meeting['id']}/evidence").json() == meeting["evidence"]
    before = n(session, Evidence), n(session, Meeting)

    again = client.post("/articles", json={**body, "title": "another title"}, headers=writer)
    assert again.status_code == 200 and again.json()["status"] == "unchanged"
    assert again.json()["article"]["id"] == out["article"]["id"]
    assert {(row["type"], row["id"]) for row in again.json()["rows"]} <= {(row["type"], row["id"]) for row in out["rows"]}
    assert (n(session, Evidence), n(session, Meeting)) == before


def test_post_text_plain_with_metadata_in_the_query(client, writer, session, known):
    r = client.post("/articles", content=EN.encode(), headers={**writer, "Content-Type": "text/plain; charset=utf-8"},
                    params={"title": "Talks", "published": "2017-09-15", "publisher": "Reuters", "url": "https://x.test/a"})
    assert r.status_code == 201, r.text
    art = r.json()["article"]
    assert (art["title"], art["published"], art["language"], art["url"]) == ("Talks", "2017-09-15", "en", "https://x.test/a")
    meeting = next(row for row in r.json()["rows"] if row["type"] == "meeting")
    assert client.get(f"/meetings/{meeting['id']}").json()["date"] == "2017-09-14"


def test_post_without_a_date_warns(client, writer, known):
    r = client.post("/articles", content=EN.encode(), headers={**writer, "Content-Type": "text/plain"})
    assert r.status_code == 201
    assert r.json()["article"]["warnings"] == ["no publication date: relative dates are left unresolved"]
    meeting = next(row for row in r.json()["rows"] if row["type"] == "meeting")
    assert client.get(f"/meetings/{meeting['id']}").json()["date"] is None


def test_bad_input_is_422_naming_the_field_and_writes_nothing(client, writer, session):
    cases = [
        ({"json": {"text": "   "}}, "text"),
        ({"json": {"text": ""}}, "text"),
        ({"json": {"title": "no text"}}, "text"),
        ({"json": {"text": EN, "published": "someday"}}, "published"),
        ({"content": "Genève".encode("latin-1"), "headers": {"Content-Type": "text/plain"}}, "text"),
        ({"content": b"", "headers": {"Content-Type": "text/plain"}}, "text"),
        ({"content": b"a\x00b", "headers": {"Content-Type": "text/plain"}}, "text"),
        ({"content": b"{not json", "headers": {"Content-Type": "application/json"}}, "body"),
        ({"content": EN.encode(), "headers": {"Content-Type": "text/plain"}, "params": {"published": "x"}}, "published"),
    ]
    for kw, field in cases:
        kw["headers"] = {**writer, **kw.get("headers", {})}
        r = client.post("/articles", **kw)
        assert r.status_code == 422, (kw, r.text)
        assert r.headers["content-type"] == PROBLEM
        assert field in [e["field"] for e in r.json()["errors"]], (kw, r.json())
    assert n(session, Article) == 0 and n(session, Evidence) == 0


def test_post_needs_the_write_scope_and_a_known_media_type(client, writer, session):
    assert client.post("/articles", json={"text": EN}).status_code == 401
    r = client.post("/articles", content=b"<p>x</p>", headers={**writer, "Content-Type": "text/html"})
    assert r.status_code == 415 and r.headers["content-type"] == PROBLEM
    assert n(session, Article) == 0


def test_openapi_declares_the_load(client):
    op = client.get("/openapi.json").json()["paths"]["/articles"]["post"]
    assert {"200", "201", "401", "403", "415", "422"} <= set(op["responses"])
    content = op["requestBody"]["content"]
    assert set(content) == {"application/json", "text/plain"}
    assert "الوفد الروسي" in content["application/json"]["examples"]["arabic"]["value"]["text"]
    assert {p["name"] for p in op["parameters"]} >= {"title", "publisher", "published", "language", "url"}
    assert op["summary"] and op["description"]


def test_an_alias_added_through_the_api_teaches_the_loader(client, writer, session, known):
    text = "The High Negotiations Committee met the Russian delegation in Astana on Thursday."
    opposition = session.scalars(select(Party).where(Party.key == "syrian-opposition")).one()
    path = f"/parties/{opposition.id}"
    current = client.get(path)
    aliases = [*current.json()["aliases"], "High Negotiations Committee"]
    r = client.patch(path, json={"aliases": aliases}, headers={**writer, "If-Match": current.headers["etag"]})
    assert r.status_code == 200, r.text
    report = load_sources(session, [Source(text=text, origin="hnc", published=dt.date(2017, 9, 15))])
    assert report.results[0].status == "new", report.results[0].reason
    evidence = session.scalars(select(Evidence).where(Evidence.subject_type == "party",
                                                      Evidence.subject_id == opposition.id))
    assert [e.article_id for e in evidence] == [report.results[0].article_id]
    meeting = session.scalars(select(Meeting)).one()
    assert meeting.fingerprint == "meeting|2017-09-14|party:russia+party:syrian-opposition"
