"""Meetings, and the nested reads people ask for: a round's, a party's and a person's meetings."""

from typing import Annotated

from fastapi import APIRouter, Query, Request
from sqlmodel import Session

from app.api.crud import READ_ERRORS, Resource, crud_router, page_model
from app.api.deps import ITEM_DEPS, PartyDep, PersonDep, RoundDep, SessionDep
from app.models import MeetingCreate, MeetingPublic, MeetingUpdate
from app.services import MeetingParams, meetings


def attach_participants(session: Session, items: list[dict]) -> None:
    """The participants of a whole page, in one statement."""
    people = meetings.participants(session, ids=[m["id"] for m in items])
    for m in items:
        m["participants"] = people[m["id"]]


meeting_res = Resource("meeting", meetings, MeetingCreate, MeetingUpdate, MeetingPublic, MeetingParams,
                       ITEM_DEPS["meeting"], attach=attach_participants)
router = crud_router(meeting_res, prefix="/meetings", tag="meetings", plural="meetings")
nested = APIRouter(tags=["meetings"])
MEETING_PAGE = page_model(MeetingPublic)
CSV_TOO = {200: {"content": {"text/csv": {"schema": {"type": "string"}}}}, **READ_ERRORS}


@nested.get("/rounds/{id}/meetings", response_model=MEETING_PAGE, responses=CSV_TOO,
            summary="A round's meetings", operation_id="round_meetings")
def round_meetings(request: Request, session: SessionDep, obj: RoundDep,
                   params: Annotated[MeetingParams, Query()]):
    return meeting_res.list_response(request, session, params.model_copy(update={"round_id": obj.id}))


@nested.get("/parties/{id}/meetings", response_model=MEETING_PAGE, responses=CSV_TOO,
            summary="A party's meetings (its own and its persons')", operation_id="party_meetings")
def party_meetings(request: Request, session: SessionDep, obj: PartyDep,
                   params: Annotated[MeetingParams, Query()]):
    return meeting_res.list_response(request, session, params.model_copy(update={"party_id": obj.id}))


@nested.get("/persons/{id}/meetings", response_model=MEETING_PAGE, responses=CSV_TOO,
            summary="A person's meetings", operation_id="person_meetings")
def person_meetings(request: Request, session: SessionDep, obj: PersonDep,
                    params: Annotated[MeetingParams, Query()]):
    return meeting_res.list_response(request, session, params.model_copy(update={"person_id": obj.id}))


routers = [router, nested]
