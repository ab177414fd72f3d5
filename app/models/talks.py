"""Processes, places, parties, persons, rounds and delegations: one ladder of shapes each,
XBase → XCreate → XUpdate (all optional) → X(table=True) → XPublic."""

from __future__ import annotations

import datetime as dt

from pydantic import ValidationInfo, field_validator
from sqlalchemy import Column, ForeignKey, Index, Integer, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.base import (
    NamedCreate, NamedPublic, NamedRow, Names, PartyKind, PartyRole, RoundStatus, Stamped, StampedPublic,
    Strict, enum_column, partial,
)

# --- processes ------------------------------------------------------------------------------
class ProcessBase(Names):
    conflict_en: str | None = Field(default=None, max_length=300, description="the conflict, English",
                                    schema_extra={"examples": ["Syrian civil war"]})
    conflict_ar: str | None = Field(default=None, max_length=300, description="the conflict, Arabic",
                                    schema_extra={"examples": ["الحرب في سوريا"]})


class ProcessCreate(NamedCreate, ProcessBase):
    pass


ProcessUpdate = partial(ProcessBase, "ProcessUpdate")


class Process(ProcessBase, NamedRow, Stamped, table=True):
    pass


class ProcessPublic(NamedPublic, ProcessBase, StampedPublic):
    pass


# --- places ---------------------------------------------------------------------------------
class PlaceBase(Names):
    country_id: int | None = Field(default=None, foreign_key="party.id", description="the state it is in")
    lon: float | None = Field(default=None, ge=-180, le=180, description="longitude (WGS 84)")
    lat: float | None = Field(default=None, ge=-90, le=90, description="latitude (WGS 84)")


class PlaceCreate(NamedCreate, PlaceBase):
    pass


PlaceUpdate = partial(PlaceBase, "PlaceUpdate")


class Place(PlaceBase, NamedRow, Stamped, table=True):
    pass


class PlacePublic(NamedPublic, PlaceBase, StampedPublic):
    pass


# --- parties --------------------------------------------------------------------------------
class PartyBase(Names):
    kind: PartyKind = Field(default=PartyKind.other, sa_type=enum_column(PartyKind),
                            description="what sort of actor it is")
    role: PartyRole = Field(default=PartyRole.other, sa_type=enum_column(PartyRole),
                            description="its usual role in talks")
    country_id: int | None = Field(default=None, foreign_key="party.id",
                                   description="for a non-state party: the state it belongs to")


class PartyCreate(NamedCreate, PartyBase):
    pass


PartyUpdate = partial(PartyBase, "PartyUpdate")


class Party(PartyBase, NamedRow, Stamped, table=True):
    pass


class PartyPublic(NamedPublic, PartyBase, StampedPublic):
    pass


# --- persons --------------------------------------------------------------------------------
class PersonBase(Names):
    party_id: int | None = Field(default=None, foreign_key="party.id", index=True,
                                 description="the party the person speaks for")
    title_en: str | None = Field(default=None, max_length=300, description="title or office, English",
                                 schema_extra={"examples": ["Foreign Minister"]})
    title_ar: str | None = Field(default=None, max_length=300, description="title or office, Arabic",
                                 schema_extra={"examples": ["وزير الخارجية"]})


class PersonCreate(NamedCreate, PersonBase):
    pass


PersonUpdate = partial(PersonBase, "PersonUpdate")


class Person(PersonBase, NamedRow, Stamped, table=True):
    pass


class PersonPublic(NamedPublic, PersonBase, StampedPublic):
    pass


# --- rounds ---------------------------------------------------------------------------------
def _dates_in_order(cls, end_date: dt.date | None, info: ValidationInfo) -> dt.date | None:
    """A field validator of end_date (declared after start_date), so that a 422 names end_date."""
    start_date = info.data.get("start_date")
    if start_date and end_date and end_date < start_date:
        raise ValueError("end_date is before start_date")
    return end_date


class RoundBase(SQLModel):
    process_id: int = Field(foreign_key="process.id", index=True, description="the negotiation track")
    number: int | None = Field(default=None, ge=1, le=1000, description="ordinal number, when known",
                               schema_extra={"examples": [6]})
    place_id: int | None = Field(default=None, foreign_key="place.id", description="where it met")
    start_date: dt.date | None = Field(default=None, index=True, description="first day",
                                      schema_extra={"examples": ["2017-09-14"]})
    end_date: dt.date | None = Field(default=None, description="last day (not before start_date)",
                                    schema_extra={"examples": ["2017-09-15"]})
    status: RoundStatus = Field(default=RoundStatus.concluded, sa_type=enum_column(RoundStatus),
                                description="planned, ongoing, concluded, postponed or cancelled")


class RoundCreate(RoundBase, Strict):
    _ordered = field_validator("end_date")(_dates_in_order)


RoundUpdate = partial(RoundBase, "RoundUpdate")

class Round(RoundBase, Stamped, table=True):
    __table_args__ = (
        Index("uq_round_process_id_number", "process_id", "number", unique=True,
              sqlite_where=Column("number").isnot(None), postgresql_where=Column("number").isnot(None)),
    )


class RoundPublic(RoundBase, StampedPublic):
    pass


# --- delegations ----------------------------------------------------------------------------
class DelegationMember(SQLModel, table=True):
    __tablename__ = "delegation_member"
    delegation_id: int = Field(sa_column=Column(Integer, ForeignKey("delegation.id", ondelete="CASCADE"),
                                                primary_key=True))
    person_id: int = Field(sa_column=Column(Integer, ForeignKey("person.id"), primary_key=True))


class DelegationBase(SQLModel):
    round_id: int = Field(foreign_key="round.id", index=True, description="the round it attended")
    party_id: int = Field(foreign_key="party.id", index=True, description="the party it represents")
    head_person_id: int | None = Field(default=None, foreign_key="person.id", description="its head")


class DelegationCreate(DelegationBase, Strict):
    member_ids: list[int] = Field(default_factory=list, description="person ids of its members")


class DelegationUpdate(Strict):
    head_person_id: int | None = Field(default=None, description="the delegation's head (a person id)")
    member_ids: list[int] | None = Field(default=None, description="person ids of its members; replaces the list")

class Delegation(DelegationBase, Stamped, table=True):
    __table_args__ = (UniqueConstraint("round_id", "party_id"),)


class DelegationPublic(DelegationBase, StampedPublic):
    member_ids: list[int] = Field(default_factory=list, description="person ids of its members")
