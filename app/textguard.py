"""Text the databases cannot store is refused with 422 naming the field, before any route runs.

Postgres refuses a NUL character in text (SQLite would keep it, but then the two databases would
disagree), and a lone UTF-16 surrogate (JSON `"\\ud800"`) cannot be encoded as UTF-8 at all. Both
arrive as valid JSON or query strings, pass the models' validation, and would surface as a 500
from the driver. One app-wide dependency looks at every query parameter and every JSON body, so
no route (today's or tomorrow's) can let one through.
"""

from __future__ import annotations

import json
import re
from typing import Any

from fastapi import Request

from app.errors import Unprocessable

_BAD = re.compile("[\x00\ud800-\udfff]")
JSON_TYPES = ("application/json",)


def _problem(text: str) -> str | None:
    match = _BAD.search(text)
    if match is None:
        return None
    return "contains a NUL character" if match.group() == "\x00" else "contains a lone UTF-16 surrogate"


def find_unstorable(value: Any, path: str = "") -> tuple[str, str] | None:
    """The first (field, reason) in a parsed JSON value whose text cannot be stored, or None."""
    if isinstance(value, str):
        reason = _problem(value)
        return (path or "body", reason) if reason else None
    if isinstance(value, int) and not isinstance(value, bool) and not -2**63 <= value < 2**63:
        return (path or "body", "is beyond the 64-bit integer range")
    if isinstance(value, dict):
        for key, item in value.items():
            name = f"{path}.{key}" if path else str(key)
            if reason := _problem(str(key)):
                return name, reason
            if found := find_unstorable(item, name):
                return found
    elif isinstance(value, list):
        for index, item in enumerate(value):
            if found := find_unstorable(item, f"{path}.{index}" if path else str(index)):
                return found
    return None


async def reject_unstorable_text(request: Request) -> None:
    for name, value in request.query_params.multi_items():
        if reason := _problem(name) or _problem(value):
            raise Unprocessable(name, reason)
    if request.method not in ("POST", "PUT", "PATCH"):
        return
    media, _, params = request.headers.get("content-type", "").partition(";")
    media = media.strip().lower()
    if media.startswith("text/"):
        charset = params.partition("charset=")[2].strip().strip('"') or "utf-8"
        try:
            text = (await request.body()).decode(charset)
        except (UnicodeDecodeError, LookupError):
            return  # the route answers that
        if "\x00" in text:
            raise Unprocessable("text", "contains a NUL character")
    elif media in JSON_TYPES or media.endswith("+json"):
        try:
            data = json.loads(await request.body())
        except (ValueError, RecursionError):
            return  # not JSON: the route answers that
        if found := find_unstorable(data):
            raise Unprocessable(*found)
