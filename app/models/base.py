"""Shared column types, mixins and vocabularies of the record."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

import copy

from pydantic import ConfigDict, create_model, field_validator, model_validator
from sqlalchemy import JSON, DateTime, Integer, String, Text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import declared_attr
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel

# Named constraints, so that migrations can refer to them on both databases. Set before any
# table is declared: names are given when a constraint is attached to its table.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

JSONType = JSON().with_variant(JSONB(), "postgresql")


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC on both databases (SQLite keeps no zone: we put it back on read)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


class PartyRole(StrEnum):
    government = "government"
    opposition = "opposition"
    guarantor = "guarantor"
    mediator = "mediator"
    observer = "observer"
    host = "host"
    other = "other"


class PartyKind(StrEnum):
    state = "state"
    organization = "organization"
    government = "government"
    opposition = "opposition"
    armed_group = "armed_group"
    political = "political"
    other = "other"


class RoundStatus(StrEnum):
    planned = "planned"
    ongoing = "ongoing"
    concluded = "concluded"
    postponed = "postponed"
    cancelled = "cancelled"


class MeetingKind(StrEnum):
    meeting = "meeting"
    phone_call = "phone_call"
    plenary = "plenary"


class MeetingStatus(StrEnum):
    held = "held"
    scheduled = "scheduled"
    postponed = "postponed"
    cancelled = "cancelled"
    denied = "denied"


class ZoneStatus(StrEnum):
    proposed = "proposed"
    requested = "requested"
    agreed = "agreed"
    in_force = "in_force"
    violated = "violated"
    ended = "ended"


class DatePrecision(StrEnum):
    day = "day"
    month = "month"
    year = "year"
    unknown = "unknown"


class GeometryPrecision(StrEnum):
    exact = "exact"
    approximate = "approximate"
    point = "point"


class SubjectType(StrEnum):
    """What an evidence row supports."""

    round = "round"
    party = "party"
    person = "person"
    meeting = "meeting"
    zone = "zone"
    zone_status = "zone_status"
    delegation = "delegation"


def enum_column(enum: type[StrEnum]):
    """Enums are stored as short strings on both databases; the API validates the values."""
    return String(max(len(m.value) for m in enum) + 8)


class Stamped(SQLModel):
    """id, optimistic-concurrency version and UTC timestamps of every stored row."""

    id: int | None = Field(default=None, primary_key=True)
    version: int = Field(default=1, sa_type=Integer, description="bumped by every change; the ETag")
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    updated_at: dt.datetime = Field(
        default_factory=utcnow, sa_type=UTCDateTime, nullable=False, index=True,
        sa_column_kwargs={"onupdate": utcnow},
    )


    @declared_attr
    def __mapper_args__(cls):
        # Optimistic concurrency: every UPDATE says WHERE version = <the version read>, and a
        # lost race raises StaleDataError (answered 412) instead of overwriting silently.
        return {"version_id_col": cls.__table__.c.version} if hasattr(cls, "__table__") else {}


class StampedPublic(SQLModel):
    id: int = Field(description="the row's id, stable for its lifetime")
    version: int = Field(description="bumped by every change")
    created_at: dt.datetime = Field(description="when the row was created (UTC)")
    updated_at: dt.datetime = Field(description="when the row last changed (UTC); see updated_since")


def clean_aliases(cls, value: list[str] | None) -> list[str] | None:
    """Trim, drop duplicates, keep the order; an empty alias is an error."""
    if value is None:
        return None
    out: dict[str, None] = {}
    for alias in value:
        alias = alias.strip()
        if not alias or len(alias) > 300:
            raise ValueError("an alias is 1 to 300 characters")
        out.setdefault(alias, None)
    return list(out)


class Names(SQLModel):
    """Arabic and English names with aliases, on everything named."""

    name_en: str | None = Field(
        default=None, max_length=300, description="English name", schema_extra={"examples": ["Russia"]}
    )
    name_ar: str | None = Field(
        default=None, max_length=300, description="Arabic name", schema_extra={"examples": ["روسيا"]}
    )
    aliases: list[str] = Field(
        default_factory=list, sa_type=JSONType,
        description="other spellings and forms in either language",
        schema_extra={"examples": [["Moscow", "الروسي", "الوفد الروسي"]]},
    )

    _aliases = field_validator("aliases")(clean_aliases)


class Strict(SQLModel):
    """Input shapes refuse fields they do not know (422 naming them): nothing a user sent is
    dropped silently."""

    model_config = ConfigDict(extra="forbid")


KEY_FIELD = dict(
    max_length=120, schema_extra={"pattern": r"^[a-z0-9][a-z0-9-]*$"},  # SQLModel's regex= is not enforced
    description="natural key: a lowercase slug, unique per kind; made from the name when omitted",
)


def _needs_a_name(model):
    if not (model.name_en or model.name_ar):
        raise ValueError("give name_en or name_ar (or both)")
    return model


class NamedCreate(Strict):
    """What creating a named row adds to its Base: the natural key (made from the name when
    omitted) and the rule that it has a name in one language at least."""

    key: str | None = Field(default=None, **KEY_FIELD)
    _named = model_validator(mode="after")(_needs_a_name)


class NamedRow(SQLModel):
    """The columns of a stored named row: its unique natural key, and its names folded for `q`
    (kept by app/models/hooks.py)."""

    key: str = Field(unique=True, max_length=120)
    search_names: str = Field(default="", sa_type=Text)


class NamedPublic(SQLModel):
    key: str = Field(description="natural key: a lowercase slug, unique per kind")


def partial(base: type[SQLModel], name: str, *, exclude: tuple[str, ...] = ()) -> type[SQLModel]:
    """The XUpdate shape of a ladder: every field of `base` optional (None = leave as is), with
    its description, examples, constraints and validators kept, so the two never drift apart."""
    fields = {}
    for field_name, info in base.model_fields.items():
        if field_name in exclude:
            continue
        optional = copy.copy(info)
        optional.default, optional.default_factory = None, None
        fields[field_name] = (info.annotation | None, optional)
    return create_model(name, __base__=(base, Strict), __module__=base.__module__, **fields)
