"""The baseline of bench/api_bench.py: the read routes it measures, served with nothing but a bare
ASGI handler, asyncpg and orjson, answering the same bytes as the app (same SQL, same JSON, same
ETag and Link headers). What the app costs above this is the price of its stack.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/peacetrack_bench \\
        .venv/bin/uvicorn bench.baseline_app:app --no-access-log --port 8702

Routes: GET /meetings/{id}, GET /meetings (limit, cursor, party_id, date_from, date_to, q),
GET /zones (limit, cursor, format=geojson), GET /persons (limit, cursor, q).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import os
from urllib.parse import parse_qsl

import asyncpg
import orjson

from app.extract.normalize import search_key
from app.services.base import like_pattern

URL = os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/peacetrack_bench").replace(
    "postgresql+psycopg://", "postgresql://")
OPT = orjson.OPT_NON_STR_KEYS | orjson.OPT_UTC_Z

MEETING = ("id, version, created_at, updated_at, date, date_precision, round_id, place_id, kind, status, closed, "
           "facilitator_party_id, facilitator_person_id, summary, confidence")
MEETING_FIELDS = [c.strip() for c in MEETING.split(",")]
ZONE = ("id, version, created_at, updated_at, name_en, name_ar, aliases, areas, geometry, geometry_precision, "
        "status, status_date, requested_by_party_id, process_id, round_id, key")
ZONE_FIELDS = [c.strip() for c in ZONE.split(",")]
PERSON = "id, version, created_at, updated_at, name_en, name_ar, aliases, party_id, title_en, title_ar, key"
PERSON_FIELDS = [c.strip() for c in PERSON.split(",")]
PARTICIPANTS = (
    "SELECT mp.meeting_id, mp.party_id, mp.person_id, pa.name_en, pa.name_ar, pe.name_en, pe.name_ar "
    "FROM meeting_participant mp LEFT OUTER JOIN party pa ON pa.id = mp.party_id "
    "LEFT OUTER JOIN person pe ON pe.id = mp.person_id WHERE mp.meeting_id = ANY($1::int[]) "
    "ORDER BY mp.meeting_id, mp.id")

pool: asyncpg.Pool | None = None


async def _init(conn: asyncpg.Connection) -> None:
    await conn.set_type_codec("jsonb", encoder=lambda v: orjson.dumps(v).decode(), decoder=orjson.loads,
                              schema="pg_catalog")


def encode_cursor(last_id: int) -> str:
    return base64.urlsafe_b64encode(orjson.dumps({"after": last_id})).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    return orjson.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))["after"]


async def participants(conn, ids: list[int]) -> dict[int, list[dict]]:
    out: dict[int, list[dict]] = {i: [] for i in ids}
    for mid, party_id, person_id, pa_en, pa_ar, pe_en, pe_ar in await conn.fetch(PARTICIPANTS, ids):
        out[mid].append({"party_id": party_id, "person_id": person_id, "name_en": pa_en or pe_en,
                         "name_ar": pa_ar or pe_ar})
    return out


def meeting_dict(row, people) -> dict:
    d = dict(zip(MEETING_FIELDS, row))
    d["participants"] = people[d["id"]]
    return d


async def get_meeting(conn, mid: int):
    row = await conn.fetchrow(f"SELECT {MEETING} FROM meeting WHERE id = $1", mid)
    if row is None:
        return 404, None
    people = await participants(conn, [mid])
    return 200, meeting_dict(row, people)


async def list_rows(conn, table: str, cols: str, q: dict, where: list[str], args: list):
    limit = int(q.get("limit", 50))
    if "cursor" in q:
        args.append(decode_cursor(q["cursor"]))
        where.append(f"{table}.id > ${len(args)}")
    args.append(limit + 1)
    sql = (f"SELECT {cols} FROM {table} " + ("WHERE " + " AND ".join(where) if where else "")
           + f" ORDER BY {table}.id LIMIT ${len(args)}")
    rows = await conn.fetch(sql, *args)
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, (encode_cursor(rows[-1]["id"]) if more and rows else None), limit


async def list_meetings(conn, q: dict):
    """The app's SQL (MeetingService.by_participants): a participant condition with dates read from
    the participant rows, cut to the page's ids when it is the only one."""
    where, args, dates = [], [], []
    for key, op in (("date_from", ">="), ("date_to", "<=")):
        if key in q:
            args.append(dt.date.fromisoformat(q[key]))
            where.append(f"meeting.date {op} ${len(args)}")
            dates.append(f" AND meeting_date {op} ${len(args)}")
    d = "".join(dates)
    sets = []
    if "party_id" in q:
        args.append(int(q["party_id"]))
        n = len(args)
        sets.append(f"SELECT meeting_id FROM meeting_participant WHERE party_id = ${n}{d} UNION ALL "
                    "SELECT meeting_id FROM meeting_participant WHERE person_id IN "
                    f"(SELECT person.id FROM person WHERE person.party_id = ${n}){d}")
    if "q" in q:
        args.append(like_pattern(search_key(q["q"])))
        n = len(args)
        sets.append("SELECT meeting_id FROM meeting_participant WHERE party_id IN "
                    f"(SELECT party.id FROM party WHERE party.search_names LIKE ${n} ESCAPE '/'){d} UNION ALL "
                    "SELECT meeting_id FROM meeting_participant WHERE person_id IN "
                    f"(SELECT person.id FROM person WHERE person.search_names LIKE ${n} ESCAPE '/'){d}")
    if len(sets) == 1:
        after = ""
        if "cursor" in q:
            args.append(decode_cursor(q["cursor"]))
            after = f" WHERE s.meeting_id > ${len(args)}"
        args.append(int(q.get("limit", 50)) + 1)
        sets = [f"SELECT DISTINCT s.meeting_id FROM ({sets[0]}) AS s{after} ORDER BY s.meeting_id LIMIT ${len(args)}"]
    where += [f"meeting.id IN ({ids})" for ids in sets]
    rows, cursor, limit = await list_rows(conn, "meeting", MEETING, q, where, args)
    people = await participants(conn, [r["id"] for r in rows])
    return {"items": [meeting_dict(r, people) for r in rows], "next_cursor": cursor, "limit": limit}, cursor


async def list_persons(conn, q: dict):
    where, args = [], []
    if "q" in q:
        args.append(like_pattern(search_key(q["q"])))
        where.append(f"person.search_names LIKE ${len(args)} ESCAPE '/'")
    rows, cursor, limit = await list_rows(conn, "person", PERSON, q, where, args)
    return {"items": [dict(zip(PERSON_FIELDS, r)) for r in rows], "next_cursor": cursor, "limit": limit}, cursor


async def list_zones(conn, q: dict):
    rows, cursor, limit = await list_rows(conn, "zone", ZONE, q, [], [])
    features = []
    for r in rows:
        z = dict(zip(ZONE_FIELDS, r))
        props = {k: v for k, v in z.items() if k not in ("geometry", "id")}
        features.append({"type": "Feature", "id": z["id"], "geometry": z["geometry"], "properties": props})
    return {"type": "FeatureCollection", "features": features, "next_cursor": cursor}, cursor


async def send(send_, status: int, body: bytes, media: str, extra: list | None = None) -> None:
    tag = '"' + hashlib.sha256(body + media.encode()).hexdigest()[:32] + '"'
    headers = [(b"content-type", media.encode()), (b"content-length", str(len(body)).encode()),
               (b"etag", tag.encode()), (b"vary", b"Accept"), *(extra or [])]
    await send_({"type": "http.response.start", "status": status, "headers": headers})
    await send_({"type": "http.response.body", "body": body})


async def app(scope, receive, send_):
    global pool
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                pool = await asyncpg.create_pool(URL, min_size=10, max_size=10, init=_init)
                await send_({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await pool.close()
                await send_({"type": "lifespan.shutdown.complete"})
                return
    path = scope["path"]
    q = dict(parse_qsl(scope["query_string"].decode()))
    media = "application/json"
    async with pool.acquire() as conn:
        if path.startswith("/meetings/"):
            status, data = await get_meeting(conn, int(path[10:]))
            cursor = None
        elif path == "/meetings":
            status, (data, cursor) = 200, await list_meetings(conn, q)
        elif path == "/persons":
            status, (data, cursor) = 200, await list_persons(conn, q)
        elif path == "/zones":
            status, (data, cursor) = 200, await list_zones(conn, q)
            media = "application/geo+json"
        else:
            status, data, cursor = 404, None, None
    if status != 200:
        await send(send_, status, b'{"title":"Not Found"}', "application/problem+json")
        return
    extra = []
    if cursor:
        qs = dict(q, cursor=cursor)
        scheme, (host, port) = scope.get("scheme", "http"), scope["server"]
        from urllib.parse import urlencode
        link = f'<{scheme}://{host}:{port}{path}?{urlencode(qs)}>; rel="next"'
        extra.append((b"link", link.encode()))
    await send(send_, 200, orjson.dumps(data, option=OPT), media, extra)
