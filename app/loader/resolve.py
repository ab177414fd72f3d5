"""Names found in an article → rows of the record.

A gazetteer key names the row with that natural key. A name without a key is looked up among
the rows' names and aliases (through the gazetteer built from the database, then the rows this
article already created); a name nobody knows becomes a new row, its key made by `make_key`,
its Arabic and English names set by script and its other spellings kept as aliases. A known
row whose spelling in this article is new learns it as an alias: توماتوف and تومانوف end up
as one person.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session

from app.extract.gazetteer import Gazetteer
from app.extract.normalize import is_arabic, key_of
from app.extract.types import Ref
from app.models import (
    PartyCreate, PartyRole, PersonCreate, PlaceCreate, ProcessCreate, ZoneCreate,
)
from app.services import Service, parties, persons, places, processes, zones
from app.services.base import make_key

SERVICES: dict[str, tuple[Service, type]] = {
    "party": (parties, PartyCreate), "person": (persons, PersonCreate), "process": (processes, ProcessCreate),
    "place": (places, PlaceCreate), "zone": (zones, ZoneCreate),
}


@dataclass
class Touched:
    """A row this article created or matched, and the evidence rows it got."""

    type: str
    id: int
    action: str  # created | matched
    evidence_ids: list[int] = field(default_factory=list)


def split_names(names: list[str]) -> tuple[str | None, str | None, list[str]]:
    """(name_en, name_ar, aliases): the first name in each script, the other spellings as aliases."""
    name_en = next((n for n in names if not is_arabic(n)), None)
    name_ar = next((n for n in names if is_arabic(n)), None)
    aliases = [n for n in dict.fromkeys(names) if n not in (name_en, name_ar)]
    return (name_en[:300] if name_en else None), (name_ar[:300] if name_ar else None), [a[:300] for a in aliases]


class Resolver:
    """Resolves the names of one article; remembers what it touched (for the answer and the tally)."""

    def __init__(self, session: Session, gazetteer: Gazetteer):
        self.session, self.gazetteer = session, gazetteer
        self.touched: dict[tuple[str, int], Touched] = {}
        self.learned: dict[tuple[str, int], Any] = {}  # rows with new names: the gazetteer must learn them
        self._made: dict[tuple[str, str], Any] = {}  # (kind, key_of(name)) → row created here

    def touch(self, type_: str, obj: Any, created: bool) -> Touched:
        if (type_, obj.id) not in self.touched:
            self.touched[(type_, obj.id)] = Touched(type_, obj.id, "created" if created else "matched")
        return self.touched[(type_, obj.id)]

    # --- the one rule, for every named kind ---------------------------------------------------
    def named(self, kind: str, key: str | None, names: list[str], **extra: Any) -> Any | None:
        """The row for a named thing; None when there is neither a key nor a name."""
        names = [n.strip() for n in names if n and n.strip()]
        service, shape = SERVICES[kind]
        row = self._find(kind, service, key, names)
        if row is not None:
            self._learn(kind, row, names)
            self.touch(kind, row, created=False)
            return row
        if not names:
            return None
        name_en, name_ar, aliases = split_names(names)
        key = key or make_key(name_en, name_ar)
        if (row := service.get_by_key(self.session, key=key)) is not None:  # same slug: the same thing
            self._learn(kind, row, names)
            self.touch(kind, row, created=False)
            return row
        data = shape(key=key, name_en=name_en, name_ar=name_ar, aliases=aliases,
                     **{k: v for k, v in extra.items() if v is not None})
        row = service.create(self.session, data=data)
        self.learned[(kind, row.id)] = row
        for name in names:
            self._made[(kind, key_of(name))] = row
        self.touch(kind, row, created=True)
        return row

    def _find(self, kind: str, service: Service, key: str | None, names: list[str]) -> Any | None:
        # exact names only (normalized): a fuzzy match here would merge two people into one row;
        # fuzzy matching is the extractor's to do, which then hands us the key
        if key:
            return service.get_by_key(self.session, key=key)
        for name in names:
            if (row := self._made.get((kind, key_of(name)))) is not None:
                return row
            if (entry := self.gazetteer.exact(kind, name)) is not None:
                return service.get_by_key(self.session, key=entry.key)
        return None

    def _learn(self, kind: str, row: Any, names: list[str]) -> None:
        known = {key_of(n) for n in (row.name_en, row.name_ar, *(row.aliases or [])) if n}
        new = [n[:300] for n in names if key_of(n) and key_of(n) not in known]
        if new:
            row.aliases = list(dict.fromkeys([*(row.aliases or []), *new]))
            self.session.flush()
            self.learned[(kind, row.id)] = row

    # --- the kinds ----------------------------------------------------------------------------
    def party(self, ref: Ref, *, role: str | None = None) -> Any | None:
        role = role if role in PartyRole.__members__ else None
        return self.named("party", ref.key, ref.names, role=role)

    def person(self, ref: Ref, *, title: str | None = None) -> Any | None:
        party = parties.get_by_key(self.session, key=ref.party_key) if ref.party_key else None
        titles = {("title_ar" if is_arabic(title) else "title_en"): title[:300]} if title else {}
        return self.named("person", ref.key, ref.names, party_id=party.id if party else None, **titles)

    def ref(self, ref: Ref | None) -> tuple[str, Any] | None:
        """A participant or facilitator: ("party" | "person", row)."""
        if ref is None:
            return None
        row = self.party(ref) if ref.type == "party" else self.person(ref)
        return (ref.type, row) if row is not None else None
