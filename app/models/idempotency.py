"""Stored answers of POSTs sent with an `Idempotency-Key`: the same key and body replays the
answer instead of creating twice; the same key with another body is refused."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Column, ForeignKey, Integer, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.base import JSONType, UTCDateTime, utcnow


class IdempotencyRecord(SQLModel, table=True):
    __tablename__ = "idempotency_record"
    __table_args__ = (UniqueConstraint("api_key_id", "key"),)  # keys are per API key

    id: int | None = Field(default=None, primary_key=True)
    api_key_id: int = Field(sa_column=Column(Integer, ForeignKey("api_key.id", ondelete="CASCADE"),
                                             nullable=False))
    key: str = Field(max_length=255, description="the client's Idempotency-Key")
    method: str = Field(max_length=8)
    path: str = Field(max_length=2000)
    request_hash: str = Field(max_length=64, description="sha256 of method, path, query and body")
    status: int
    headers: dict[str, str] = Field(default_factory=dict, sa_type=JSONType)
    body: str = Field(sa_type=Text)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False, index=True)
