"""Reference data: upsert every `seeds/reference/<kind>/*.yaml` record on its natural key.

Loading twice changes nothing. Records are checked by the same Create shapes as the API (so a
bad zone geometry or key is refused the same way); a bad record is reported with its reason
and the rest still load. A record's aliases are added to the row's, never replace them: names
learned from the API or from articles stay.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError
from sqlalchemy import select
from sqlmodel import Session

from app.models import PartyCreate, PersonCreate, PlaceCreate, ProcessCreate, ZoneCreate
from app.services import Service, parties, persons, places, processes, zones

# in dependency order: what a record refers to is loaded before it
KINDS: list[tuple[str, str, Service, type[BaseModel], dict[str, tuple[str, Service]]]] = [
    # folder, kind, service, shape, {yaml field: (id column, service of the referenced kind)}
    ("parties", "party", parties, PartyCreate, {"country": ("country_id", parties)}),
    ("processes", "process", processes, ProcessCreate, {}),
    ("places", "place", places, PlaceCreate, {"country": ("country_id", parties)}),
    ("persons", "person", persons, PersonCreate, {"party": ("party_id", parties)}),
    ("zones", "zone", zones, ZoneCreate, {"process": ("process_id", processes)}),
]


@dataclass
class ReferenceReport:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    failures: list[tuple[str, str]] = field(default_factory=list)  # (file#key, reason)


def _records(path: Path, report: ReferenceReport) -> list[dict[str, Any]]:
    try:
        # libyaml's parser when there is one: the reference is thousands of records, read at every start
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or []
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        report.failures.append((str(path), f"not YAML: {exc}"))
        return []
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        report.failures.append((str(path), "a reference file is a YAML list of records"))
        return []
    return data


def _reason(exc: ValidationError) -> str:
    return "; ".join(f"{'.'.join(map(str, e['loc'])) or 'record'}: {e['msg']}" for e in exc.errors())


def merge_aliases(old: list[str] | None, new: list[str] | None) -> list[str]:
    return list(dict.fromkeys([*(old or []), *(new or [])]))


def load_reference(session: Session, root: Path) -> ReferenceReport:
    """Upsert every record under `root` (no commit: the caller's unit of work does)."""
    report = ReferenceReport()
    deferred: list[tuple[Service, Any, str, str, str]] = []  # parties' countries, once all parties exist
    # every stored row by key, read once per kind: thousands of records, one query each would be slow
    stored: dict[Service, dict[str, Any]] = {}
    for folder, kind, service, shape, refs in KINDS:
        stored[service] = {row.key: row for row in session.scalars(select(service.model))}
        for path in sorted((Path(root) / folder).glob("*.yaml")):
            for rec in _records(path, report):
                where = f"{path}#{rec.get('key', '?')}"
                plain = {k: v for k, v in rec.items() if k not in refs}
                try:
                    data = shape.model_validate(plain)
                except ValidationError as exc:
                    report.failures.append((where, _reason(exc)))
                    continue
                if not data.key:
                    report.failures.append((where, "key: every reference record needs its key"))
                    continue
                values = data.model_dump(exclude_unset=True, exclude={"key"})
                missing = None
                for name, (column, target) in refs.items():
                    if rec.get(name) is None:
                        continue
                    ref = stored[target].get(rec[name])
                    if ref is None and target is service:  # a party naming a party loaded later
                        deferred.append((service, data.key, column, rec[name], where))
                    elif ref is None:
                        missing = f"{name}: no {target.model.__tablename__} with key {rec[name]!r}"
                    else:
                        values[column] = ref.id
                if missing:
                    report.failures.append((where, missing))
                    continue
                existing = stored[service].get(data.key)
                if existing is not None:
                    values["aliases"] = merge_aliases(existing.aliases, values.get("aliases"))
                    if all(getattr(existing, k) == v for k, v in values.items()):
                        report.unchanged[kind] += 1  # the usual case at start-up: no write at all
                        continue
                obj, created = service.upsert_by_key(session, key=data.key, values=values)
                stored[service][obj.key] = obj
                (report.created if created else report.updated)[kind] += 1
    for service, key, column, ref_key, where in deferred:
        ref = stored[service].get(ref_key)
        if ref is None:
            report.failures.append((where, f"{column.removesuffix('_id')}: no party with key {ref_key!r}"))
            continue
        obj = stored[service].get(key)
        if obj is not None and getattr(obj, column) != ref.id:
            setattr(obj, column, ref.id)
            session.flush()
    return report
