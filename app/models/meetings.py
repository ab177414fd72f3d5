"""Meetings and their participants (each a party or a person)."""

from __future__ import annotations

import datetime as dt

from pydantic import model_validator
from sqlalchemy import CheckConstraint, Column, ForeignKey, Integer, Text
from sqlmodel import Field, SQLModel

from app.models.base import (
    DatePrecision, MeetingKind, MeetingStatus, Stamped, StampedPublic, Strict, enum_column, partial,
)


def _one_of_party_or_person(model):
    if (model.party_id is None) == (model.person_id is None):
        raise ValueError("give exactly one of party_id and person_id")
    return model


class ParticipantIn(Strict):
    party_id: int | None = Field(default=None, description="a party taking part", schema_extra={"examples": [1]})
    person_id: int | None = Field(default=None, description="or a person taking part")
    _one = model_validator(mode="after")(_one_of_party_or_person)


class ParticipantPublic(SQLModel):
    party_id: int | None = Field(default=None, description="the party taking part, or null")
    person_id: int | None = Field(default=None, description="the person taking part, or null")
    name_en: str | None = Field(default=None, description="the participant's English name")
    name_ar: str | None = Field(default=None, description="the participant's Arabic name")


class MeetingParticipant(SQLModel, table=True):
    __tablename__ = "meeting_participant"
    __table_args__ = (
        CheckConstraint("(party_id IS NULL) <> (person_id IS NULL)", name="party_or_person"),
    )
    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(sa_column=Column(Integer, ForeignKey("meeting.id", ondelete="CASCADE"),
                                             nullable=False, index=True))
    party_id: int | None = Field(default=None, foreign_key="party.id")  # (party_id, meeting_date, meeting_id)
    person_id: int | None = Field(default=None, foreign_key="person.id")  # (person_id, meeting_date, meeting_id)
    # a copy of meeting.date, kept equal by MeetingService: a party's meetings between two days
    # are one range of the indexes above (app/models/indexes.py, migration 0006)
    meeting_date: dt.date | None = Field(default=None)


class MeetingBase(SQLModel):
    date: dt.date | None = Field(default=None, index=True, description="when it met (or will meet)",
                                 schema_extra={"examples": ["2017-09-14"]})
    date_precision: DatePrecision = Field(default=DatePrecision.day, sa_type=enum_column(DatePrecision),
                                          description="how precisely the date is known")
    round_id: int | None = Field(default=None, foreign_key="round.id",  # (round_id, id): indexes.py
                                 description="the round it belongs to, if any")
    place_id: int | None = Field(default=None, foreign_key="place.id", description="where it met")
    kind: MeetingKind = Field(default=MeetingKind.meeting, sa_type=enum_column(MeetingKind),  # (kind, id)
                              description="meeting, phone_call or plenary")
    status: MeetingStatus = Field(default=MeetingStatus.held, sa_type=enum_column(MeetingStatus),  # (status, id)
                                  description="a denied, planned or only expected meeting is not held")
    closed: bool | None = Field(default=None, description="behind closed doors (true), open (false), unknown")
    facilitator_party_id: int | None = Field(default=None, foreign_key="party.id",
                                             description="the party that sponsored or mediated it")
    facilitator_person_id: int | None = Field(default=None, foreign_key="person.id",
                                              description="the person who sponsored or mediated it")
    summary: str | None = Field(default=None, max_length=5000, sa_type=Text, description="what was discussed",
                                schema_extra={"examples": ["اجتماع مغلق بين وفد المعارضة وستيوارت جونز"]})
    confidence: float | None = Field(default=None, ge=0, le=1,
                                     description="the extractor's confidence; null when entered by hand")


class MeetingCreate(MeetingBase, Strict):
    participants: list[ParticipantIn] = Field(default_factory=list, max_length=100,
                                              description="who took part: each a party or a person")


MeetingUpdate = partial(MeetingCreate, "MeetingUpdate")

class Meeting(MeetingBase, Stamped, table=True):
    # kind|date|sorted participant keys, set by the loader so that one meeting reported by two
    # articles becomes one row; null for meetings entered by hand.
    fingerprint: str | None = Field(default=None, unique=True, max_length=500)


class MeetingPublic(MeetingBase, StampedPublic):
    participants: list[ParticipantPublic] = Field(default_factory=list, description="who took part")
