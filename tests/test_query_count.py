"""No N+1: every list route issues the same number of SQL statements for a page of 5 rows as for a
page of 50 (counted by a before_cursor_execute listener on the engine), on SQLite and Postgres."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from app.main import app
from app.models import (
    Article, Delegation, DelegationMember, Meeting, MeetingParticipant, Party, Person, Place, Process, Round,
    Zone,
)

N = 60  # more rows of each kind than the larger page


@contextmanager
def counting(engine) -> Iterator[list[str]]:
    seen: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        if not statement.startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")):
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)  # (the tests' SAVEPOINTs are left out below)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


def square(i: int) -> dict:
    lon, lat = 36.0 + (i % 10) * 0.1, 33.0 + (i // 10) * 0.1
    ring = [[lon, lat], [lon + 0.05, lat], [lon + 0.05, lat + 0.05], [lon, lat + 0.05], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


@pytest.fixture
def record(session) -> dict[str, int]:
    """N rows of every kind, each meeting with three participants, each delegation two members."""
    processes = [Process(key=f"qc-process-{i}", name_en=f"Astana talks {i}", name_ar="محادثات أستانا")
                 for i in range(N)]
    session.add_all(processes)
    session.flush()
    process = processes[0]
    places = [Place(key=f"qc-place-{i}", name_en=f"Place {i}", name_ar=f"مكان {i}") for i in range(N)]
    parties = [Party(key=f"qc-party-{i}", name_en=f"Party {i}", name_ar=f"حزب {i}") for i in range(N)]
    session.add_all(places + parties)
    session.flush()
    persons = [Person(key=f"qc-person-{i}", name_en=f"Person {i}", name_ar=f"شخص {i}", party_id=parties[0].id)
               for i in range(N)]
    rounds = [Round(process_id=process.id, number=i + 1, start_date=dt.date(2017, 1, 1) + dt.timedelta(days=i))
              for i in range(N)]
    session.add_all(persons + rounds)
    session.flush()
    meetings = [Meeting(date=dt.date(2017, 5, 1), round_id=rounds[0].id) for _ in range(N)]
    delegations = [Delegation(round_id=rounds[0].id, party_id=p.id) for p in parties]
    zones = [Zone(key=f"qc-zone-{i}", name_en=f"Zone {i}", name_ar=f"منطقة {i}", geometry=square(i),
                  process_id=process.id) for i in range(N)]
    articles = [Article(title=f"Talks {i}", text=f"text {i}", content_hash=f"qc-{i:060d}", language="en",
                        published=dt.date(2017, 5, 1)) for i in range(N)]
    session.add_all(meetings + delegations + zones + articles)
    session.flush()
    session.add_all(MeetingParticipant(meeting_id=m.id, meeting_date=m.date, party_id=parties[k].id)
                    for m in meetings for k in (0, 1))
    session.add_all(MeetingParticipant(meeting_id=m.id, meeting_date=m.date, person_id=persons[0].id) for m in meetings)
    session.add_all(DelegationMember(delegation_id=d.id, person_id=p.id) for d in delegations for p in persons[:2])
    session.commit()
    return {"round": rounds[0].id, "party": parties[0].id, "person": persons[0].id}


def list_paths(ids: dict[str, int]) -> list[str]:
    r, pa, pe = ids["round"], ids["party"], ids["person"]
    return [
        "/processes", "/places", "/parties", "/persons", "/rounds", "/delegations", "/meetings", "/zones",
        "/articles",
        f"/rounds/{r}/meetings", f"/parties/{pa}/meetings", f"/persons/{pe}/meetings", f"/rounds/{r}/delegations",
        # the same lists filtered, searched and in their other formats
        f"/meetings?party_id={pa}&date_from=2017-01-01", "/meetings?q=party", "/meetings?format=csv",
        "/zones?format=geojson", "/zones?format=csv&bbox=35,32,38,35", "/persons?q=person",
        "/delegations?format=csv",
    ]


def test_every_list_route_is_counted(record):
    """A new list route must be added here (a GET whose answer is a page)."""
    covered = {p.split("?")[0] for p in list_paths(record)}
    doc = app.openapi()
    pages = [path for path, ops in doc["paths"].items() if "get" in ops
             and ops["get"]["responses"]["200"]["content"]["application/json"]["schema"].get("$ref", "")
             .endswith("Page")]
    assert len(pages) >= 13
    for path in pages:
        concrete = path.replace("{id}", str(record["round"] if path.startswith("/rounds") else
                                            record["party"] if path.startswith("/parties") else record["person"]))
        assert concrete in covered, f"{path} is a list route that test_query_count does not count"


def test_statements_per_page_do_not_grow_with_the_page(client, engine, record):
    for path in list_paths(record):
        sep = "&" if "?" in path else "?"
        counts = {}
        for limit in (5, 50):
            with counting(engine) as seen:
                r = client.get(f"{path}{sep}limit={limit}")
            assert r.status_code == 200, f"{path}: {r.status_code} {r.text[:300]}"
            if "csv" not in path:
                body = r.json()
                rows = body.get("items", body.get("features"))
                assert len(rows) == limit, f"{path}: {len(rows)} rows for limit={limit}"
            counts[limit] = len(seen)
        assert counts[5] == counts[50], f"{path}: {counts[5]} statements for 5 rows, {counts[50]} for 50"
        assert counts[50] <= 3, f"{path}: {counts[50]} statements for one page"


def test_statements_of_a_get_are_constant(client, engine, record):
    for path in ("/meetings", "/delegations", "/zones"):
        items = client.get(path, params={"limit": 2}).json()["items"]
        with counting(engine) as seen:
            assert client.get(f"{path}/{items[0]['id']}").status_code == 200
        assert len(seen) <= 2, f"{path}/{{id}}: {len(seen)} statements: {seen}"


def test_a_list_statement_is_built_once_per_set_of_filters():
    """Two requests that set the same filters share one statement (its SQLAlchemy cache key is then
    computed once): only the values differ, bound at each call (Service.statement / values)."""
    from app.api.routes.meetings import meeting_res
    from app.services import MeetingParams, meetings
    from app.services.base import encode_cursor

    cols = meeting_res.selected
    a = MeetingParams(party_id=1, date_from="2017-01-01", q="روسيا")
    b = MeetingParams(party_id=7, date_from="2019-05-05", q="Geneva", limit=10)
    assert meetings.statement(a, cols) is meetings.statement(b, cols)
    assert meetings.values(b)["party_id"] == 7 and meetings.values(b)["limit_1"] == 11
    assert meetings.statement(MeetingParams(party_id=1), cols) is not meetings.statement(a, cols)
    deep = MeetingParams(party_id=1, cursor=encode_cursor(500))
    assert meetings.values(deep)["after"] == 500
    assert meetings.statement(MeetingParams(q="!!"), cols) is not meetings.statement(MeetingParams(q="x"), cols)
