"""Rounds of talks and the delegations that came to them."""

from typing import Annotated

from fastapi import APIRouter, Query, Request
from sqlmodel import Session

from app.api.crud import READ_ERRORS, Resource, crud_router, page_model
from app.api.deps import ITEM_DEPS, RoundDep, SessionDep
from app.models import (
    DelegationCreate, DelegationPublic, DelegationUpdate, RoundCreate, RoundPublic, RoundUpdate,
)
from app.services import DelegationParams, RoundParams, delegations, rounds


def attach_members(session: Session, items: list[dict]) -> None:
    """The members of a whole page of delegations, in one statement."""
    members = delegations.members(session, ids=[d["id"] for d in items])
    for d in items:
        d["member_ids"] = members[d["id"]]


round_res = Resource("round", rounds, RoundCreate, RoundUpdate, RoundPublic, RoundParams, ITEM_DEPS["round"])
delegation_res = Resource("delegation", delegations, DelegationCreate, DelegationUpdate, DelegationPublic,
                          DelegationParams, ITEM_DEPS["delegation"], attach=attach_members)
nested = APIRouter(tags=["delegations"])


@nested.get("/rounds/{id}/delegations", response_model=page_model(DelegationPublic),
            responses={200: {"content": {"text/csv": {"schema": {"type": "string"}}}}, **READ_ERRORS},
            summary="The delegations at a round", operation_id="round_delegations")
def round_delegations(request: Request, session: SessionDep, obj: RoundDep,
                      params: Annotated[DelegationParams, Query()]):
    return delegation_res.list_response(request, session, params.model_copy(update={"round_id": obj.id}))


routers = [
    crud_router(round_res, prefix="/rounds", tag="rounds", plural="rounds"),
    crud_router(delegation_res, prefix="/delegations", tag="delegations", plural="delegations"),
    nested,
]
