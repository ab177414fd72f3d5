"""The data layer: the same verbs for every entity (get, list, create, update, delete,
upsert_by_key), keyword-only. Routes and the loader call these; nothing else writes rows.

A service never commits: the unit of work (a request, an article) does, once.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any, ClassVar, Generic, TypeVar

import orjson
from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator
from sqlalchemy import Select, any_, bindparam, delete as sa_delete, false, select
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session, SQLModel

from app.errors import PreconditionFailed, Unprocessable
from app.extract.normalize import key_of, search_key
from app.models import Evidence, SubjectType

M = TypeVar("M", bound=SQLModel)
MAX_ID = 2**31 - 1  # ids are INTEGER on Postgres: a larger one is no row, not a database error


class ListParams(BaseModel):
    """What every list takes: a page, a cursor, a sync point and a name search."""

    model_config = ConfigDict(extra="forbid")
    limit: int = Field(default=50, ge=1, le=500, description="rows per page (at most 500)")
    cursor: str | None = Field(default=None, description="the opaque `next_cursor` of the page before")
    updated_since: dt.datetime | None = Field(
        default=None, description="only rows changed at or after this instant (ISO 8601)")
    q: str | None = Field(default=None, min_length=1, max_length=200,
                          description="search names and aliases, Arabic or English")
    format: str | None = Field(default=None, pattern="^(json|csv|geojson)$",
                               description="json (default), csv, or geojson (zones)")

    @field_validator("*")
    @classmethod
    def _ids_in_range(cls, value: Any, info: ValidationInfo) -> Any:
        """Every `*_id` filter of every list names a row id: 1 to MAX_ID (422 naming it)."""
        if info.field_name.endswith("_id") and isinstance(value, int) and not 1 <= value <= MAX_ID:
            raise ValueError(f"an id is from 1 to {MAX_ID}")
        return value


@dataclass
class Page(Generic[M]):
    rows: list[M]
    next_cursor: str | None


def encode_cursor(last_id: int) -> str:
    return base64.urlsafe_b64encode(orjson.dumps({"after": last_id})).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    try:
        data = orjson.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        after = data["after"]
        if not isinstance(after, int) or isinstance(after, bool) or not 0 <= after <= MAX_ID:
            raise ValueError
        return after
    except Exception:
        raise Unprocessable("cursor", "not a cursor this API gave out") from None


def make_key(name_en: str | None, name_ar: str | None) -> str:
    """A natural key from a name: an ASCII slug of the English name, else a stable hash."""
    if name_en:
        slug = re.sub(r"[^a-z0-9]+", "-", name_en.lower()).strip("-")
        if slug:
            return slug[:120]
    digest = hashlib.sha1(key_of(name_ar or name_en or "").encode()).hexdigest()[:12]
    return f"ar-{digest}"


def on_postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def one_of(column: Any, name: str, *, postgres: bool):
    """`column IN (values bound as name)`. On Postgres `column = ANY(:name)`, one array parameter: the
    statement's text is the same whatever the number of values, so psycopg prepares it and Postgres
    plans it once, where an expanding IN renders one $n per value at every call (and is parsed and
    planned again: 0.9 ms of server time for the loader's lookup by keys)."""
    if postgres:
        return column == any_(bindparam(name, type_=postgresql.ARRAY(column.type)))
    return column.in_(bindparam(name, expanding=True))


def arg(name: str):
    """A named parameter of a list statement: its value comes from Service.values at each call."""
    return bindparam(name)


@lru_cache(maxsize=4096)
def needle_of(q: str) -> str:
    """The folded form of a `q` (search_key), computed once per distinct q: a request asks for it
    to pick its statement, to bind its pattern, and (meetings) to pick the participant sets."""
    return search_key(q)


def like_pattern(needle: str) -> str:
    """LIKE '%needle%' with the needle's own % _ / escaped by '/' (as `contains(autoescape=True)`)."""
    return "%" + needle.replace("/", "//").replace("%", "/%").replace("_", "/_") + "%"


class Service(Generic[M]):
    model: ClassVar[type[SQLModel]]
    subject: ClassVar[SubjectType | None] = None
    relations: ClassVar[set[str]] = set()  # Create/Update fields that are not columns

    def __init__(self) -> None:
        self._statements: dict[tuple, Select] = {}  # list statements by shape (`statement`)

    # --- reading ------------------------------------------------------------------------
    def get(self, session: Session, *, id: int) -> M | None:
        return session.get(self.model, id)

    def get_by_key(self, session: Session, *, key: str) -> M | None:
        return session.scalars(self._by_key, {"key": key}).first()

    @cached_property
    def _by_key(self) -> Select:
        """get_by_key's statement, built once (the loader asks for every name of every article)."""
        return select(self.model).where(self.model.key == bindparam("key"))

    def list(self, session: Session, *, params: ListParams, columns: list | None = None) -> Page[M]:
        """A keyset page. With `columns`, rows are plain Row tuples of those columns (the read
        path: no ORM objects to build); without, ORM objects."""
        values = self.values(params)
        stmt = self.statement(params, columns)
        rows = list(session.execute(stmt, values) if columns else session.scalars(stmt, values))
        more = len(rows) > params.limit
        rows = rows[: params.limit]
        return Page(rows, encode_cursor(_id_of(rows[-1])) if more and rows else None)

    def statement(self, params: ListParams, columns: list | None = None) -> Select:
        """The page's statement for the filters that `params` sets, built once per such set (its
        shape) with the values left as named parameters (`arg`), filled by `values` at each call.
        Building it and computing its SQLAlchemy cache key cost a party's meeting page 0.5 ms of
        CPU per request; now they are paid once. Shapes are finite: subsets of the filters."""
        shape = (tuple(c.key for c in columns) if columns else None,
                 tuple(name for name, value in params if value is not None and name != "format"),
                 bool(params.q) and not needle_of(params.q))
        if (stmt := self._statements.get(shape)) is None:
            stmt = self._statements[shape] = self.build(params, columns)
        return stmt

    def build(self, params: ListParams, columns: list | None) -> Select:
        model = self.model
        stmt = self.filter(select(*columns) if columns else select(model), params)
        if params.updated_since is not None:
            stmt = stmt.where(model.updated_at >= arg("since"))
        if params.q:  # a q of only punctuation or marks matches nothing, not all
            stmt = self.search(stmt) if needle_of(params.q) else stmt.where(false())
        if params.cursor:
            stmt = stmt.where(model.id > arg("after"))
        return stmt.order_by(model.id).limit(arg("limit_1"))

    def values(self, params: ListParams) -> dict[str, Any]:
        """The named parameters of `statement`: each filter's value under its own name, and those
        the base computes (the LIKE pattern of q, the id after the cursor, the page size + 1)."""
        out: dict[str, Any] = {name: value for name, value in params if value is not None}
        out["limit_1"] = params.limit + 1
        if params.updated_since is not None:
            since = params.updated_since
            out["since"] = since if since.tzinfo else since.replace(tzinfo=dt.UTC)
        if params.q:
            out["pattern"] = like_pattern(needle_of(params.q))
        if params.cursor:
            out["after"] = decode_cursor(params.cursor)
        return out

    def filter(self, stmt: Select, params: ListParams) -> Select:
        """Entity-specific filters; the base applies none. A filter tests which params are set
        and compares with `arg(name)`, never with the value itself (see `statement`)."""
        return stmt

    def search(self, stmt: Select) -> Select:
        if not hasattr(self.model, "search_names"):
            raise Unprocessable("q", f"q is not supported on {self.model.__tablename__}")
        return stmt.where(self.model.search_names.like(arg("pattern"), escape="/"))

    # --- writing ------------------------------------------------------------------------
    def create(self, session: Session, *, data: BaseModel, **columns: Any) -> M:
        """`columns`: values the server sets that no client shape carries (a meeting's fingerprint)."""
        values = {**data.model_dump(exclude=self.relations), **columns}
        self.check_references(session, values)
        if "key" in self.model.model_fields and not values.get("key"):
            values["key"] = make_key(values.get("name_en"), values.get("name_ar"))
        obj = self.model(**values)
        session.add(obj)
        session.flush()
        self.set_relations(session, obj, data, new=True)
        return obj

    def update(self, session: Session, *, obj: M, data: BaseModel) -> M:
        values = data.model_dump(exclude_unset=True, exclude=self.relations)
        self.check_not_null(values)
        self.check_references(session, values)
        for name, value in values.items():
            setattr(obj, name, value)
        if {"name_en", "name_ar"} <= set(self.model.model_fields) and not (obj.name_en or obj.name_ar):
            raise Unprocessable("name_en", "give name_en or name_ar (or both); a row keeps a name")
        self.validate(obj)
        self.set_relations(session, obj, data, new=False)
        obj.updated_at = dt.datetime.now(dt.UTC)  # a change of relations alone bumps the version too
        self._flush(session)
        return obj

    def delete(self, session: Session, *, obj: M) -> None:
        if self.subject is not None:
            session.execute(sa_delete(Evidence).where(Evidence.subject_type == self.subject,
                                                   Evidence.subject_id == obj.id))
        session.delete(obj)
        self._flush(session)

    def upsert_by_key(self, session: Session, *, key: str, values: dict[str, Any]) -> tuple[M, bool]:
        """Insert the row with natural key `key`, or update it to `values`. Returns (row, created)."""
        obj = self.get_by_key(session, key=key)
        if obj is None:
            obj = self.model(key=key, **values)
            session.add(obj)
            session.flush()
            return obj, True
        changed = {k: v for k, v in values.items() if getattr(obj, k) != v}
        for name, value in changed.items():
            setattr(obj, name, value)
        if changed:
            session.flush()
        return obj, False

    # --- hooks for entities -------------------------------------------------------------
    def set_relations(self, session: Session, obj: M, data: BaseModel, *, new: bool) -> None:
        """Write link rows (participants, members) named by non-column fields; `new`: obj was
        just inserted, so it has none to replace."""

    def validate(self, obj: M) -> None:
        """Rules across fields that an update may break (end before start, ...)."""

    def check_not_null(self, values: dict[str, Any]) -> None:
        """A PATCH may set to null only what may be null: 422 naming the field, not a 409 from
        the database's NOT NULL."""
        table = self.model.__table__
        for name, value in values.items():
            if value is None and name in table.c and not table.c[name].nullable:
                raise Unprocessable(name, f"{name} may not be null")

    def check_references(self, session: Session, values: dict[str, Any]) -> None:
        """Every `*_id` that names a row must name one that exists: 422 naming the field."""
        table = self.model.__table__
        for name, value in values.items():
            if value is None or name not in table.c:
                continue
            for fk in table.c[name].foreign_keys:
                target = _model_of(fk.column.table.name)
                if not 1 <= value <= MAX_ID or session.get(target, value) is None:
                    raise Unprocessable(name, f"no {fk.column.table.name} with id {value}")

    def _flush(self, session: Session) -> None:
        try:
            session.flush()
        except StaleDataError:
            raise PreconditionFailed("another change was saved first; read it again") from None


def _model_of(table_name: str) -> type[SQLModel]:
    for mapper in SQLModel._sa_registry.mappers:
        if mapper.local_table.name == table_name:
            return mapper.class_
    raise LookupError(table_name)


def _id_of(row: Any) -> int:
    """The id of an ORM row, a Row, or a driver's record (app/fastread.py) that has no attributes."""
    return row.id if hasattr(row, "id") else row["id"]


def check_ids_exist(session: Session, model: type[SQLModel], ids: set[int], field: str) -> None:
    """422 naming `field` for the first id with no row. Rows this session already holds are not
    asked for again (the loader resolves every participant before it writes the meeting)."""
    held = {i for i in ids if session.identity_map.get(Session.identity_key(model, i)) is not None}
    if not (ask := ids - held):
        return
    found = held | set(session.scalars(select(model.id).where(model.id.in_({i for i in ask if 1 <= i <= MAX_ID}))))
    if missing := sorted(ids - found):
        raise Unprocessable(field, f"no {model.__tablename__} with id {missing[0]}")
