"""The five routes every resource has (list, get, create, PATCH, delete) and its evidence,
built once from the resource's shapes and service. Resource modules add their nested reads."""


from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated, Any, get_type_hints

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, Field, create_model
from sqlalchemy import bindparam, select
from sqlmodel import Session, SQLModel

from app.api.deps import IfMatch, SessionDep, WriterDep
from app.api.representation import (
    CSV, GEOJSON, JSON, check_if_match, dump, negotiate, page_response, respond,
)
from app.errors import TYPE_BASE, NotFound
from app.idempotency import IdempotencyDep
from app.models import Evidence, EvidencePublic
from app.services import ListParams, Service


class Problem(BaseModel):
    """RFC 9457 problem details."""

    type: str = Field(description="a URI naming the kind of problem", examples=[TYPE_BASE + "validation"])
    title: str = Field(description="the kind of problem, in words")
    status: int = Field(description="the HTTP status", examples=[422])
    detail: str | None = Field(default=None, description="this occurrence, in words")
    instance: str | None = Field(default=None, description="the path that answered")
    errors: list[dict[str, Any]] | None = Field(
        default=None, description="for 422: each field at fault and why",
        examples=[[{"field": "end_date", "message": "end_date is before start_date"}]])


def problems(*codes: int) -> dict[int | str, dict[str, Any]]:
    text = {400: "Bad request", 401: "No or bad API key", 403: "The key lacks the scope", 404: "Not found",
            406: "No acceptable representation", 409: "Conflicts with a stored row",
            412: "If-Match is stale", 413: "Body too large", 422: "Invalid input, the field named",
            428: "If-Match is required", 429: "Too many writes from this key, or bad keys from this address (Retry-After)",
            503: "Database unavailable or the server is overloaded (Retry-After)"}
    # the schema under problem+json only, the media type we send (app.main registers Problem)
    schema = {"schema": {"$ref": "#/components/schemas/Problem"}}
    return {c: {"description": text[c], "content": {"application/problem+json": schema}} for c in codes}


DEPRECATED_SINCE = "@1795910400"  # 2026-11-29T00:00:00Z, API 1.0.0: RFC 9745 structured date
READ_ERRORS = problems(404, 406, 422, 503)
WRITE_ERRORS = problems(401, 403, 404, 409, 412, 413, 422, 428, 429, 503)


def links(name: str, *to: str, id_from: str = "$response.body#/id", etag: bool = True) -> dict[str, Any]:
    """OpenAPI links from an answer that names one row to the operations `to` (get, update,
    delete) on that row: its id, and for a change the ETag of this answer in If-Match (RFC 9110),
    so that a client, or schemathesis's stateful run, can go create -> read -> change -> delete."""
    verbs = {"get": "read it", "update": "change it", "delete": "delete it"}
    out = {}
    for verb in to:
        parameters = {"path.id": id_from}
        if verb != "get" and etag:
            parameters["header.If-Match"] = "$response.header.ETag"
        out[f"{verb}_{name}"] = {
            "operationId": f"{verb}_{name}", "parameters": parameters,
            "description": f"{verbs[verb]}: the id" + (", and this answer's ETag as If-Match" if "header.If-Match"
                                                        in parameters else ""),
        }
    return out


def item_answer(name: str, *to: str, created: bool = False, **kw: Any) -> dict[str, Any]:
    """The success answer of an operation on one row: its ETag (and Location, when created)
    documented, and the links to what can be done next (`links`)."""
    headers = {"ETag": {"description": "the version of this representation; send it back in If-Match",
                        "schema": {"type": "string"}}}
    if created:
        headers["Location"] = {"description": f"the URL of the new {name}", "schema": {"type": "string"}}
    return {"headers": headers, "links": links(name, *to, **kw)}


def page_model(public: type[SQLModel]) -> type[BaseModel]:
    return create_model(
        f"{public.__name__}Page",
        __doc__=f"A page of {public.__name__}; pass next_cursor back as ?cursor= for the next.",
        items=(list[public], Field(description="the rows of this page, in a stable order")),
        next_cursor=(str | None, Field(description="opaque; null on the last page")),
        limit=(int, Field(description="the page size asked for")),
    )


@dataclass
class Resource:
    """What the routes need to know about one kind of row."""

    name: str  # singular, as in ITEM_DEPS
    service: Service
    create: type[BaseModel]
    update: type[BaseModel]
    public: type[SQLModel]
    params: type[ListParams]
    item_dep: Any
    publish_many: Callable[[Session, list[Any]], list[dict[str, Any]]] | None = None
    feature: Callable[[dict[str, Any]], dict[str, Any]] | None = None
    columns: list[str] = field(default_factory=list)
    # fills the public fields that are not columns (participants, member_ids) of a whole page, in place
    attach: Callable[[Session, list[dict[str, Any]]], None] | None = None

    def __post_init__(self) -> None:
        self.columns = self.columns or list(self.public.model_fields)
        table = self.service.model.__table__
        fields = list(self.public.model_fields)
        # The read path selects the public columns as tuples and writes them out as they are (orjson
        # writes dates, UTC datetimes and JSON columns exactly as pydantic's JSON mode would): no ORM
        # object, no model validated then dumped. Rows were validated when they were written.
        self.selected = [table.c[f] for f in fields if f in table.c]
        computed = [f for f in fields if f not in table.c]
        self.fast = self.publish_many is None and (not computed or self.attach is not None)
        position = {f: i for i, f in enumerate(f for f in fields if f in table.c)}
        self._layout = [(f, position.get(f)) for f in fields]
        # built once: SQLAlchemy then computes its cache key once, not on every GET
        self._by_id = select(*self.selected).where(table.c.id == bindparam("id"))

    def plain(self, row: Any) -> dict[str, Any]:
        """One row (a Row of `selected` or a driver's record of them, or an ORM object) as its public
        dict, fields in order; the computed fields start empty, for `attach` to fill."""
        if not isinstance(row, SQLModel):
            return {f: (row[i] if i is not None else []) for f, i in self._layout}
        return {f: (getattr(row, f) if i is not None else []) for f, i in self._layout}

    def publish(self, session: Session, rows: list[Any]) -> list[dict[str, Any]]:
        if self.publish_many:
            return self.publish_many(session, rows)
        if not self.fast:
            return [self.public.model_validate(r, from_attributes=True).model_dump(mode="json") for r in rows]
        items = [self.plain(r) for r in rows]
        if self.attach and items:
            self.attach(session, items)
        return items

    def body(self, session: Session, obj: Any) -> bytes:
        return dump(self.publish(session, [obj])[0])

    def offered(self) -> tuple[str, ...]:
        return (JSON, CSV, GEOJSON) if self.feature else (JSON, CSV)

    def get_response(self, request: Request, session: Session, id: int) -> Response:
        """GET /{id}: the loader's id parameter and 404, without building the ORM object: the public
        columns as one row, written as the list writes them (and as body() writes an ORM row: same bytes)."""
        model = self.service.model
        row = session.execute(self._by_id, {"id": id}).first() if self.fast else self.service.get(session, id=id)
        if row is None:
            raise NotFound(f"no {model.__tablename__} with id {id}")
        return respond(request, dump(self.publish(session, [row])[0]), JSON)

    def list_response(self, request: Request, session: Session, params: ListParams) -> Response:
        media = negotiate(request, params.format, self.offered())
        page = self.service.list(session, params=params, columns=self.selected if self.fast else None)
        response = page_response(request, items=self.publish(session, page.rows), next_cursor=page.next_cursor,
                                 limit=params.limit, media=media, columns=self.columns, feature=self.feature)
        used = [n for n, f in type(params).model_fields.items() if f.deprecated and n in params.model_fields_set]
        if used:  # a retired parameter still answers, and says so (RFC 9745)
            response.headers["Deprecation"] = DEPRECATED_SINCE
        return response


READABLE: dict[str, Resource] = {}  # "meetings" → its Resource: the lists and gets app/fastread.py serves


def crud_router(res: Resource, *, prefix: str, tag: str, plural: str, create: bool = True) -> APIRouter:
    """`create=False` leaves out the POST route, for a resource whose creation is its own route."""
    READABLE[prefix.strip("/")] = res
    router = APIRouter(prefix=prefix, tags=[tag])
    Item, Params, Create, Update = res.item_dep, res.params, res.create, res.update
    list_media = {"text/csv": {"schema": {"type": "string"}}}
    if res.feature:
        list_media["application/geo+json"] = {"schema": {"type": "object"}}

    # GET /{id} takes the id exactly as the loader of PATCH and DELETE does (same OpenAPI, same 422)
    ItemId = get_type_hints(Item.__metadata__[0].dependency, include_extras=True)["id"]
    n = res.name
    ops = {v: f"{v}_{n}" for v in ("get", "create", "update", "delete")} | {"list": f"list_{plural.replace(' ', '_')}"}

    @router.get("", name=ops["list"], operation_id=ops["list"], response_model=page_model(res.public), responses={200: {"content": list_media}, **READ_ERRORS},
                summary=f"List {plural}",
                description=f"Pages of {plural} in a stable order (keyset cursor; the next page is also "
                            f"in the Link header). JSON by default; CSV with Accept: text/csv or format=csv.")
    def list_items(request: Request, session: SessionDep, params: Annotated[Params, Query()]):
        return res.list_response(request, session, params)

    @router.get("/{id}", name=ops["get"], operation_id=ops["get"], response_model=res.public,
                responses={**READ_ERRORS, 200: item_answer(n, "update", "delete", id_from="$request.path.id")},
                summary=f"Get one {res.name}",
                description="The ETag of the answer goes back in If-Match to change or delete it.")
    def get_item(request: Request, session: SessionDep, id: ItemId):
        return res.get_response(request, session, id)

    if create:
        @router.post("", name=ops["create"], operation_id=ops["create"], response_model=res.public, status_code=201,
                     responses={**WRITE_ERRORS, 201: item_answer(n, "get", "update", "delete", created=True)},
                     summary=f"Create a {res.name}", description="Needs an API key with the write scope.")
        def create_item(request: Request, session: SessionDep, _key: WriterDep, data: Create, idem: IdempotencyDep):
            obj = res.service.create(session, data=data)
            location = str(request.url_for(ops["get"], id=obj.id))
            return idem.save(respond(request, res.body(session, obj), JSON, status=201, headers={"Location": location}))

    @router.patch("/{id}", name=ops["update"], operation_id=ops["update"], response_model=res.public,
                  responses={**WRITE_ERRORS, 200: item_answer(n, "get", "update", "delete")}, summary=f"Change a {res.name}",
                  description="Send only the fields to change, and the ETag you read in If-Match.")
    def update_item(request: Request, session: SessionDep, _key: WriterDep, obj: Item, data: Update,
                    if_match: IfMatch = None):
        check_if_match(if_match, res.body(session, obj))
        res.service.update(session, obj=obj, data=data)
        return respond(request, res.body(session, obj), JSON)

    @router.delete("/{id}", name=ops["delete"], operation_id=ops["delete"], status_code=204, responses=WRITE_ERRORS, summary=f"Delete a {res.name}",
                   description="Send the ETag you read in If-Match. Its evidence rows go with it.")
    def delete_item(session: SessionDep, _key: WriterDep, obj: Item, if_match: IfMatch = None):
        check_if_match(if_match, res.body(session, obj))
        res.service.delete(session, obj=obj)
        return Response(status_code=204)

    if res.service.subject is not None:
        subject = res.service.subject

        @router.get("/{id}/evidence", name=f"{n}_evidence", operation_id=f"{n}_evidence", response_model=list[EvidencePublic], responses=READ_ERRORS,
                    summary=f"The evidence for a {res.name}",
                    description="Each article sentence (character span and quote) that states it.")
        def item_evidence(request: Request, session: SessionDep, obj: Item):
            rows = session.scalars(select(Evidence).where(Evidence.subject_type == subject,
                                                          Evidence.subject_id == obj.id).order_by(Evidence.id))
            body = [EvidencePublic.model_validate(r, from_attributes=True).model_dump(mode="json") for r in rows]
            return respond(request, dump(body), JSON)

    return router
