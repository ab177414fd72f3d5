"""Filters, name search, updated_since and keyset pagination of the lists, on SQLite and Postgres."""

from __future__ import annotations

import datetime as dt
import re
import time
from urllib.parse import parse_qs, urlsplit

import pytest

from apifactory import DERAA, IDLIB, assert_problem, meeting, party, person, process, round_, zone


def ids(r) -> list[int]:
    assert r.status_code == 200, r.text
    return [i["id"] for i in r.json()["items"]]


@pytest.fixture
def talks(client, writer):
    """Two processes, rounds, parties, persons and meetings of every kind and status."""
    p1, p2 = process(client, writer), process(client, writer)
    r1 = round_(client, writer, p1["id"], number=1, start_date="2017-01-23", end_date="2017-01-24")
    r2 = round_(client, writer, p1["id"], number=2, start_date="2017-09-14", end_date="2017-09-15")
    r3 = round_(client, writer, p2["id"], number=1, start_date="2018-01-29", end_date="2018-01-30")
    gov, opp = party(client, writer), party(client, writer)
    envoy = person(client, writer, party_id=opp["id"])
    m = {
        "jan": meeting(client, writer, date="2017-01-23", round_id=r1["id"], kind="plenary",
                       participants=[{"party_id": gov["id"]}, {"party_id": opp["id"]}]),
        "sep": meeting(client, writer, date="2017-09-14", round_id=r2["id"], kind="meeting",
                       participants=[{"person_id": envoy["id"]}]),
        "call": meeting(client, writer, date="2017-10-02", kind="phone_call", status="held",
                        participants=[{"party_id": gov["id"]}]),
        "sochi": meeting(client, writer, date="2018-01-29", round_id=r3["id"], status="postponed",
                         participants=[{"party_id": gov["id"]}]),
    }
    return {"p1": p1, "p2": p2, "r1": r1, "r2": r2, "r3": r3, "gov": gov, "opp": opp, "envoy": envoy, **m}


def test_meeting_filters(client, talks):
    t, mid = talks, {k: v["id"] for k, v in talks.items()}
    get = lambda **p: ids(client.get("/meetings", params=p))  # noqa: E731
    assert get(party_id=t["gov"]["id"]) == [mid["jan"], mid["call"], mid["sochi"]]
    assert get(party_id=t["opp"]["id"]) == [mid["jan"], mid["sep"]]  # its person's meeting too
    assert get(person_id=t["envoy"]["id"]) == [mid["sep"]]
    assert get(round_id=t["r2"]["id"]) == [mid["sep"]]
    assert get(process_id=t["p1"]["id"]) == [mid["jan"], mid["sep"]]
    assert get(kind="phone_call") == [mid["call"]]
    assert get(kind="plenary") == [mid["jan"]]
    assert get(status="postponed") == [mid["sochi"]]
    assert get(date_from="2017-09-14", date_to="2017-12-31") == [mid["sep"], mid["call"]]
    assert get(date_from="2018-01-01") == [mid["sochi"]]
    assert get(party_id=t["gov"]["id"], status="held", date_to="2017-12-31") == [mid["jan"], mid["call"]]
    assert get(kind="plenary", status="postponed") == []
    assert_problem(client.get("/meetings", params={"kind": "banquet"}), 422, "kind")
    assert_problem(client.get("/meetings", params={"date_from": "15/09/2017"}), 422, "date_from")


def test_round_filters(client, talks):
    t = talks
    get = lambda **p: ids(client.get("/rounds", params=p))  # noqa: E731
    assert get(process_id=t["p1"]["id"]) == [t["r1"]["id"], t["r2"]["id"]]
    assert get(process_id=t["p2"]["id"]) == [t["r3"]["id"]]
    assert get(date_from="2017-09-15", date_to="2017-12-31") == [t["r2"]["id"]]  # ends on date_from
    assert get(date_from="2017-01-24", date_to="2017-09-14") == [t["r1"]["id"], t["r2"]["id"]]
    assert get(date_from="2018-01-01") == [t["r3"]["id"]]
    assert get(date_to="2016-12-31") == []


def test_zone_filters(client, writer):
    p1, p2 = process(client, writer), process(client, writer)
    idlib = zone(client, writer, name_en="Idlib", name_ar="إدلب", geometry=IDLIB, status="in_force",
                 process_id=p1["id"], aliases=["Idleb"])
    deraa = zone(client, writer, name_en="Southern zone", name_ar="درعا", geometry=DERAA, status="agreed",
                 process_id=p2["id"])
    nowhere = zone(client, writer, name_en="Eastern Ghouta", status="agreed", process_id=p1["id"])
    get = lambda **p: ids(client.get("/zones", params=p))  # noqa: E731
    assert get(status="agreed") == [deraa["id"], nowhere["id"]]
    assert get(process_id=p1["id"]) == [idlib["id"], nowhere["id"]]
    assert get(name="idleb") == [idlib["id"]]
    assert get(name="ادلب") == [idlib["id"]]
    assert get(bbox="36.5,36.0,38,37") == [idlib["id"]]  # overlaps Idlib's north-east corner
    assert get(bbox="35,32,37,37") == [idlib["id"], deraa["id"]]
    assert get(bbox="40,40,41,41") == []
    assert get(bbox="36.2,32.8,36.3,32.9", status="agreed") == [deraa["id"]]
    assert_problem(client.get("/zones", params={"bbox": "north"}), 422, "bbox")
    assert_problem(client.get("/zones", params={"status": "frozen"}), 422, "status")


@pytest.mark.parametrize("stored, query", [
    ("الرُّوسِيّة", "الروسيه"),          # diacritics, ة/ه
    ("الـــروســية", "الروسية"),        # tatweel
    ("أستانا", "استانا"),               # hamza on alef
    ("إدلب", "ادلب"),
    ("آستانة", "استانه"),               # madda
    ("مصطفى", "مصطفي"),                 # ى/ي
    ("رئيس", "رييس"),                   # hamza carriers
    ("المسؤول", "المسوول"),
    ("Russian Federation", "russian FEDERATION"),
])
def test_q_matches_arabic_and_english_forms(client, writer, stored, query):
    target = party(client, writer, name_ar=stored if not stored.isascii() else None,
                   name_en=stored if stored.isascii() else "Target party", aliases=[])
    party(client, writer, name_ar="تركيا", name_en="Turkey")
    assert ids(client.get("/parties", params={"q": query})) == [target["id"]]


def test_q_on_aliases_persons_and_meetings(client, writer):
    ru = party(client, writer, name_en="Russia", name_ar="روسيا", aliases=["الوفد الروسي", "Moscow"])
    envoy = person(client, writer, name_en="Alexander Lavrentiev", name_ar="ألكسندر لافرينتييف")
    m1 = meeting(client, writer, participants=[{"party_id": ru["id"]}])
    m2 = meeting(client, writer, participants=[{"person_id": envoy["id"]}])
    assert ids(client.get("/parties", params={"q": "moscow"})) == [ru["id"]]
    assert ids(client.get("/parties", params={"q": "الوفد الروسى"})) == [ru["id"]]
    assert ids(client.get("/persons", params={"q": "الكسندر"})) == [envoy["id"]]
    assert ids(client.get("/meetings", params={"q": "روسيا"})) == [m1["id"]]
    assert ids(client.get("/meetings", params={"q": "lavrentiev"})) == [m2["id"]]
    pr = process(client, writer, name_en="Astana talks", name_ar="محادثات أستانا")
    r = round_(client, writer, pr["id"])
    assert ids(client.get("/rounds", params={"q": "استانا"})) == [r["id"]]


def test_updated_since(client, writer):
    old = party(client, writer)
    time.sleep(0.05)  # ordering only, not timing: updated_at must move past `since`
    since = dt.datetime.now(dt.UTC)
    time.sleep(0.05)
    new = party(client, writer)
    assert ids(client.get("/parties", params={"updated_since": since.isoformat()})) == [new["id"]]
    etag = client.get(f"/parties/{old['id']}").headers["etag"]
    client.patch(f"/parties/{old['id']}", json={"role": "host"}, headers={"If-Match": etag, **writer})
    assert ids(client.get("/parties", params={"updated_since": since.isoformat()})) == [old["id"], new["id"]]
    naive = since.replace(tzinfo=None).isoformat()  # read as UTC
    assert len(ids(client.get("/parties", params={"updated_since": naive}))) == 2
    damascus = since.astimezone(dt.timezone(dt.timedelta(hours=3))).isoformat()  # the same instant
    assert len(ids(client.get("/parties", params={"updated_since": damascus}))) == 2
    future = (since + dt.timedelta(days=1)).isoformat()
    for path in ("/processes", "/places", "/persons", "/rounds", "/delegations", "/meetings", "/zones", "/articles"):
        assert ids(client.get(path, params={"updated_since": future})) == [], path
    assert_problem(client.get("/parties", params={"updated_since": "yesterday"}), 422, "updated_since")


def _walk(client, path: str, limit: int) -> list[int]:
    seen, url, params = [], path, {"limit": limit}
    while True:
        r = client.get(url, params=params)
        assert r.status_code == 200, r.text
        page = r.json()
        assert len(page["items"]) <= limit and page["limit"] == limit
        seen += [i["id"] for i in page["items"]]
        if page["next_cursor"] is None:
            assert "link" not in r.headers
            return seen
        link = re.fullmatch(r'<([^>]+)>; rel="next"', r.headers["link"])
        assert link, r.headers.get("link")
        assert parse_qs(urlsplit(link.group(1)).query)["cursor"] == [page["next_cursor"]]
        nxt = client.get(link.group(1))  # the Link header is the next page, cursor and all
        assert nxt.status_code == 200
        url, params = path, {"limit": limit, "cursor": page["next_cursor"]}
        assert nxt.json() == client.get(url, params=params).json()


@pytest.mark.parametrize("limit", [1, 3, 7])
def test_cursor_walks_every_row_once(client, writer, limit):
    made = [party(client, writer)["id"] for _ in range(7)]
    seen = _walk(client, "/parties", limit)
    assert seen == sorted(seen) and len(seen) == len(set(seen))
    assert set(made) <= set(seen)
    assert len(seen) == len(ids(client.get("/parties", params={"limit": 500})))


def test_cursor_keeps_filters(client, writer):
    g = party(client, writer, role="guarantor")
    made = [meeting(client, writer, participants=[{"party_id": g["id"]}])["id"] for _ in range(5)]
    meeting(client, writer)
    r = client.get("/meetings", params={"party_id": g["id"], "limit": 2})
    link = re.fullmatch(r'<([^>]+)>; rel="next"', r.headers["link"]).group(1)
    assert f"party_id={g['id']}" in link and "limit=2" in link
    got = ids(r)
    while "link" in r.headers:
        r = client.get(re.fullmatch(r'<([^>]+)>; rel="next"', r.headers["link"]).group(1))
        got += ids(r)
    assert got == made


def walk(client, params: dict) -> list[int]:
    """Every id of a list, page by page through its Link headers."""
    r = client.get("/meetings", params=params)
    got = ids(r)
    while "link" in r.headers:
        r = client.get(re.fullmatch(r'<([^>]+)>; rel="next"', r.headers["link"]).group(1))
        got += ids(r)
    return got


def test_participant_pages_are_the_meetings_once_in_order(client, writer):
    """A party's (or a name's) meetings in a date range are paged from the participant rows alone
    (MeetingService.by_participants); adding a filter on the meeting itself takes the general path.
    Both give each meeting once, in id order, whatever the page size."""
    gov = party(client, writer, name_ar="حكومة الاختبار")
    envoy = person(client, writer, party_id=gov["id"], name_ar="سمير الاختباري")
    other = party(client, writer)
    days = ["2016-05-01", "2017-02-03", "2017-06-30", "2017-07-01", "2018-01-01", "2017-03-03", None]
    made = []
    for k, day in enumerate(days):
        who = [{"party_id": gov["id"]}, {"person_id": envoy["id"]}][: 1 + k % 2] + [{"party_id": other["id"]}]
        made.append((meeting(client, writer, date=day, participants=who)["id"], day))
    meeting(client, writer, date="2017-03-03", participants=[{"party_id": other["id"]}])
    inside = [mid for mid, day in made if day and "2017-01-01" <= day <= "2017-12-31"]
    with_envoy = [mid for k, (mid, _) in enumerate(made) if k % 2 and mid in inside]  # odd ones: both
    for limit in (1, 2, 50):
        base = {"date_from": "2017-01-01", "date_to": "2017-12-31", "limit": limit}
        assert walk(client, {**base, "party_id": gov["id"]}) == inside
        assert walk(client, {**base, "party_id": gov["id"], "status": "held"}) == inside  # general path
        assert walk(client, {**base, "q": "الاختبار"}) == inside  # the party's name and the person's
        assert walk(client, {**base, "person_id": envoy["id"]}) == with_envoy
    assert walk(client, {"party_id": gov["id"], "limit": 3}) == [mid for mid, _ in made]


def test_a_changed_meeting_date_moves_it_in_participant_filters(client, writer, session):
    """The participants' copy of the date (migration 0006) follows a PATCH of the date, with or
    without new participants."""
    from sqlalchemy import select

    from app.models import MeetingParticipant

    gov, opp = party(client, writer), party(client, writer)
    m = meeting(client, writer, date="2017-09-14", participants=[{"party_id": gov["id"]}])
    in_2017 = {"party_id": gov["id"], "date_from": "2017-01-01", "date_to": "2017-12-31"}
    assert ids(client.get("/meetings", params=in_2017)) == [m["id"]]

    def patch(change: dict) -> None:
        etag = client.get(f"/meetings/{m['id']}").headers["etag"]
        r = client.patch(f"/meetings/{m['id']}", json=change, headers={**writer, "If-Match": etag})
        assert r.status_code == 200, r.text

    def copies() -> set:
        session.expire_all()
        return set(session.scalars(select(MeetingParticipant.meeting_date)
                                   .where(MeetingParticipant.meeting_id == m["id"])))

    patch({"date": "2018-02-01"})
    assert copies() == {dt.date(2018, 2, 1)}
    assert ids(client.get("/meetings", params=in_2017)) == []
    patch({"date": "2017-10-10", "participants": [{"party_id": gov["id"]}, {"party_id": opp["id"]}]})
    assert copies() == {dt.date(2017, 10, 10)}
    assert ids(client.get("/meetings", params={**in_2017, "party_id": opp["id"]})) == [m["id"]]
    patch({"date": None})
    assert copies() == {None}
    assert ids(client.get("/meetings", params=in_2017)) == []
    assert ids(client.get("/meetings", params={"party_id": gov["id"]})) == [m["id"]]


def test_limit_and_cursor_validation(client):
    body = assert_problem(client.get("/parties", params={"limit": 501}), 422, "limit")
    assert "limit" in body["detail"]
    assert_problem(client.get("/parties", params={"limit": 0}), 422, "limit")
    assert_problem(client.get("/parties", params={"limit": "ten"}), 422, "limit")
    for bad in ("not-a-cursor", "eyJhZnRlciI6ICJ4In0", "!!!"):
        assert_problem(client.get("/parties", params={"cursor": bad}), 422, "cursor")
    assert client.get("/parties", params={"limit": 500}).status_code == 200
