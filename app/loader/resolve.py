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

from sqlalchemy import inspect, literal, select, union_all
from sqlalchemy.orm.exc import ObjectDeletedError
from sqlmodel import Session

from app.extract.gazetteer import Gazetteer
from app.extract.normalize import is_arabic, key_of
from app.extract.types import Extraction, Ref
from app.models import (
    PartyCreate, PartyRole, PersonCreate, PlaceCreate, ProcessCreate, ZoneCreate,
)
from app.services import Service, parties, persons, places, processes, zones
from app.services.base import make_key, on_postgres, one_of

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


@dataclass
class KeyCache:
    """(kind, key) → row id, and the rows themselves, shared by the articles of a batch: the same
    parties, persons and places recur in every article. A held row is used again only once a cheap
    SELECT of (key, id, version) has shown it unchanged (see `Resolver.prefetch`): a row changed
    since (through the API) is read again. An article's entries wait in `pending` until its
    commit: a rolled-back article must not leave ids of rows that no longer exist."""

    ids: dict[tuple[str, str], int] = field(default_factory=dict)
    held: dict[tuple[str, int], Any] = field(default_factory=dict)  # (kind, id) → row
    pending: dict[tuple[str, str], int] = field(default_factory=dict)
    pending_rows: dict[tuple[str, int], Any] = field(default_factory=dict)
    known: dict[tuple[str, int], tuple[tuple, set[str], set[str]]] = field(default_factory=dict)  # known_names

    def get(self, kind: str, key: str) -> int | None:
        return self.pending.get((kind, key)) or self.ids.get((kind, key))

    def put(self, kind: str, key: str, id_: int, row: Any = None) -> None:
        self.pending[(kind, key)] = id_
        if row is not None:
            self.pending_rows[(kind, id_)] = row

    def current(self, kind: str, id_: int, version: int) -> Any | None:
        """The held row with this id, if it is loaded (not expired) and still at `version`."""
        row = self.pending_rows.get((kind, id_)) or self.held.get((kind, id_))
        if row is None or inspect(row).expired_attributes or row.version != version:
            return None
        return row

    def known_names(self, kind: str, row: Any) -> tuple[set[str], set[str]]:
        """The row's name and aliases as keys and as spelled, worked out again only when they change:
        a country named in every article has dozens of aliases, and the extractor hands all of them
        over with each mention. The aliases list itself is the stamp, as a change assigns a new one
        (a JSON column's list is never changed in place)."""
        stamp = (row.name_en, row.name_ar, row.aliases)
        hit = self.known.get((kind, row.id))
        if hit is None or hit[0][2] is not stamp[2] or hit[0][:2] != stamp[:2]:
            spelled = {n for n in (*stamp[:2], *(row.aliases or [])) if n}
            hit = self.known[(kind, row.id)] = (stamp, {key_of(n) for n in spelled}, spelled)
        return hit[1], hit[2]

    def commit(self) -> None:
        self.ids.update(self.pending)
        self.held.update(self.pending_rows)
        self.pending.clear()
        self.pending_rows.clear()

    def rollback(self) -> None:
        self.pending.clear()
        self.pending_rows.clear()


def _versions(kind: str, model: type, postgres: bool):
    """(kind, key, id, version) of the rows of `kind` with the keys bound as `kind`."""
    return (select(literal(kind).label("kind"), model.key, model.id, model.version)
            .where(one_of(model.key, kind, postgres=postgres)))


# built once, for SQLite (False) and Postgres (True): every kind's rows by key, and which exist at
# which version (a kind not wanted is bound to no keys)
VERSIONS = {pg: union_all(*(_versions(kind, service.model, pg) for kind, (service, _) in SERVICES.items()))
            for pg in (False, True)}
READ = {pg: {kind: select(service.model).where(one_of(service.model.key, "keys", postgres=pg))
             .execution_options(populate_existing=True) for kind, (service, _) in SERVICES.items()}
        for pg in (False, True)}


class Resolver:
    """Resolves the names of one article; remembers what it touched (for the answer and the tally)."""

    def __init__(self, session: Session, gazetteer: Gazetteer, cache: KeyCache | None = None):
        self.session, self.gazetteer = session, gazetteer
        self.cache = cache if cache is not None else KeyCache()  # no batch: this article's own
        self._rows: dict[tuple[str, int], Any] = {}  # (kind, id) → row, loaded once per article
        self.touched: dict[tuple[str, int], Touched] = {}
        self.learned: dict[tuple[str, int], Any] = {}  # rows with new names: the gazetteer must learn them
        self._made: dict[tuple[str, str], Any] = {}  # (kind, key_of(name)) → row created here

    def touch(self, type_: str, obj: Any, created: bool) -> Touched:
        if (type_, obj.id) not in self.touched:
            self.touched[(type_, obj.id)] = Touched(type_, obj.id, "created" if created else "matched")
        return self.touched[(type_, obj.id)]

    def prefetch(self, extraction: Extraction) -> None:
        """Load the rows this article names by key (or by a name the gazetteer knows) at once, instead
        of one each as they come up; anything missed is looked up as before."""
        wanted: dict[str, set[str | None]] = {kind: set() for kind in SERVICES}

        def add(kind: str, key: str | None, names: list[str] = ()) -> None:
            wanted[kind].add(key)
            wanted[kind].update(entry.key for n in ([] if key else names) if (entry := self.gazetteer.exact(kind, n)))

        def ref(r: Ref | None) -> None:
            if r is not None:
                add(r.type, r.key, r.names)
                wanted["party"].add(r.party_key)

        for p in [*extraction.parties, *extraction.persons]:
            ref(p.ref)
        for r in extraction.rounds:
            add("process", r.process_key, r.process_names), add("place", r.location_key, r.location_names)
        for m in extraction.meetings:
            [ref(x) for x in (*m.participants, m.facilitator)]
            add("process", m.process_key), add("place", None, [m.place] if m.place else [])
        for z in extraction.zones:
            add("zone", z.key, z.names), add("process", z.process_key), ref(z.requested_by)
        wanted = {kind: {k for k in keys if k} for kind, keys in wanted.items()}
        wanted = {kind: keys for kind, keys in wanted.items() if keys}
        if not wanted:
            return
        with self.session.no_autoflush:
            # one statement says which rows exist and at which version; held rows still at it are
            # used as they are, the others are read (again) with one SELECT per kind
            read: dict[str, set[str]] = {}
            values = {kind: list(wanted.get(kind, ())) for kind in SERVICES}
            postgres = on_postgres(self.session)
            for kind, key, id_, version in self.session.execute(VERSIONS[postgres], values):
                if (row := self.cache.current(kind, id_, version)) is not None and row.key == key:
                    self.cache.put(kind, key, id_, row)
                    self._rows[(kind, id_)] = row
                else:
                    read.setdefault(kind, set()).add(key)
            for kind, keys in read.items():
                for row in self.session.scalars(READ[postgres][kind], {"keys": list(keys)}):
                    self.cache.put(kind, row.key, row.id, row)
                    self._rows[(kind, row.id)] = row

    # --- the one rule, for every named kind ---------------------------------------------------
    def named(self, kind: str, key: str | None, names: list[str], **extra: Any) -> Any | None:
        """The row for a named thing; None when there is neither a key nor a name."""
        names = [stripped for n in names if n and (stripped := n.strip())]
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
        if (row := self.by_key(kind, key)) is not None:  # same slug: the same thing
            self._learn(kind, row, names)
            self.touch(kind, row, created=False)
            return row
        data = shape(key=key, name_en=name_en, name_ar=name_ar, aliases=aliases,
                     **{k: v for k, v in extra.items() if v is not None})
        row = service.create(self.session, data=data)
        self.cache.put(kind, key, row.id, row)
        self._rows[(kind, row.id)] = row
        self.learned[(kind, row.id)] = row
        for name in names:
            self._made[(kind, key_of(name))] = row
        self.touch(kind, row, created=True)
        return row

    def _find(self, kind: str, service: Service, key: str | None, names: list[str]) -> Any | None:
        # exact names only (normalized): a fuzzy match here would merge two people into one row;
        # fuzzy matching is the extractor's to do, which then hands us the key
        if key:
            return self.by_key(kind, key)
        for name in names:
            if (row := self._made.get((kind, key_of(name)))) is not None:
                return row
            if (entry := self.gazetteer.exact(kind, name)) is not None:
                return self.by_key(kind, entry.key)
        return None

    def by_key(self, kind: str, key: str) -> Any | None:
        """The row with this key: this article's copy, else by its cached id, else by a SELECT on the
        key. No autoflush: a lookup by key needs none of the rows pending (evidence, aliases), and
        they are inserted together at the end."""
        service = SERVICES[kind][0]
        with self.session.no_autoflush:
            row = None
            if (id_ := self.cache.get(kind, key)) is not None:
                try:
                    row = self._rows.get((kind, id_)) or self.session.get(service.model, id_)
                except ObjectDeletedError:  # deleted since (through the API): look again
                    row = None
            if row is None or row.key != key:  # not cached, gone, or re-keyed since
                row = service.get_by_key(self.session, key=key)
        if row is not None:
            self.cache.put(kind, key, row.id, row)
            self._rows[(kind, row.id)] = row  # held: the identity map alone would let it go
        return row

    def _learn(self, kind: str, row: Any, names: list[str]) -> None:
        known, spelled = self.cache.known_names(kind, row)
        # a name spelled as the row has it is known; the others are compared by key
        new = [n[:300] for n in names if n not in spelled and (k := key_of(n)) and k not in known]
        if new:
            row.aliases = list(dict.fromkeys([*(row.aliases or []), *new]))
            self.session.flush()
            self.learned[(kind, row.id)] = row

    # --- the kinds ----------------------------------------------------------------------------
    def party(self, ref: Ref, *, role: str | None = None) -> Any | None:
        role = role if role in PartyRole.__members__ else None
        return self.named("party", ref.key, ref.names, role=role)

    def person(self, ref: Ref, *, title: str | None = None) -> Any | None:
        party = self.by_key("party", ref.party_key) if ref.party_key else None
        titles = {("title_ar" if is_arabic(title) else "title_en"): title[:300]} if title else {}
        return self.named("person", ref.key, ref.names, party_id=party.id if party else None, **titles)

    def ref(self, ref: Ref | None) -> tuple[str, Any] | None:
        """A participant or facilitator: ("party" | "person", row)."""
        if ref is None:
            return None
        row = self.party(ref) if ref.type == "party" else self.person(ref)
        return (ref.type, row) if row is not None else None
