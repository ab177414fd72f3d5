"""Dependencies, each named once as an Annotated alias. Load-or-404 happens here, not in routes."""


import datetime as dt
import hashlib
import hmac
from collections.abc import Callable, Iterator
from typing import Annotated

from fastapi import Depends, Header, Path, Request
from sqlalchemy import select
from sqlmodel import Session

from app.db import read_without_transaction, session_scope
from app.errors import Forbidden, NotFound, Unauthorized
from app.ratelimit import check_auth_failures, check_write, record_auth_failure
from app.models import (
    ApiKey, Article, Delegation, Meeting, Party, Person, Place, Process, Round, Zone,
)
from app.services.base import MAX_ID
from app.services import (
    Service, articles, delegations, meetings, parties, persons, places, processes, rounds, zones,
)


def get_session(request: Request) -> Iterator[Session]:
    """One unit of work per request: commit once when the route returns, roll back on error."""
    with session_scope(write=request.method not in ("GET", "HEAD", "OPTIONS")) as session:
        if request.method in ("GET", "HEAD"):
            read_without_transaction(session)
        yield session


# scope="function": the commit happens before the response is sent, so a client never sees a
# success for a write that then failed to commit.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]


def loader(service: Service) -> Callable:
    name = service.model.__tablename__

    def load(session: SessionDep, id: Annotated[int, Path(ge=1, le=MAX_ID, description=f"the {name}'s id")]):
        obj = service.get(session, id=id)
        if obj is None:
            raise NotFound(f"no {name} with id {id}")
        return obj

    load.__name__ = f"load_{name}"
    return load


ProcessDep = Annotated[Process, Depends(loader(processes))]
PlaceDep = Annotated[Place, Depends(loader(places))]
PartyDep = Annotated[Party, Depends(loader(parties))]
PersonDep = Annotated[Person, Depends(loader(persons))]
RoundDep = Annotated[Round, Depends(loader(rounds))]
DelegationDep = Annotated[Delegation, Depends(loader(delegations))]
MeetingDep = Annotated[Meeting, Depends(loader(meetings))]
ZoneDep = Annotated[Zone, Depends(loader(zones))]
ArticleDep = Annotated[Article, Depends(loader(articles))]

ITEM_DEPS: dict[str, object] = {
    "process": ProcessDep, "place": PlaceDep, "party": PartyDep, "person": PersonDep,
    "round": RoundDep, "delegation": DelegationDep, "meeting": MeetingDep, "zone": ZoneDep,
    "article": ArticleDep,
}


# --- API keys ------------------------------------------------------------------------------
def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def authenticate(session: Session, authorization: str | None) -> ApiKey:
    if not authorization:
        raise Unauthorized("send Authorization: Bearer <api key>")
    scheme, _, token = authorization.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token.startswith("pt_") or token.count("_") < 2:
        raise Unauthorized("malformed API key")
    prefix = token.split("_")[1]
    key = session.scalars(select(ApiKey).where(ApiKey.prefix == prefix)).first()
    # compare_digest: the time taken does not tell how much of a guess was right
    if key is None or not hmac.compare_digest(key.key_hash, hash_secret(token)):
        raise Unauthorized("unknown API key")
    if key.revoked_at is not None and key.revoked_at <= dt.datetime.now(dt.UTC):
        raise Unauthorized("revoked API key")
    return key


def require_scope(scope: str) -> Callable:
    def check(request: Request, session: SessionDep,
              authorization: Annotated[str | None, Header(description="Bearer <api key>")] = None) -> ApiKey:
        address = request.client.host if request.client else "unknown"
        check_auth_failures(address)  # 429 while this address is past its failed keys (app/ratelimit.py)
        try:
            key = authenticate(session, authorization)
        except Unauthorized:
            record_auth_failure(address)
            raise
        if scope not in key.scopes and "admin" not in key.scopes:
            raise Forbidden(f"this key lacks the {scope!r} scope")
        check_write(key.prefix)  # 429 past the key's write rate (app/ratelimit.py)
        return key

    check.__name__ = f"require_{scope}"
    return check


WriterDep = Annotated[ApiKey, Depends(require_scope("write"))]
IfMatch = Annotated[str | None, Header(alias="If-Match", description="the ETag you read; required to change")]
