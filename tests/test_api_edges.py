"""Edges that once answered 409 or 500 instead of a 422 naming the field, on SQLite and Postgres."""

from __future__ import annotations

import base64

import pytest
from sqlalchemy import func, select, text

from apifactory import IDLIB, assert_problem, meeting, party, person, place, process, round_, zone
from app.models import Party

TOO_BIG = 2**31  # ids are INTEGER on Postgres


def patch(client, writer, url, body):
    return client.patch(url, json=body, headers={**writer, "If-Match": client.get(url).headers["etag"]})


@pytest.mark.parametrize("resource, body, field", [
    ("parties", {"role": None}, "role"),
    ("parties", {"kind": None}, "kind"),
    ("parties", {"aliases": None}, "aliases"),
    ("rounds", {"process_id": None}, "process_id"),
    ("rounds", {"status": None}, "status"),
    ("meetings", {"kind": None}, "kind"),
    ("zones", {"areas": None}, "areas"),
])
def test_patch_to_null_where_null_is_not_allowed(client, writer, resource, body, field):
    pr = process(client, writer)
    row = {"parties": lambda: party(client, writer), "rounds": lambda: round_(client, writer, pr["id"]),
           "meetings": lambda: meeting(client, writer), "zones": lambda: zone(client, writer)}[resource]()
    url = f"/{resource}/{row['id']}"
    assert_problem(patch(client, writer, url, body), 422, field)
    assert client.get(url).json() == row


def test_patch_may_not_leave_a_row_nameless(client, writer):
    pa = party(client, writer, name_en="Iran", name_ar=None)
    url = f"/parties/{pa['id']}"
    assert_problem(patch(client, writer, url, {"name_en": None}), 422, "name_en")
    assert_problem(patch(client, writer, url, {"name_en": ""}), 422, "name_en")
    swapped = patch(client, writer, url, {"name_en": None, "name_ar": "إيران"})
    assert swapped.status_code == 200 and swapped.json()["name_ar"] == "إيران"
    # nullable columns may be cleared
    pe = person(client, writer, party_id=pa["id"], title_en="Envoy")
    cleared = patch(client, writer, f"/persons/{pe['id']}", {"party_id": None, "title_en": None})
    assert cleared.status_code == 200 and cleared.json()["party_id"] is None


@pytest.mark.parametrize("q", ["%", "_", "%%", "__", "ـ", "\u064b"])
def test_q_of_wildcards_or_marks_matches_nothing(client, writer, q):
    party(client, writer, name_en="Russia", name_ar="روسيا")
    assert client.get("/parties", params={"q": q}).json()["items"] == []
    assert client.get("/meetings", params={"q": q}).json()["items"] == []


@pytest.mark.parametrize("bbox", ["1..2,3,4,5", "5,5,1,1", "0,0,200,1", "0,-91,1,1", "1,2,3"])
def test_bad_bbox(client, bbox):
    assert_problem(client.get("/zones", params={"bbox": bbox}), 422, "bbox")


def test_ids_out_of_range_are_422_not_500(client, writer):
    assert_problem(client.get(f"/parties/{TOO_BIG}"), 422, "id")
    assert_problem(client.get(f"/rounds/{TOO_BIG}/meetings"), 422, "id")
    assert client.get(f"/parties/{TOO_BIG - 1}").status_code == 404
    for path, param in (("/meetings", "party_id"), ("/meetings", "round_id"), ("/persons", "party_id"),
                        ("/zones", "process_id"), ("/rounds", "process_id"), ("/delegations", "round_id")):
        assert_problem(client.get(path, params={param: 10**20}), 422, param)
        assert_problem(client.get(path, params={param: 0}), 422, param)
    assert_problem(client.post("/rounds", json={"process_id": TOO_BIG}, headers=writer), 422, "process_id")
    assert_problem(client.post("/meetings", json={"participants": [{"person_id": 10**12}]}, headers=writer),
                   422, "participants.person_id")
    pr = process(client, writer)
    r = round_(client, writer, pr["id"])
    assert_problem(patch(client, writer, f"/rounds/{r['id']}", {"place_id": 10**15}), 422, "place_id")
    for after in (10**20, TOO_BIG, -1):
        cursor = base64.urlsafe_b64encode(f'{{"after": {after}}}'.encode()).decode().rstrip("=")
        assert_problem(client.get("/parties", params={"cursor": cursor}), 422, "cursor")


def test_deleting_a_referenced_row_is_409_and_keeps_it(client, writer):
    pa = party(client, writer)
    person(client, writer, party_id=pa["id"])
    pr = process(client, writer)
    round_(client, writer, pr["id"])
    pl = place(client, writer)
    meeting(client, writer, place_id=pl["id"])
    for url in (f"/parties/{pa['id']}", f"/processes/{pr['id']}", f"/places/{pl['id']}"):
        assert_problem(client.delete(url, headers={**writer, "If-Match": client.get(url).headers["etag"]}), 409)
        assert client.get(url).status_code == 200


def test_if_match_star_and_weak(client, writer):
    pa = party(client, writer)
    url = f"/parties/{pa['id']}"
    r = client.patch(url, json={"role": "host"}, headers={**writer, "If-Match": "*"})
    assert r.status_code == 200 and r.json()["version"] == 2
    tag = r.headers["etag"]
    r = client.patch(url, json={"role": "observer"}, headers={**writer, "If-Match": f'"nope", {tag}'})
    assert r.status_code == 200 and r.json()["version"] == 3
    assert_problem(client.patch(url, json={"role": "host"}, headers={**writer, "If-Match": '"nope"'}), 412)


def test_accept_on_items_and_writes(client, writer, session):
    z = zone(client, writer, geometry=IDLIB)
    for url in (f"/zones/{z['id']}", f"/zones/{z['id']}/history", f"/zones/{z['id']}/evidence"):
        assert_problem(client.get(url, headers={"Accept": "text/csv"}), 406)
        assert client.get(url, headers={"Accept": "application/json;q=0.5, text/html"}).status_code == 200
        assert client.get(url, headers={"Accept": "*/*"}).status_code == 200
    count = session.scalar(select(func.count()).select_from(Party))
    r = client.post("/parties", json={"name_en": "Unwanted"}, headers={**writer, "Accept": "text/csv"})
    assert_problem(r, 406)
    assert session.scalar(select(func.count()).select_from(Party)) == count  # nothing was created


def test_lost_update_is_412(client, writer, session):
    """Another writer changed the row after this request's read: the UPDATE ... WHERE version = n
    matches nothing, and the answer is 412, not a silent overwrite."""
    pa = party(client, writer, role="guarantor")
    url = f"/parties/{pa['id']}"
    tag = client.get(url).headers["etag"]  # the row, version 1, stays in the session's identity map
    session.execute(text("UPDATE party SET version = version + 1, role = 'host' WHERE id = :id"), {"id": pa["id"]})
    session.commit()
    assert_problem(client.patch(url, json={"role": "mediator"}, headers={**writer, "If-Match": tag}), 412)
    session.expire_all()
    stored = session.get(Party, pa["id"])
    assert (stored.version, stored.role) == (2, "host")


def test_derived_columns_follow_a_patch(client, writer):
    """The bounding box (for ?bbox=) and the search names (for ?q=) are recomputed on PATCH."""
    z = zone(client, writer, name_en="Moving zone", geometry=IDLIB)
    url = f"/zones/{z['id']}"
    south = {"type": "Polygon", "coordinates": [[[35.8, 32.5], [36.4, 32.5], [36.4, 33.0], [35.8, 33.0], [35.8, 32.5]]]}
    assert patch(client, writer, url, {"geometry": south, "aliases": ["الجنوب"]}).status_code == 200
    found = lambda **p: [i["id"] for i in client.get("/zones", params=p).json()["items"]]  # noqa: E731
    assert found(bbox="36,32.6,36.1,32.7") == [z["id"]]
    assert found(bbox="36.5,36,36.6,36.1") == []
    assert found(q="الجنوب") == [z["id"]]
    assert patch(client, writer, url, {"geometry": None}).status_code == 200
    assert found(bbox="-180,-90,180,90") == []
    pa = party(client, writer, name_en="Old name")
    patch(client, writer, f"/parties/{pa['id']}", {"name_en": "New name"})
    assert client.get("/parties", params={"q": "old name"}).json()["items"] == []
    assert [p["id"] for p in client.get("/parties", params={"q": "new name"}).json()["items"]] == [pa["id"]]
