"""Articles: the sources every fact is traced to."""

from fastapi import APIRouter, Request
from sqlalchemy import select

from app.api.crud import READ_ERRORS, Resource, crud_router
from app.api.deps import ITEM_DEPS, ArticleDep, SessionDep
from app.api.representation import JSON, dump, respond
from app.models import ArticleCreate, ArticlePublic, ArticleUpdate, Evidence, EvidencePublic
from app.services import ArticleParams, articles

article_res = Resource("article", articles, ArticleCreate, ArticleUpdate, ArticlePublic, ArticleParams,
                       ITEM_DEPS["article"])
router = crud_router(article_res, prefix="/articles", tag="articles", plural="articles")
nested = APIRouter(tags=["articles"])


@nested.get("/articles/{id}/evidence", response_model=list[EvidencePublic], responses=READ_ERRORS,
            summary="Every fact an article states", operation_id="article_evidence")
def article_evidence(request: Request, session: SessionDep, obj: ArticleDep):
    rows = session.scalars(select(Evidence).where(Evidence.article_id == obj.id).order_by(Evidence.start))
    body = [EvidencePublic.model_validate(r, from_attributes=True).model_dump(mode="json") for r in rows]
    return respond(request, dump(body), JSON)


routers = [router, nested]
