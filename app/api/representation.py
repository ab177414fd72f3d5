"""How a result is written out: JSON, CSV or GeoJSON, with ETags, 304s and Link headers."""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Callable
from typing import Any

import orjson
from fastapi import Request, Response

from app.errors import NotAcceptable, PreconditionFailed, PreconditionRequired

JSON, CSV, GEOJSON = "application/json", "text/csv", "application/geo+json"
FORMATS = {"json": JSON, "csv": CSV, "geojson": GEOJSON}


def negotiate(request: Request, fmt: str | None, offered: tuple[str, ...]) -> str:
    """The media type to answer with: the `format` parameter wins, then Accept, then JSON."""
    if fmt:
        media = FORMATS[fmt]
        if media not in offered:
            raise NotAcceptable(f"format={fmt} is not offered here; offered: {', '.join(offered)}")
        return media
    accept = request.headers.get("accept", "")
    if not accept.strip():
        return offered[0]
    for part in sorted(_accept_parts(accept), key=lambda p: -p[1]):
        media, quality = part
        if quality <= 0:
            continue
        if media in ("*/*", "application/*", "application/json") or media in offered:
            return offered[0] if media in ("*/*", "application/*") else media
        if media == "text/*" and CSV in offered:
            return CSV
    raise NotAcceptable(f"offered: {', '.join(offered)}")


def _accept_parts(accept: str):
    for item in accept.split(","):
        media, *params = (p.strip() for p in item.split(";"))
        quality = 1.0
        for param in params:
            if param.startswith("q="):
                try:
                    quality = float(param[2:])
                except ValueError:
                    quality = 0.0
        yield media.lower(), quality


def etag_of(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def respond(request: Request, body: bytes, media_type: str, *, status: int = 200,
            headers: dict[str, str] | None = None, negotiated: bool = False) -> Response:
    """Answer with an ETag, or 304 when the client already holds this representation.
    Unless the caller chose `media_type` by negotiate(), Accept must admit it (else 406)."""
    if not negotiated:
        negotiate(request, None, (media_type.split(";")[0],))
    tag = etag_of(body + media_type.encode())
    headers = {**(headers or {}), "ETag": tag, "Vary": "Accept"}
    if request.method == "GET" and matches(request.headers.get("if-none-match"), tag):
        return Response(status_code=304, headers=headers)
    return Response(body, status_code=status, media_type=media_type, headers=headers)


def matches(header: str | None, tag: str) -> bool:
    if not header:
        return False
    tags = {t.strip().removeprefix("W/") for t in header.split(",")}
    return "*" in tags or tag in tags


def check_if_match(if_match: str | None, current: bytes) -> None:
    """Changing a row needs the ETag of the representation the client read (RFC 9110 If-Match)."""
    if if_match is None:
        raise PreconditionRequired("read the resource and send its ETag in If-Match")
    if if_match.strip() != "*" and not matches(if_match, etag_of(current + JSON.encode())):
        raise PreconditionFailed("the ETag in If-Match is stale; read the resource again")


def dump(data: Any) -> bytes:
    # OPT_UTC_Z: a UTC datetime as ...Z, as pydantic writes it, so rows may be written straight
    return orjson.dumps(data, option=orjson.OPT_NON_STR_KEYS | orjson.OPT_UTC_Z)


def link_next(request: Request, cursor: str | None) -> dict[str, str]:
    if not cursor:
        return {}
    return {"Link": f'<{request.url.include_query_params(cursor=cursor)}>; rel="next"'}


# A spreadsheet runs a cell that begins with one of these as a formula (=HYPERLINK(...), @SUM(...)):
# OWASP's "CSV injection". Such a text cell is written with a ' in front, which the spreadsheet
# shows as text and does not run. Only text: numbers, dates and ids are written as they are.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _text(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_START) else value


def to_csv(rows: list[dict[str, Any]], columns: list[str]) -> bytes:
    """One row per item; lists of plain values joined by '; ', anything nested as JSON; a text
    cell that a spreadsheet would run as a formula begins with ' (FORMULA_START)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _cell(row.get(k)) for k in columns})
    return out.getvalue().encode("utf-8")


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str):
        return _text(value)
    if isinstance(value, list) and all(isinstance(v, (str, int, float)) for v in value):
        joined = "; ".join(str(v) for v in value)
        return _text(joined) if value and isinstance(value[0], str) else joined  # the cell starts as its first item
    if isinstance(value, (list, dict)):
        return orjson.dumps(value).decode()
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def page_response(request: Request, *, items: list[dict[str, Any]], next_cursor: str | None, limit: int,
                  media: str, columns: list[str],
                  feature: Callable[[dict[str, Any]], dict[str, Any]] | None = None) -> Response:
    headers = link_next(request, next_cursor)
    if media == CSV:
        items = orjson.loads(dump(items))  # dates and datetimes as in JSON
        return respond(request, to_csv(items, columns), "text/csv; charset=utf-8", headers=headers,
                       negotiated=True)
    if media == GEOJSON and feature is not None:
        body = {"type": "FeatureCollection", "features": [feature(i) for i in items], "next_cursor": next_cursor}
        return respond(request, dump(body), GEOJSON, headers=headers, negotiated=True)
    return respond(request, dump({"items": items, "next_cursor": next_cursor, "limit": limit}), JSON,
                   headers=headers, negotiated=True)
