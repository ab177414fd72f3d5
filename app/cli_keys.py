"""API keys: made, listed and revoked from the CLI; only a hash of the secret is stored, and
the secret is shown once, at creation."""

from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy import select
from sqlmodel import Session

from app.api.deps import hash_secret
from app.models import ApiKey

SCOPES = ("write", "admin")


def create_key(session: Session, *, name: str, scopes: list[str]) -> tuple[str, ApiKey]:
    """Return (secret, row). The secret has the form pt_<prefix>_<random>."""
    unknown = set(scopes) - set(SCOPES)
    if unknown or not scopes:
        raise ValueError(f"scopes are {', '.join(SCOPES)}")
    prefix = secrets.token_hex(6)
    secret = f"pt_{prefix}_{secrets.token_urlsafe(32)}"
    key = ApiKey(name=name, prefix=prefix, key_hash=hash_secret(secret), scopes=sorted(set(scopes)))
    session.add(key)
    session.flush()
    return secret, key


def revoke_key(session: Session, *, prefix: str) -> ApiKey | None:
    key = session.scalars(select(ApiKey).where(ApiKey.prefix == prefix)).first()
    if key is not None and key.revoked_at is None:
        key.revoked_at = dt.datetime.now(dt.UTC)
        session.flush()
    return key


def list_keys(session: Session) -> list[ApiKey]:
    return list(session.scalars(select(ApiKey).order_by(ApiKey.id)))
