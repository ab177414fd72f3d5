"""De-escalation and ceasefire zones, with their dated status history."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import field_validator
from sqlalchemy import Column, Float, ForeignKey, Integer, Text
from sqlmodel import Field, SQLModel

from app.models.base import (
    GeometryPrecision, JSONType, NamedCreate, NamedPublic, NamedRow, Names, Stamped, StampedPublic,
    UTCDateTime, ZoneStatus,
    enum_column, partial, utcnow,
)


def valid_geometry(cls, value: dict[str, Any] | None) -> dict[str, Any] | None:
    from app.geo import validate_geometry

    return None if value is None else validate_geometry(value)


class ZoneBase(Names):
    areas: list[str] = Field(default_factory=list, sa_type=JSONType, description="the areas it covers",
                             schema_extra={"examples": [["محافظة إدلب", "ريف حماة الشمالي"]]})
    geometry: dict[str, Any] | None = Field(
        default=None, sa_type=JSONType,
        description="GeoJSON geometry (RFC 7946: lon/lat, closed counter-clockwise rings)",
        schema_extra={"examples": [{"type": "Point", "coordinates": [36.63, 35.93]}]},
    )
    geometry_precision: GeometryPrecision | None = Field(
        default=None, sa_type=enum_column(GeometryPrecision), description="how exact the geometry is")
    status: ZoneStatus | None = Field(default=None, sa_type=enum_column(ZoneStatus), index=True,
                                      description="the current status; every change is kept in its history")
    status_date: dt.date | None = Field(default=None, description="when the current status was reported")
    requested_by_party_id: int | None = Field(default=None, foreign_key="party.id",
                                              description="the party that asked for it")
    process_id: int | None = Field(default=None, foreign_key="process.id", index=True,
                                   description="the negotiation track it belongs to")
    round_id: int | None = Field(default=None, foreign_key="round.id",
                                 description="the round or agreement that set it")

    _geometry = field_validator("geometry")(valid_geometry)


class ZoneCreate(NamedCreate, ZoneBase):
    pass


ZoneUpdate = partial(ZoneBase, "ZoneUpdate")

class Zone(ZoneBase, NamedRow, Stamped, table=True):
    # the geometry's bounding box, kept with it so that ?bbox= is an indexed range query
    min_lon: float | None = Field(default=None, sa_type=Float, index=True)
    min_lat: float | None = Field(default=None, sa_type=Float)
    max_lon: float | None = Field(default=None, sa_type=Float)
    max_lat: float | None = Field(default=None, sa_type=Float)


class ZonePublic(NamedPublic, ZoneBase, StampedPublic):
    pass


class ZoneStatusEvent(SQLModel, table=True):
    __tablename__ = "zone_status_event"
    id: int | None = Field(default=None, primary_key=True)
    zone_id: int = Field(sa_column=Column(Integer, ForeignKey("zone.id", ondelete="CASCADE"),
                                          nullable=False, index=True))
    status: ZoneStatus = Field(sa_type=enum_column(ZoneStatus))
    date: dt.date | None = None
    round_id: int | None = Field(default=None, foreign_key="round.id")
    requested_by_party_id: int | None = Field(default=None, foreign_key="party.id")
    note: str | None = Field(default=None, sa_type=Text)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


class ZoneStatusEventPublic(SQLModel):
    id: int = Field(description="the event's id")
    zone_id: int = Field(description="the zone")
    status: ZoneStatus = Field(description="the status the zone took")
    date: dt.date | None = Field(description="when, as reported")
    round_id: int | None = Field(description="the round that set it, if any")
    requested_by_party_id: int | None = Field(description="who asked for it, if anyone")
    note: str | None = Field(description="a note on the change")
    created_at: dt.datetime = Field(description="when the record learned of it (UTC)")

