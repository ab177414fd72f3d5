"""`Idempotency-Key` on POST: a client that retries a create (a timeout, a dropped connection)
gets the answer of the first attempt instead of a second row.

The answer is stored in the same transaction as the row the POST created, so either both are
saved or neither is. Keys belong to the API key that sent them. The same key with the same
request replays the stored answer (status, body, Location, ETag, and `Idempotent-Replayed: true`);
the same key with another request answers 422. Two attempts racing with one key cannot both
create: the second trips the unique (api key, key) constraint, answers 409, and writes nothing.
A record older than IDEMPOTENCY_TTL_SECONDS is forgotten.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, FastAPI, Header, Request, Response
from sqlalchemy import select
from sqlmodel import Session

from app.api.deps import SessionDep, WriterDep
from app.errors import Unprocessable
from app.models import IdempotencyRecord
from app.settings import get_settings

REPLAYED_HEADERS = ("location", "etag", "content-type")


class Replay(Exception):
    """Raised by the dependency to answer with the stored response; the route does not run."""

    def __init__(self, record: IdempotencyRecord):
        # copied now: raising rolls the session back, and the row with it
        self.status, self.headers, self.body = record.status, dict(record.headers), record.body


async def request_hash(request: Request) -> str:
    digest = hashlib.sha256()
    for part in (request.method, request.url.path, request.url.query):
        digest.update(part.encode() + b"\n")
    digest.update(await request.body())
    return digest.hexdigest()


@dataclass
class Idempotency:
    session: Session | None = None
    api_key_id: int | None = None
    key: str | None = None
    request_hash: str = ""
    method: str = ""
    path: str = ""

    def save(self, response: Response) -> Response:
        """Store the answer (in the request's transaction) and hand it back."""
        if self.key is None or self.session is None:
            return response
        headers = {k: v for k, v in response.headers.items() if k.lower() in REPLAYED_HEADERS}
        self.session.add(IdempotencyRecord(
            api_key_id=self.api_key_id, key=self.key, method=self.method, path=self.path,
            request_hash=self.request_hash, status=response.status_code, headers=headers,
            body=bytes(response.body).decode("utf-8")))
        self.session.flush()  # a racing twin with the same key fails here (409), before the commit
        return response


def idempotency(
    request: Request, session: SessionDep, api_key: WriterDep, fingerprint: Annotated[str, Depends(request_hash)],
    idempotency_key: Annotated[str | None, Header(
        alias="Idempotency-Key", min_length=1, max_length=255,
        description="any unique string (a UUID): sending the same request again with it replays the first "
                    "answer instead of creating twice; another request with the same key answers 422")] = None,
) -> Idempotency:
    if idempotency_key is None:
        return Idempotency()
    record = session.scalars(select(IdempotencyRecord).where(
        IdempotencyRecord.api_key_id == api_key.id, IdempotencyRecord.key == idempotency_key)).first()
    if record is not None:
        age = dt.datetime.now(dt.UTC) - record.created_at
        if age > dt.timedelta(seconds=get_settings().idempotency_ttl_seconds):
            session.delete(record)
            session.flush()
        elif record.request_hash != fingerprint:
            raise Unprocessable("Idempotency-Key", "this key was used with another request; use a new key")
        else:
            raise Replay(record)
    return Idempotency(session=session, api_key_id=api_key.id, key=idempotency_key, request_hash=fingerprint,
                       method=request.method, path=request.url.path)


IdempotencyDep = Annotated[Idempotency, Depends(idempotency)]


def install(app: FastAPI) -> None:
    @app.exception_handler(Replay)
    async def _replay(request: Request, exc: Replay):
        return Response(exc.body.encode("utf-8"), status_code=exc.status,
                        headers={**exc.headers, "Idempotent-Replayed": "true"})
