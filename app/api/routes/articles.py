"""Articles: the sources every fact is traced to. POST /articles extracts and loads one."""

import datetime as dt
from typing import Annotated, Literal

import orjson
from fastapi import APIRouter, Depends, Query, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, Field, ValidationError
from sqlalchemy import select
from sqlmodel import Session

from app.api.crud import READ_ERRORS, Resource, crud_router, links, problems
from app.api.deps import ITEM_DEPS, ArticleDep, SessionDep, WriterDep
from app.api.representation import JSON, dump, respond
from app.errors import AppError, Unprocessable
from app.loader.gazetteer_db import current_gazetteer
from app.loader.load import Loaded, load_article
from app.loader.sources import Source
from app.models import Article, ArticleCreate, ArticlePublic, ArticleUpdate, Evidence, EvidencePublic
from app.services import ArticleParams, articles

article_res = Resource("article", articles, ArticleCreate, ArticleUpdate, ArticlePublic, ArticleParams,
                       ITEM_DEPS["article"])
# articles are created by extraction (below), not by the generic create
router = crud_router(article_res, prefix="/articles", tag="articles", plural="articles", create=False)
nested = APIRouter(tags=["articles"])


@nested.get("/articles/{id}/evidence", response_model=list[EvidencePublic], responses=READ_ERRORS,
            summary="Every fact an article states", operation_id="article_evidence")
def article_evidence(request: Request, session: SessionDep, obj: ArticleDep):
    rows = session.scalars(select(Evidence).where(Evidence.article_id == obj.id).order_by(Evidence.start))
    body = [EvidencePublic.model_validate(r, from_attributes=True).model_dump(mode="json") for r in rows]
    return respond(request, dump(body), JSON)


# --- POST /articles --------------------------------------------------------------------------------
class UnsupportedMediaType(AppError):
    status, type, title = 415, "unsupported-media-type", "Send application/json or text/plain"


class LoadedRow(BaseModel):
    type: str = Field(description="party, person, process, place, round, meeting, zone or zone_status",
                      examples=["meeting"])
    id: int = Field(description="the row's id (GET /{type}s/{id}; zone_status: GET /zones/{zone}/history)")
    action: Literal["created", "matched"] = Field(description="created by this article, or an existing row it matched")
    evidence: list[EvidencePublic] = Field(description="the sentences of this article that state it")


class ArticleLoad(BaseModel):
    """What loading an article did."""

    status: Literal["new", "unchanged"] = Field(description="unchanged: the same text was loaded before; nothing was written")
    article: ArticlePublic = Field(description="the article stored (or the one stored before, when unchanged)")
    rows: list[LoadedRow] = Field(description="every row the article created or matched, with its evidence")


AR_EXAMPLE = {
    "title": "مفاوضات بأستانا لإطلاق كل مناطق خفض التصعيد بسوريا", "publisher": "Al Jazeera / الجزيرة",
    "published": "2017-09-15", "language": "ar",
    "text": "وذكر المراسل أيضا أن لقاء برعاية تركية جمع وفد المعارضة مع الوفد الروسي أمس الخميس.",
}
EN_EXAMPLE = {
    "title": "Syrian opposition meets Russian delegation in Astana", "publisher": "Reuters",
    "published": "2017-09-15", "language": "en",
    "text": "The Syrian opposition delegation met the Russian delegation in Astana on Thursday.",
}
REQUEST_BODY = {
    "required": True,
    "content": {
        "application/json": {"schema": ArticleCreate.model_json_schema(),
                             "examples": {"arabic": {"summary": "An Arabic report", "value": AR_EXAMPLE},
                                          "english": {"summary": "An English report", "value": EN_EXAMPLE}}},
        "text/plain": {"schema": {"type": "string"},
                       "examples": {"arabic": {"summary": "The text alone; metadata in the query",
                                               "value": AR_EXAMPLE["text"]}}},
    },
}
LOAD_DESCRIPTION = """Extracts the rounds, parties, persons, meetings and zones an article reports and
loads them, each with its evidence (the sentence that states it), in one transaction.

Send the article as JSON, or its text as `text/plain` (UTF-8) with the metadata in the query
(`title`, `publisher`, `published`, `language`, `url`). Without `published`, relative dates
("yesterday", أمس) stay unresolved and the article carries a warning. Names are matched
against the record (names and aliases, Arabic or English); new names become new rows, and new
spellings of known names become aliases.

The same text (compared after normalization) is loaded once: sending it again answers 200 with
`"status": "unchanged"` and writes nothing. Needs an API key with the write scope."""


def _example(status: str) -> dict:
    evidence = {"id": 7, "article_id": 1, "subject_type": "meeting", "subject_id": 3, "start": 0, "end": 84,
                "quote": AR_EXAMPLE["text"], "confidence": 0.8}
    return {"status": status,
            "article": {"id": 1, "version": 1, "created_at": "2026-11-29T09:00:00Z", "updated_at": "2026-11-29T09:00:00Z",
                        "content_hash": "1135…", "warnings": [],
                        **{k: v for k, v in AR_EXAMPLE.items() if k != "text"}, "url": None},
            "rows": [{"type": "meeting", "id": 3, "action": "created" if status == "new" else "matched",
                      "evidence": [evidence]}]}


# the answer's ETag is the load's, not the article's: the link reads the article (whose ETag a change needs)
TO_ARTICLE = links("article", "get", id_from="$response.body#/article/id")
RESPONSES = {
    201: {"description": "Loaded: the article and the rows it created or matched",
          "content": {"application/json": {"example": _example("new")}}, "links": TO_ARTICLE},
    200: {"model": ArticleLoad, "description": "The same text was loaded before: nothing written",
          "content": {"application/json": {"example": _example("unchanged")}}, "links": TO_ARTICLE},
    **problems(401, 403, 413, 422, 503),
    415: {"description": "Neither application/json nor text/plain", "content": {"application/problem+json": {}}},
}


async def article_input(
    request: Request,
    title: Annotated[str | None, Query(description="text/plain: the headline")] = None,
    publisher: Annotated[str | None, Query(description="text/plain: who published it")] = None,
    published: Annotated[dt.date | None, Query(description="text/plain: publication date (YYYY-MM-DD)")] = None,
    language: Annotated[str | None, Query(description="text/plain: ar or en; detected when omitted")] = None,
    url: Annotated[str | None, Query(description="text/plain: where it was published")] = None,
) -> ArticleCreate:
    """The article of the body: JSON (ArticleCreate) or plain text with metadata in the query."""
    media, _, params = request.headers.get("content-type", "application/json").partition(";")
    media = media.strip().lower()
    raw = await request.body()
    meta = {k: v for k, v in dict(title=title, publisher=publisher, published=published, language=language,
                                   url=url).items() if v is not None}
    if media == "text/plain":
        charset = params.partition("charset=")[2].strip().strip('"') or "utf-8"
        try:
            data = {**meta, "text": raw.decode(charset)}
        except (UnicodeDecodeError, LookupError):
            raise Unprocessable("text", f"the body is not {charset} text") from None
    elif media == "application/json" or media.endswith("+json"):
        try:
            data = orjson.loads(raw)
        except orjson.JSONDecodeError:
            raise Unprocessable("body", "the body is not JSON (or not UTF-8)") from None
        if not isinstance(data, dict):
            raise Unprocessable("body", "send one article: a JSON object with its text")
        data = {**meta, **data}
    else:
        raise UnsupportedMediaType(f"{media or 'no content type'}: send application/json or text/plain")
    try:
        article = ArticleCreate.model_validate(data)
    except ValidationError as exc:
        raise RequestValidationError([{**e, "loc": ("body", *e["loc"])} for e in exc.errors()]) from None
    if not article.text.strip():
        raise Unprocessable("text", "the text is empty")
    return article


def rows_of(session: Session, article: Article, loaded: Loaded) -> list[dict]:
    """The rows the article touched (from the load, or for an unchanged article, from its evidence)."""
    evidence: dict[tuple[str, int], list[dict]] = {}
    for e in session.scalars(select(Evidence).where(Evidence.article_id == article.id).order_by(Evidence.start, Evidence.id)):
        public = EvidencePublic.model_validate(e, from_attributes=True).model_dump(mode="json")
        evidence.setdefault((public["subject_type"], e.subject_id), []).append(public)
    touched = [(t.type, t.id, t.action) for t in loaded.touched] or [(s, i, "matched") for s, i in evidence]
    return [{"type": s, "id": i, "action": a, "evidence": evidence.get((s, i), [])} for s, i, a in touched]


@nested.post("/articles", status_code=201, response_model=ArticleLoad, responses=RESPONSES,
             operation_id="create_article", summary="Load an article: extract its facts, with evidence",
             description=LOAD_DESCRIPTION, openapi_extra={"requestBody": REQUEST_BODY})
def create_article(request: Request, session: SessionDep, _key: WriterDep,
                   data: Annotated[ArticleCreate, Depends(article_input)]):
    source = Source(text=data.text, origin="POST /articles", title=data.title, publisher=data.publisher,
                    url=data.url, published=data.published, language=data.language)
    loaded = load_article(session, source, gazetteer=current_gazetteer(session))
    body = {"status": loaded.status,
            "article": ArticlePublic.model_validate(loaded.article, from_attributes=True).model_dump(mode="json"),
            "rows": rows_of(session, loaded.article, loaded)}
    location = str(request.url_for("get_article", id=loaded.article.id))
    return respond(request, dump(body), JSON, status=201 if loaded.status == "new" else 200,
                   headers={"Location": location})


routers = [router, nested]
