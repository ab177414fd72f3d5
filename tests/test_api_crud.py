"""CRUD for every resource through HTTP, and the nested reads, on SQLite and Postgres."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest

from apifactory import (
    IDLIB, assert_problem, delegation, meeting, party, person, process, round_, unique, zone,
)
from app.models import Article, Evidence


def _process(c, w):
    return "/processes", {"name_en": unique("Geneva talks"), "name_ar": "محادثات جنيف"}, {"conflict_en": "Syria"}


def _place(c, w):
    return "/places", {"name_en": unique("Sochi"), "lon": 39.7, "lat": 43.6}, {"lat": 43.5}


def _party(c, w):
    return "/parties", {"name_en": unique("Turkey"), "name_ar": "تركيا", "role": "guarantor"}, {"role": "mediator"}


def _person(c, w):
    p = party(c, w)
    return "/persons", {"name_en": unique("Lavrentiev"), "party_id": p["id"]}, {"title_en": "Envoy"}


def _round(c, w):
    pr = process(c, w)
    return ("/rounds", {"process_id": pr["id"], "number": 6, "start_date": "2017-09-14", "end_date": "2017-09-15"},
            {"status": "postponed"})


def _delegation(c, w):
    pr = process(c, w)
    r, pa, pe = round_(c, w, pr["id"]), party(c, w), person(c, w)
    return ("/delegations", {"round_id": r["id"], "party_id": pa["id"], "member_ids": [pe["id"]]},
            {"head_person_id": pe["id"]})


def _meeting(c, w):
    pa = party(c, w)
    return ("/meetings", {"date": "2017-09-14", "kind": "meeting", "participants": [{"party_id": pa["id"]}]},
            {"status": "postponed"})


def _zone(c, w):
    return ("/zones", {"name_en": unique("Idlib"), "name_ar": "إدلب", "geometry": IDLIB, "status": "agreed",
                       "status_date": "2017-09-15"}, {"status": "in_force", "status_date": "2017-10-01"})


BUILDERS = [_process, _place, _party, _person, _round, _delegation, _meeting, _zone]


@pytest.mark.parametrize("build", BUILDERS, ids=lambda b: b.__name__.strip("_"))
def test_crud_round_trip(client, writer, build):
    path, body, change = build(client, writer)
    created = client.post(path, json=body, headers=writer)
    assert created.status_code == 201, created.text
    item = created.json()
    assert created.headers["location"].endswith(f"{path}/{item['id']}")
    assert created.headers["etag"]
    for k, v in body.items():
        if k == "participants":
            assert [{"party_id": x["party_id"]} for x in item[k]] == v
        else:
            assert item[k] == v, k
    assert item["version"] == 1

    got = client.get(created.headers["location"])
    assert got.status_code == 200
    assert got.json() == item
    etag = got.headers["etag"]
    assert etag == created.headers["etag"]

    assert_problem(client.patch(f"{path}/{item['id']}", json=change, headers=writer), 428)
    changed = client.patch(f"{path}/{item['id']}", json=change, headers={**writer, "If-Match": etag})
    assert changed.status_code == 200, changed.text
    after = changed.json()
    assert after["version"] == item["version"] + 1
    for k, v in change.items():
        assert after[k] == v
    assert changed.headers["etag"] != etag
    assert client.get(f"{path}/{item['id']}").json() == after

    assert_problem(client.patch(f"{path}/{item['id']}", json=change, headers={**writer, "If-Match": etag}), 412)
    assert_problem(client.delete(f"{path}/{item['id']}", headers={**writer, "If-Match": etag}), 412)
    assert_problem(client.delete(f"{path}/{item['id']}", headers=writer), 428)
    assert client.get(f"{path}/{item['id']}").status_code == 200

    gone = client.delete(f"{path}/{item['id']}", headers={**writer, "If-Match": changed.headers["etag"]})
    assert gone.status_code == 204
    assert_problem(client.get(f"{path}/{item['id']}"), 404)
    assert_problem(client.delete(f"{path}/{item['id']}", headers={**writer, "If-Match": "*"}), 404)
    assert item["id"] not in [i["id"] for i in client.get(path, params={"limit": 500}).json()["items"]]


def _article(session, text="وفد المعارضة التقى الوفد الروسي في أستانا.", title="مفاوضات أستانا",
             language="ar") -> Article:
    a = Article(title=title, publisher="الجزيرة", language=language, published=dt.date(2017, 9, 15), text=text,
                content_hash=hashlib.sha256(text.encode()).hexdigest())
    session.add(a)
    session.commit()  # into the test's transaction: a failed request's rollback keeps it
    return a


def test_articles_read_side_and_evidence(client, writer, session):
    pa = party(client, writer, name_ar="روسيا")
    art = _article(session)
    session.add(Evidence(article_id=art.id, subject_type="party", subject_id=pa["id"], start=14, end=26,
                         quote="الوفد الروسي"))
    session.commit()
    items = client.get("/articles").json()["items"]
    assert [a["id"] for a in items] == [art.id]
    assert items[0]["title"] == "مفاوضات أستانا" and "text" not in items[0]
    one = client.get(f"/articles/{art.id}")
    assert one.status_code == 200 and one.json()["content_hash"] == art.content_hash
    assert client.get("/articles", params={"language": "en"}).json()["items"] == []
    en = _article(session, text="Talks in Astana.", title="Astana Talks Resume", language="en")
    assert [a["id"] for a in client.get("/articles", params={"q": "astana TALKS"}).json()["items"]] == [en.id]
    # Arabic titles fold as names do: hamza on alef, diacritics, tatweel, ta marbuta
    assert [a["id"] for a in client.get("/articles", params={"q": "مفاوضات استانا"}).json()["items"]] == [art.id]
    marked = _article(session, text="نص آخر.", title="مُفاوَضـــاتٌ فِي جَنِيف الخاصة")
    assert [a["id"] for a in client.get("/articles", params={"q": "جنيف الخاصه"}).json()["items"]] == [marked.id]
    assert [a["id"] for a in client.get("/articles", params={"language": "en"}).json()["items"]] == [en.id]
    assert [a["id"] for a in client.get("/articles", params={"published_from": "2017-09-16"}).json()["items"]] == []
    ev = client.get(f"/articles/{art.id}/evidence").json()
    assert [(e["subject_type"], e["subject_id"], e["quote"]) for e in ev] == [("party", pa["id"], "الوفد الروسي")]
    party_ev = client.get(f"/parties/{pa['id']}/evidence")
    assert party_ev.status_code == 200
    assert [e["article_id"] for e in party_ev.json()] == [art.id]
    assert_problem(client.get("/articles/999999"), 404)
    assert_problem(client.get("/articles/999999/evidence"), 404)


@pytest.mark.parametrize("resource", ["parties", "persons", "rounds", "meetings", "zones", "delegations"])
def test_evidence_of_every_subject(client, writer, session, resource):
    pr = process(client, writer)
    rows = {"parties": lambda: party(client, writer), "persons": lambda: person(client, writer),
            "rounds": lambda: round_(client, writer, pr["id"]), "meetings": lambda: meeting(client, writer),
            "zones": lambda: zone(client, writer),
            "delegations": lambda: delegation(client, writer, round_(client, writer, pr["id"])["id"],
                                              party(client, writer)["id"])}
    row = rows[resource]()
    subject = {"parties": "party", "persons": "person"}.get(resource, resource.rstrip("s"))
    art = _article(session)
    session.add(Evidence(article_id=art.id, subject_type=subject, subject_id=row["id"], start=0, end=12,
                         quote="وفد المعارضة", confidence=0.9))
    session.commit()
    ev = client.get(f"/{resource}/{row['id']}/evidence")
    assert ev.status_code == 200, ev.text
    assert [(e["article_id"], e["start"], e["end"], e["quote"]) for e in ev.json()] == [(art.id, 0, 12, "وفد المعارضة")]
    assert_problem(client.get(f"/{resource}/999999/evidence"), 404)
    # deleting the subject deletes its evidence rows too
    etag = client.get(f"/{resource}/{row['id']}").headers["etag"]
    assert client.delete(f"/{resource}/{row['id']}", headers={**writer, "If-Match": etag}).status_code == 204
    assert client.get(f"/articles/{art.id}/evidence").json() == []


def test_round_meetings_and_delegations(client, writer):
    pr = process(client, writer)
    r1, r2 = round_(client, writer, pr["id"], number=1), round_(client, writer, pr["id"], number=2)
    pa, pb = party(client, writer), party(client, writer)
    m1 = meeting(client, writer, round_id=r1["id"], participants=[{"party_id": pa["id"]}])
    meeting(client, writer, round_id=r2["id"], participants=[{"party_id": pb["id"]}])
    d1 = delegation(client, writer, r1["id"], pa["id"])
    delegation(client, writer, r2["id"], pb["id"])
    ms = client.get(f"/rounds/{r1['id']}/meetings")
    assert ms.status_code == 200
    assert [m["id"] for m in ms.json()["items"]] == [m1["id"]]
    ds = client.get(f"/rounds/{r1['id']}/delegations")
    assert [d["id"] for d in ds.json()["items"]] == [d1["id"]]
    assert_problem(client.get("/rounds/999999/meetings"), 404)
    assert_problem(client.get("/rounds/999999/delegations"), 404)


def test_party_meetings_include_its_persons(client, writer):
    pa, other = party(client, writer), party(client, writer)
    member = person(client, writer, party_id=pa["id"])
    stranger = person(client, writer, party_id=other["id"])
    own = meeting(client, writer, participants=[{"party_id": pa["id"]}])
    via_person = meeting(client, writer, participants=[{"person_id": member["id"]}, {"party_id": other["id"]}])
    meeting(client, writer, participants=[{"person_id": stranger["id"]}])
    got = client.get(f"/parties/{pa['id']}/meetings").json()["items"]
    assert [m["id"] for m in got] == [own["id"], via_person["id"]]
    names = {p["person_id"]: p["name_en"] for p in got[1]["participants"] if p["person_id"]}
    assert names == {member["id"]: member["name_en"]}
    mine = client.get(f"/persons/{member['id']}/meetings").json()["items"]
    assert [m["id"] for m in mine] == [via_person["id"]]
    assert_problem(client.get("/parties/999999/meetings"), 404)
    assert_problem(client.get("/persons/999999/meetings"), 404)


def test_zone_history_records_each_status_change(client, writer):
    pr = process(client, writer)
    r = round_(client, writer, pr["id"])
    z = zone(client, writer, geometry=IDLIB, status="proposed", status_date="2017-05-04", round_id=r["id"])
    path = f"/zones/{z['id']}"
    for status, date in (("agreed", "2017-09-15"), ("violated", "2018-04-01")):
        etag = client.get(path).headers["etag"]
        r2 = client.patch(path, json={"status": status, "status_date": date}, headers={**writer, "If-Match": etag})
        assert r2.status_code == 200, r2.text
    # a change that keeps the status adds no history
    etag = client.get(path).headers["etag"]
    assert client.patch(path, json={"name_ar": "إدلب"}, headers={**writer, "If-Match": etag}).status_code == 200
    history = client.get(f"{path}/history")
    assert history.status_code == 200
    assert [(h["status"], h["date"]) for h in history.json()] == [
        ("proposed", "2017-05-04"), ("agreed", "2017-09-15"), ("violated", "2018-04-01")]
    assert history.json()[0]["round_id"] == r["id"]
    assert_problem(client.get("/zones/999999/history"), 404)


def test_delegation_members_replaced_by_patch(client, writer):
    pr = process(client, writer)
    r, pa = round_(client, writer, pr["id"]), party(client, writer)
    a, b = person(client, writer), person(client, writer)
    d = delegation(client, writer, r["id"], pa["id"], member_ids=[b["id"], a["id"], a["id"]])
    assert d["member_ids"] == sorted([a["id"], b["id"]])
    etag = client.get(f"/delegations/{d['id']}").headers["etag"]
    r2 = client.patch(f"/delegations/{d['id']}", json={"member_ids": [b["id"]]}, headers={**writer, "If-Match": etag})
    assert r2.status_code == 200 and r2.json()["member_ids"] == [b["id"]]
    assert r2.json()["version"] == 2
