"""One service per entity: its filters, its link rows and its cross-field rules."""

from __future__ import annotations

import datetime as dt

from pydantic import Field, field_validator, model_validator
from sqlalchemy import Select, delete, insert, or_, select, union_all, update as sa_update
from sqlmodel import Session

from app.errors import Unprocessable
from app.models import (
    Article, Delegation, DelegationMember, Evidence, Meeting, MeetingKind, MeetingParticipant,
    MeetingStatus, Party, PartyKind, PartyRole, Person, Place, Process, Round, SubjectType, Zone, ZoneStatus,
    ZoneStatusEvent,
)
from app.services.base import ListParams, Service, arg, check_ids_exist, needle_of, on_postgres, one_of


# --- filters: one params model per list ----------------------------------------------------
class RoundParams(ListParams):
    process_id: int | None = Field(default=None, description="rounds of this process")
    date_from: dt.date | None = Field(default=None, description="rounds ending on or after")
    date_to: dt.date | None = Field(default=None, description="rounds starting on or before")


class PartyParams(ListParams):
    role: PartyRole | None = Field(default=None, description="parties with this role")
    kind: PartyKind | None = Field(default=None, description="parties of this kind")


class PersonParams(ListParams):
    party_id: int | None = Field(default=None, description="persons of this party")


class DelegationParams(ListParams):
    round_id: int | None = Field(default=None, description="delegations at this round")
    party_id: int | None = Field(default=None, description="delegations of this party")


class MeetingParams(ListParams):
    party_id: int | None = Field(default=None, description="a participant is the party or one of its persons")
    person_id: int | None = Field(default=None, description="meetings this person took part in")
    round_id: int | None = Field(default=None, description="meetings of this round")
    process_id: int | None = Field(default=None, description="meetings of this process's rounds")
    kind: MeetingKind | None = Field(default=None, description="meeting, phone_call or plenary")
    status: MeetingStatus | None = Field(default=None, description="held, scheduled, postponed, cancelled, denied")
    date_from: dt.date | None = Field(default=None, description="meetings on or after this day")
    date_to: dt.date | None = Field(default=None, description="meetings on or before this day")


class ZoneParams(ListParams):
    status: ZoneStatus | None = Field(default=None, description="zones whose current status is this")
    process_id: int | None = Field(default=None, description="zones of this process")
    name: str | None = Field(default=None, deprecated="use q, which matches the same names and aliases",
                             description="deprecated since API 1.0.0: use q")
    bbox: str | None = Field(default=None, pattern=r"^-?[\d.]+,-?[\d.]+,-?[\d.]+,-?[\d.]+$",
                             description="min_lon,min_lat,max_lon,max_lat: zones whose box meets it")

    @field_validator("bbox")
    @classmethod
    def _bbox_numbers(cls, value: str | None) -> str | None:
        """Four numbers in range, west <= east and south <= north (the pattern lets '1..2' by)."""
        if value is None:
            return None
        try:
            w, s, e, n = (float(v) for v in value.split(","))
        except ValueError:
            raise ValueError("bbox is four numbers: min_lon,min_lat,max_lon,max_lat") from None
        if not (-180 <= w <= e <= 180 and -90 <= s <= n <= 90):
            raise ValueError("bbox needs -180 <= min_lon <= max_lon <= 180 and -90 <= min_lat <= max_lat <= 90")
        return value


    @model_validator(mode="before")
    @classmethod
    def _name_is_q(cls, data):
        # the retired `name` still works, as `q`; the route answers with a Deprecation header
        if isinstance(data, dict) and data.get("name") and not data.get("q"):
            data = {**data, "q": data["name"]}
        return data


class ArticleParams(ListParams):
    language: str | None = Field(default=None, max_length=8, description="ar or en")
    published_from: dt.date | None = Field(default=None, description="published on or after this day")
    published_to: dt.date | None = Field(default=None, description="published on or before this day")


# --- services ------------------------------------------------------------------------------
class ProcessService(Service[Process]):
    model = Process


class PlaceService(Service[Place]):
    model = Place


class PartyService(Service[Party]):
    model, subject = Party, SubjectType.party

    def filter(self, stmt: Select, params: PartyParams) -> Select:
        if params.role:
            stmt = stmt.where(Party.role == arg("role"))
        if params.kind:
            stmt = stmt.where(Party.kind == arg("kind"))
        return stmt


class PersonService(Service[Person]):
    model, subject = Person, SubjectType.person

    def filter(self, stmt: Select, params: PersonParams) -> Select:
        if params.party_id is not None:
            stmt = stmt.where(Person.party_id == arg("party_id"))
        return stmt


class RoundService(Service[Round]):
    model, subject = Round, SubjectType.round

    def filter(self, stmt: Select, params: RoundParams) -> Select:
        if params.process_id is not None:
            stmt = stmt.where(Round.process_id == arg("process_id"))
        if params.date_from:
            stmt = stmt.where(or_(Round.end_date >= arg("date_from"), Round.start_date >= arg("date_from")))
        if params.date_to:
            stmt = stmt.where(Round.start_date <= arg("date_to"))
        return stmt

    def search(self, stmt: Select) -> Select:
        return stmt.where(Round.process_id.in_(select(Process.id).where(Process.search_names.like(arg("pattern"),
                                                                                                 escape="/"))))

    def validate(self, obj: Round) -> None:
        if obj.start_date and obj.end_date and obj.end_date < obj.start_date:
            raise Unprocessable("end_date", "end_date is before start_date")


class DelegationService(Service[Delegation]):
    model, subject = Delegation, SubjectType.delegation
    relations = {"member_ids"}

    def filter(self, stmt: Select, params: DelegationParams) -> Select:
        if params.round_id is not None:
            stmt = stmt.where(Delegation.round_id == arg("round_id"))
        if params.party_id is not None:
            stmt = stmt.where(Delegation.party_id == arg("party_id"))
        return stmt

    def set_relations(self, session: Session, obj: Delegation, data, *, new: bool) -> None:
        ids = getattr(data, "member_ids", None)
        if ids is None:
            return
        check_ids_exist(session, Person, set(ids), "member_ids")
        if not new:
            session.execute(delete(DelegationMember).where(DelegationMember.delegation_id == obj.id))
        session.add_all(DelegationMember(delegation_id=obj.id, person_id=pid) for pid in dict.fromkeys(ids))
        session.flush()

    def members(self, session: Session, *, ids: list[int]) -> dict[int, list[int]]:
        out: dict[int, list[int]] = {i: [] for i in ids}
        rows = session.execute(select(DelegationMember.delegation_id, DelegationMember.person_id)
                               .where(DelegationMember.delegation_id.in_(ids))
                               .order_by(DelegationMember.person_id))
        for did, pid in rows:
            out[did].append(pid)
        return out


# the filters of a meeting list that are not its participants': with none of them, a page is read
# from the participant index alone (MeetingService.by_participants)
MEETING_LEVEL = ("round_id", "process_id", "kind", "status", "updated_since")


def _participants_where(meetings_are) -> Select:
    """The participants, with names, of the meetings that `meetings_are` picks."""
    return (select(MeetingParticipant.meeting_id, MeetingParticipant.party_id, MeetingParticipant.person_id,
                   Party.name_en, Party.name_ar, Person.name_en, Person.name_ar)
            .outerjoin(Party, Party.id == MeetingParticipant.party_id)
            .outerjoin(Person, Person.id == MeetingParticipant.person_id)
            .where(meetings_are)
            .order_by(MeetingParticipant.meeting_id, MeetingParticipant.id))


# built once (their cache keys are computed once). On Postgres the ids go as one array, `= ANY($1)`:
# an expanding IN renders one $n per id at every call (0.14 ms of CPU for a page of 50)
PARTICIPANTS = {pg: _participants_where(one_of(MeetingParticipant.meeting_id, "ids", postgres=pg)) for pg in (False, True)}


class MeetingService(Service[Meeting]):
    model, subject = Meeting, SubjectType.meeting
    relations = {"participants"}

    def filter(self, stmt: Select, params: MeetingParams) -> Select:
        for ids in self.by_participants(params):
            stmt = stmt.where(Meeting.id.in_(ids))
        if params.round_id is not None:
            stmt = stmt.where(Meeting.round_id == arg("round_id"))
        if params.process_id is not None:
            stmt = stmt.where(Meeting.round_id.in_(select(Round.id).where(Round.process_id == arg("process_id"))))
        if params.kind:
            stmt = stmt.where(Meeting.kind == arg("kind"))
        if params.status:
            stmt = stmt.where(Meeting.status == arg("status"))
        if params.date_from:
            stmt = stmt.where(Meeting.date >= arg("date_from"))
        if params.date_to:
            stmt = stmt.where(Meeting.date <= arg("date_to"))
        return stmt

    def by_participants(self, params: MeetingParams) -> list[Select]:
        """One set of meeting ids per participant condition (party_id, person_id, q), each read from
        the (party_id | person_id, meeting_date, meeting_id) indexes with the date range applied
        there. A party's set is the meetings of the party or of one of its persons; q's, those of a
        party or person whose names match. With one such condition and no other filter on the
        meeting itself, the set is cut to the page (after the cursor, the first limit + 1 ids) before
        any meeting row is read: 12 ms -> under 1 ms for a party's page on 1M meetings."""
        mp = MeetingParticipant
        dates = [c for c in (mp.meeting_date >= arg("date_from") if params.date_from else None,
                             mp.meeting_date <= arg("date_to") if params.date_to else None) if c is not None]

        def ids(*where):
            return select(mp.meeting_id).where(*where, *dates)

        sets = []
        if params.party_id is not None:
            persons = select(Person.id).where(Person.party_id == arg("party_id"))
            sets.append(union_all(ids(mp.party_id == arg("party_id")), ids(mp.person_id.in_(persons))))
        if params.person_id is not None:
            sets.append(ids(mp.person_id == arg("person_id")))
        if params.q and needle_of(params.q):  # an empty needle: the base lists nothing
            parties = select(Party.id).where(Party.search_names.like(arg("pattern"), escape="/"))
            persons = select(Person.id).where(Person.search_names.like(arg("pattern"), escape="/"))
            sets.append(union_all(ids(mp.party_id.in_(parties)), ids(mp.person_id.in_(persons))))
        if len(sets) != 1 or any(getattr(params, name) is not None for name in MEETING_LEVEL):
            return sets
        found = sets[0].subquery()
        page = select(found.c.meeting_id).distinct()
        if params.cursor:
            page = page.where(found.c.meeting_id > arg("after"))
        return [page.order_by(found.c.meeting_id).limit(arg("limit_1"))]

    def search(self, stmt: Select) -> Select:
        """A meeting matches when one of its participants' names does: a participant condition,
        applied by `filter` with the others (by_participants)."""
        return stmt

    def update(self, session: Session, *, obj: Meeting, data) -> Meeting:
        before = obj.date
        obj = super().update(session, obj=obj, data=data)
        if obj.date != before:  # the participants' copy of the date follows (migration 0006)
            session.execute(sa_update(MeetingParticipant).where(MeetingParticipant.meeting_id == obj.id)
                            .values(meeting_date=obj.date))
        return obj

    def set_relations(self, session: Session, obj: Meeting, data, *, new: bool) -> None:
        participants = getattr(data, "participants", None)
        if participants is None:
            return
        check_ids_exist(session, Party, {p.party_id for p in participants if p.party_id}, "participants.party_id")
        check_ids_exist(session, Person, {p.person_id for p in participants if p.person_id},
                        "participants.person_id")
        if not new:
            session.execute(delete(MeetingParticipant).where(MeetingParticipant.meeting_id == obj.id))
        seen = dict.fromkeys((p.party_id, p.person_id) for p in participants)
        if seen:  # plain rows in one INSERT: nothing reads them back as entities (see `participants`)
            session.execute(insert(MeetingParticipant.__table__), [
                {"meeting_id": obj.id, "meeting_date": obj.date, "party_id": a, "person_id": b} for a, b in seen])

    def participants(self, session: Session, *, ids: list[int]) -> dict[int, list[dict]]:
        """The participants of many meetings with their names, in two statements."""
        out: dict[int, list[dict]] = {i: [] for i in ids}
        if not ids:
            return out
        rows = session.execute(PARTICIPANTS[on_postgres(session)], {"ids": ids})
        for mid, party_id, person_id, pa_en, pa_ar, pe_en, pe_ar in rows:
            out[mid].append({"party_id": party_id, "person_id": person_id,
                             "name_en": pa_en or pe_en, "name_ar": pa_ar or pe_ar})
        return out


class ZoneService(Service[Zone]):
    model, subject = Zone, SubjectType.zone

    def filter(self, stmt: Select, params: ZoneParams) -> Select:
        if params.status:
            stmt = stmt.where(Zone.status == arg("status"))
        if params.process_id is not None:
            stmt = stmt.where(Zone.process_id == arg("process_id"))
        if params.bbox:
            stmt = stmt.where(Zone.min_lon <= arg("east"), Zone.max_lon >= arg("west"),
                              Zone.min_lat <= arg("north"), Zone.max_lat >= arg("south"))
        return stmt

    def values(self, params: ZoneParams) -> dict:
        out = super().values(params)
        if params.bbox:
            out["west"], out["south"], out["east"], out["north"] = (float(v) for v in params.bbox.split(","))
        return out

    def create(self, session: Session, *, data) -> Zone:
        zone = super().create(session, data=data)
        self._record_status(session, zone)
        return zone

    def update(self, session: Session, *, obj: Zone, data) -> Zone:
        before = obj.status
        zone = super().update(session, obj=obj, data=data)
        if zone.status != before:
            self._record_status(session, zone)
        return zone

    def delete(self, session: Session, *, obj: Zone) -> None:
        # the status events go with the zone (ON DELETE CASCADE), and so does their evidence
        events = select(ZoneStatusEvent.id).where(ZoneStatusEvent.zone_id == obj.id)
        session.execute(delete(Evidence).where(Evidence.subject_type == SubjectType.zone_status,
                                               Evidence.subject_id.in_(events)))
        super().delete(session, obj=obj)

    def _record_status(self, session: Session, zone: Zone, note: str | None = None) -> None:
        if zone.status is None:
            return
        session.add(ZoneStatusEvent(zone_id=zone.id, status=zone.status, date=zone.status_date,
                                    round_id=zone.round_id, requested_by_party_id=zone.requested_by_party_id,
                                    note=note))
        session.flush()

    def history(self, session: Session, *, zone_id: int) -> list[ZoneStatusEvent]:
        return list(session.scalars(select(ZoneStatusEvent).where(ZoneStatusEvent.zone_id == zone_id)
                                    .order_by(ZoneStatusEvent.date.is_(None), ZoneStatusEvent.date,
                                              ZoneStatusEvent.id)))


class ArticleService(Service[Article]):
    model = Article

    def filter(self, stmt: Select, params: ArticleParams) -> Select:
        if params.language:
            stmt = stmt.where(Article.language == arg("language"))
        if params.published_from:
            stmt = stmt.where(Article.published >= arg("published_from"))
        if params.published_to:
            stmt = stmt.where(Article.published <= arg("published_to"))
        return stmt

    def search(self, stmt: Select) -> Select:
        # the needle and the title are folded alike (search_key): case, Arabic marks and letter forms
        return stmt.where(Article.search_title.like(arg("pattern"), escape="/"))


processes, places, parties, persons = ProcessService(), PlaceService(), PartyService(), PersonService()
rounds, delegations, meetings = RoundService(), DelegationService(), MeetingService()
zones, articles = ZoneService(), ArticleService()
