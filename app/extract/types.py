"""What extraction produces: plain dataclasses, no database.

Every row carries the evidence span (character offsets into the original text and the quote)
and a confidence in [0, 1]. References to parties and persons carry the gazetteer key when the
name is known, or `key=None` and the names as found when it is new; the load step resolves
them to rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

RefType = Literal["party", "person"]
MeetingKind = Literal["meeting", "phone_call", "plenary"]
MeetingStatus = Literal["held", "scheduled", "postponed", "cancelled", "denied"]
ZoneStatus = Literal["proposed", "requested", "agreed", "in_force", "violated", "ended"]
DatePrecision = Literal["day", "month", "year", "unknown"]


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    quote: str


@dataclass
class Ref:
    """A party or a person as named in the text."""

    type: RefType
    key: str | None
    names: list[str]  # canonical name first, then every alias known (gazetteer) or found
    party_key: str | None = None  # for a person: the party they belong to, when known


@dataclass
class Sentence:
    start: int
    end: int
    text: str


@dataclass
class ExtractedParty:
    ref: Ref
    role: str | None
    evidence: Span
    confidence: float
    name_en: str | None = None
    name_ar: str | None = None


@dataclass
class ExtractedPerson:
    ref: Ref
    title: str | None
    evidence: Span
    confidence: float
    name_en: str | None = None
    name_ar: str | None = None


@dataclass
class ExtractedRound:
    process_key: str | None
    process_names: list[str]
    number: int | None
    location_key: str | None
    location_names: list[str]
    start: dt.date | None
    end: dt.date | None
    evidence: Span
    confidence: float


@dataclass
class ExtractedMeeting:
    kind: MeetingKind
    status: MeetingStatus
    participants: list[Ref]
    evidence: Span
    confidence: float
    date: dt.date | None = None
    date_precision: DatePrecision = "unknown"
    closed: bool | None = None
    facilitator: Ref | None = None
    place: str | None = None
    process_key: str | None = None
    round_number: int | None = None


@dataclass
class ExtractedZone:
    key: str | None
    names: list[str]
    status: ZoneStatus
    evidence: Span
    confidence: float
    requested_by: Ref | None = None
    date: dt.date | None = None
    process_key: str | None = None


@dataclass
class Extraction:
    language: str
    published: dt.date | None
    sentences: list[Sentence] = field(default_factory=list)
    rounds: list[ExtractedRound] = field(default_factory=list)
    parties: list[ExtractedParty] = field(default_factory=list)
    persons: list[ExtractedPerson] = field(default_factory=list)
    meetings: list[ExtractedMeeting] = field(default_factory=list)
    zones: list[ExtractedZone] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("sentences")
        return data
