"""The facts of one extraction → rows, each with an evidence row pointing at its sentence.

- parties and persons: resolved by name (resolve.py);
- rounds: upserted on (process, number), else (process, start date); a round with neither is
  the process's one undated round;
- meetings: one row per fingerprint `kind|date|sorted participant keys`, so the same meeting
  reported by two articles (one Arabic, one English) is one meeting with two evidence rows;
- zones: status, status date and requester set; the service appends a status event when the
  status changes.
"""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy import bindparam, insert, select, text
from sqlmodel import Session

from app.extract.types import ExtractedMeeting, ExtractedRound, ExtractedZone, Extraction, Span
from app.loader.resolve import Resolver
from app.models.base import utcnow
from app.models import (
    Article, Evidence, Meeting, MeetingCreate, MeetingUpdate, ParticipantIn, Round, RoundCreate,
    RoundStatus, RoundUpdate, SubjectType, ZoneStatusEvent, ZoneUpdate,
)
from app.services import meetings, rounds, zones
from app.services.base import on_postgres, one_of


# Postgres: the evidence rows as one array per column, numbered by unnest in their order, the ids
# drawn in that order (ORDER BY), as SQLAlchemy's own insertmanyvalues relies on; a statement of
# fixed text, where a VALUES list of 8 parameters per row is rendered and parsed again at each call
EVIDENCE_PG = text(
    'INSERT INTO evidence (article_id, subject_type, subject_id, start, "end", quote, confidence, created_at) '
    "SELECT :article_id, t.subject_type, t.subject_id, t.start, t.end, t.quote, t.confidence, :created_at "
    "FROM unnest(CAST(:subject_type AS varchar[]), CAST(:subject_id AS integer[]), CAST(:start AS integer[]), "
    "CAST(:end AS integer[]), CAST(:quote AS varchar[]), CAST(:confidence AS float[])) WITH ORDINALITY "
    "AS t(subject_type, subject_id, start, \"end\", quote, confidence, n) ORDER BY t.n RETURNING id")
COLUMNS = ("subject_type", "subject_id", "start", "end", "quote", "confidence")
# lookups built once, their values bound at each call
_ROUNDS = select(Round).where(Round.process_id == bindparam("process_id")).order_by(Round.id)
ROUND_NUMBERED = _ROUNDS.where(Round.number == bindparam("number"))
ROUND_OF_DAY = _ROUNDS.where(Round.start_date == bindparam("start"))
ROUND_OF_DAY_UNNUMBERED = ROUND_OF_DAY.where(Round.number.is_(None))
ROUND_UNDATED = _ROUNDS.where(Round.number.is_(None), Round.start_date.is_(None))
LAST_STATUS = (select(ZoneStatusEvent).where(ZoneStatusEvent.zone_id == bindparam("zone_id"))
               .order_by(ZoneStatusEvent.id.desc()))
MEETINGS = {pg: select(Meeting).where(one_of(Meeting.fingerprint, "fingerprints", postgres=pg)) for pg in (False, True)}


class Facts:
    """Writes the facts of one article; evidence is one row per (fact, sentence)."""

    def __init__(self, session: Session, resolver: Resolver, article: Article):
        self.session, self.resolver, self.article = session, resolver, article
        self._evidence: set[tuple[str, int, int]] = set()
        self._unflushed: list[tuple[Any, dict[str, Any]]] = []  # (Touched, evidence row), written by `flush`
        self._meetings: dict[str, Meeting] = {}  # fingerprint → the stored meeting (see `meetings`)
        self.now = utcnow()
        self.postgres = on_postgres(session)

    def evidence(self, subject: SubjectType, obj: Any, span: Span, confidence: float | None) -> None:
        ident = (subject.value, obj.id, span.start)
        if ident in self._evidence:  # the same fact stated twice by one sentence
            return
        self._evidence.add(ident)
        row = {"article_id": self.article.id, "subject_type": subject, "subject_id": obj.id, "start": span.start,
               "end": span.end, "quote": span.quote, "confidence": confidence, "created_at": self.now}
        touched = self.resolver.touch(subject.value, obj, created=False)
        touched.evidence_ids.append(None)  # a place kept in order; its id is filled in by `flush`
        self._unflushed.append((touched, row))

    def flush(self) -> None:
        """Write the evidence not yet written, in one INSERT in the order it was found, and fill in
        its ids in the report. Plain rows, not entities: nothing reads them back in this unit of work."""
        if not self._unflushed:
            return
        rows = [row for _, row in self._unflushed]
        if self.postgres:
            arrays = {c: [row[c] for row in rows] for c in COLUMNS}
            arrays["subject_type"] = [t.value for t in arrays["subject_type"]]
            ids = sorted(self.session.scalars(EVIDENCE_PG, {**arrays, "article_id": self.article.id,
                                                            "created_at": self.now}))
        else:
            ids = self.session.scalars(insert(Evidence).returning(Evidence.id, sort_by_parameter_order=True),
                                       rows).all()
        for (touched, _), id_ in zip(self._unflushed, ids, strict=True):
            touched.evidence_ids[touched.evidence_ids.index(None)] = id_
        self._unflushed.clear()

    # --- rounds --------------------------------------------------------------------------------
    def round(self, r: ExtractedRound) -> Round | None:
        process = self.resolver.named("process", r.process_key, r.process_names)
        if process is None:
            return None
        place = self.resolver.named("place", r.location_key, r.location_names)
        found = self.find_round(process.id, r.number, r.start)
        status = RoundStatus.planned if r.start and self.article.published and r.start > self.article.published else None
        if found is None:
            found = rounds.create(self.session, data=RoundCreate(
                process_id=process.id, number=r.number, place_id=place.id if place else None,
                start_date=r.start, end_date=r.end if r.end and (not r.start or r.end >= r.start) else None,
                **({"status": status} if status else {})))
            self.resolver.touch("round", found, created=True)
        else:
            gaps = {"number": r.number, "place_id": place.id if place else None, "start_date": r.start,
                    "end_date": r.end}
            gaps = {k: v for k, v in gaps.items() if v is not None and getattr(found, k) is None}
            start, end = gaps.get("start_date", found.start_date), gaps.get("end_date", found.end_date)
            if start and end and end < start:  # the articles disagree: keep what is stored
                gaps.pop("start_date", None), gaps.pop("end_date", None)
            if gaps:
                rounds.update(self.session, obj=found, data=RoundUpdate(**gaps))
        self.evidence(SubjectType.round, found, r.evidence, r.confidence)
        return found

    def find_round(self, process_id: int, number: int | None, start) -> Round | None:
        def first(stmt, **values):
            return self.session.scalars(stmt, {"process_id": process_id, **values}).first()

        if number is not None:
            if (hit := first(ROUND_NUMBERED, number=number)) is not None:
                return hit
        if start is not None:  # the round that started that day, unless it has another number
            return first(ROUND_OF_DAY_UNNUMBERED if number is not None else ROUND_OF_DAY, start=start)
        if number is None:
            return first(ROUND_UNDATED)
        return None

    # --- meetings ------------------------------------------------------------------------------
    def fingerprint(self, m: ExtractedMeeting, participants: list[tuple[str, Any]]) -> str:
        # An undated meeting is only known to be the same within its article: dating it, or
        # merging it with another article's, would be a guess.
        date = m.date.isoformat() if m.date else f"undated@{self.article.content_hash[:16]}"
        keys = "+".join(sorted({f"{t}:{row.key}" for t, row in participants}))
        text = f"{m.kind}|{date}|{keys}"
        return text if len(text) <= 500 else f"{m.kind}|{date}|sha256:{hashlib.sha256(keys.encode()).hexdigest()}"

    def meetings(self, ms: list[ExtractedMeeting], rounds_: list[Round] = ()) -> list[Meeting]:
        """Resolve every meeting's participants, look up the stored meetings of all their
        fingerprints in one SELECT, then create or complete each. `rounds_`: the article's own
        rounds, for a meeting that names none (see round_of_day)."""
        plans = []
        for m in ms:
            participants = [p for p in (self.resolver.ref(ref) for ref in m.participants) if p]
            plans.append((m, participants, self.fingerprint(m, participants)))
        if wanted := {fp for *_, fp in plans} - self._meetings.keys():
            self._meetings.update((row.fingerprint, row) for row in
                                  self.session.scalars(MEETINGS[self.postgres], {"fingerprints": list(wanted)}))
        return [self.meeting(m, participants, fp, rounds_) for m, participants, fp in plans]

    def meeting(self, m: ExtractedMeeting, participants: list[tuple[str, Any]], fingerprint: str,
                rounds_: list[Round] = ()) -> Meeting:
        facilitator = self.resolver.ref(m.facilitator)
        place = self.resolver.named("place", None, [m.place]) if m.place else None
        process = self.resolver.named("process", m.process_key, []) if m.process_key and m.round_number else None
        round_ = self.find_round(process.id, m.round_number, None) if process else None
        round_ = round_ or round_of_day(rounds_, m.date)
        fields = {
            "place_id": place.id if place else None, "round_id": round_.id if round_ else None,
            "closed": m.closed,
            "facilitator_party_id": facilitator[1].id if facilitator and facilitator[0] == "party" else None,
            "facilitator_person_id": facilitator[1].id if facilitator and facilitator[0] == "person" else None,
        }
        found = self._meetings.get(fingerprint)
        if found is None:
            found = meetings.create(self.session, fingerprint=fingerprint, data=MeetingCreate(
                date=m.date, date_precision=m.date_precision if m.date else "unknown", kind=m.kind,
                status=m.status, confidence=m.confidence, **{k: v for k, v in fields.items() if v is not None},
                participants=[ParticipantIn(**{f"{t}_id": row.id}) for t, row in participants]))
            self._meetings[fingerprint] = found
            self.resolver.touch("meeting", found, created=True)
        else:
            gaps = {k: v for k, v in fields.items() if v is not None and getattr(found, k) is None}
            if found.status == "scheduled" and m.status != "scheduled":
                gaps["status"] = m.status  # what was planned has since happened (or not)
            if gaps:
                meetings.update(self.session, obj=found, data=MeetingUpdate(**gaps))
        self.evidence(SubjectType.meeting, found, m.evidence, m.confidence)
        return found

    # --- zones ---------------------------------------------------------------------------------
    def zone(self, z: ExtractedZone) -> None:
        process = self.resolver.named("process", z.process_key, []) if z.process_key else None
        zone = self.resolver.named("zone", z.key, z.names, process_id=process.id if process else None)
        if zone is None:
            return
        requester = self.resolver.ref(z.requested_by)
        date = z.date or self.article.published  # the status was reported then, at the latest
        older = zone.status_date and date and date < zone.status_date
        if zone.status != z.status and not older:
            zones.update(self.session, obj=zone, data=ZoneUpdate(
                status=z.status, status_date=date,
                requested_by_party_id=requester[1].id if requester and requester[0] == "party" else None))
            event = self.session.scalars(LAST_STATUS, {"zone_id": zone.id}).first()
            self.resolver.touch("zone_status", event, created=True)
            self.evidence(SubjectType.zone_status, event, z.evidence, z.confidence)
        self.evidence(SubjectType.zone, zone, z.evidence, z.confidence)


def round_of_day(stored: list[Round], day) -> Round | None:
    """The one round of this article that was sitting on `day`: a meeting the article reports on a
    day of the round it covers belongs to that round. None when no round, or more than one, fits."""
    if day is None:
        return None
    fits = {r.id: r for r in stored if r.start_date and r.start_date <= day <= (r.end_date or r.start_date)}
    return next(iter(fits.values())) if len(fits) == 1 else None


def store_facts(session: Session, resolver: Resolver, article: Article, extraction: Extraction) -> None:
    facts = Facts(session, resolver, article)
    resolver.prefetch(extraction)
    for p in extraction.parties:
        if (row := resolver.party(p.ref, role=p.role)) is not None:
            facts.evidence(SubjectType.party, row, p.evidence, p.confidence)
    for p in extraction.persons:
        if (row := resolver.person(p.ref, title=p.title)) is not None:
            facts.evidence(SubjectType.person, row, p.evidence, p.confidence)
    stored = [row for r in extraction.rounds if (row := facts.round(r)) is not None]
    facts.meetings(extraction.meetings, stored)
    for z in extraction.zones:
        facts.zone(z)
    facts.flush()
