"""The extractor's gazetteer, built from the database: every process, party, person, place and
zone with its names and aliases. An alias added through the API, or learned from an article,
is therefore known to the next extraction."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session

from app.extract.gazetteer import Entry, Gazetteer
from app.models import Party, Person, Place, Process, Zone

MODELS = {"process": Process, "party": Party, "person": Person, "place": Place, "zone": Zone}
# kind-specific fields the extractor reads (the reference README's record fields)
EXTRA = {
    "process": ("conflict_en", "conflict_ar"),
    "party": ("role",),
    "person": ("title_en", "title_ar"),
    "place": ("lon", "lat"),
    "zone": ("areas",),
}
# references by key, as the YAML records have them: (record field, id column, model referred to)
REFS = {
    "party": [("country", "country_id", Party)], "person": [("party", "party_id", Party)],
    "place": [("country", "country_id", Party)], "zone": [("process", "process_id", Process)], "process": [],
}


def _value(value: Any) -> Any:
    return getattr(value, "value", value)  # enums as their plain string, as in the YAML


def entry(kind: str, row: Any, key_of_id: Callable[[type, int | None], str | None]) -> Entry:
    """The gazetteer entry of a row (a plain row of `_columns` or an entity), its references by key
    as the YAML records have them."""
    data = {f: _value(getattr(row, f)) for f in EXTRA[kind]}
    for field, column, model in REFS[kind]:
        data[field] = key_of_id(model, getattr(row, column))
    if kind == "party":
        data["party_kind"] = _value(row.kind)  # `kind` is the gazetteer's kind
    return Entry(kind, row.key, row.name_en, row.name_ar, list(row.aliases or []), data)


def db_entries(session: Session) -> list[Entry]:
    keys = {model: dict(session.execute(select(model.id, model.key)).all()) for model in (Party, Process)}
    # plain rows of the columns read, straight into entries: a gazetteer of 24,000 names is read
    # in a fifth of the time entities took, and half the time of records made first
    return [entry(kind, row, lambda model, id_: keys[model].get(id_))
            for kind, model in MODELS.items()
            for row in session.execute(select(*_columns(kind, model)).order_by(model.__table__.c.id)).all()]


def _columns(kind: str, model: type) -> list:
    names = ["key", "name_en", "name_ar", "aliases", *EXTRA[kind], *(column for _, column, _ in REFS[kind]),
             *(["kind"] if kind == "party" else [])]
    return [model.__table__.c[name] for name in names]


def build_gazetteer(session: Session) -> Gazetteer:
    return Gazetteer(db_entries(session))


def learned_entries(session: Session, rows: Iterable[tuple[str, Any]]) -> list[Entry]:
    """The gazetteer entries of these (kind, row): what a gazetteer is taught of them (`teach`)."""
    def key_of_id(model: type, id_: int | None) -> str | None:
        row = session.get(model, id_) if id_ is not None else None
        return row.key if row is not None else None

    return [entry(kind, row, key_of_id) for kind, row in rows]


def teach(gazetteer: Gazetteer, entries: Iterable[Entry]) -> None:
    """Teach `gazetteer` these entries' names: cheaper than building it again."""
    for e in entries:
        gazetteer.add(e)


# --- one gazetteer for the API's requests, rebuilt when the names change ----------------------------
_cache: dict[str, Any] = {"stamp": None, "gazetteer": None}
_lock = threading.Lock()


def _stamp(session: Session) -> tuple:
    # any insert, change (updated_at moves) or delete of a named row changes this
    return tuple(session.execute(select(func.count(), func.max(m.updated_at))).one() for m in MODELS.values())


def current_gazetteer(session: Session) -> Gazetteer:
    """The gazetteer of what the database holds now; built again only when a name changed."""
    stamp = _stamp(session)
    with _lock:
        if _cache["stamp"] != stamp:
            _cache["gazetteer"], _cache["stamp"] = build_gazetteer(session), stamp
        return _cache["gazetteer"]
