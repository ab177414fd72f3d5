"""Processes, places, parties and persons: the named actors and tracks of the record."""

from app.api.crud import Resource, crud_router
from app.api.deps import ITEM_DEPS
from app.models import (
    PartyCreate, PartyPublic, PartyUpdate, PersonCreate, PersonPublic, PersonUpdate, PlaceCreate,
    PlacePublic, PlaceUpdate, ProcessCreate, ProcessPublic, ProcessUpdate,
)
from app.services import ListParams, PartyParams, PersonParams, parties, persons, places, processes

process_res = Resource("process", processes, ProcessCreate, ProcessUpdate, ProcessPublic, ListParams,
                       ITEM_DEPS["process"])
place_res = Resource("place", places, PlaceCreate, PlaceUpdate, PlacePublic, ListParams, ITEM_DEPS["place"])
party_res = Resource("party", parties, PartyCreate, PartyUpdate, PartyPublic, PartyParams, ITEM_DEPS["party"])
person_res = Resource("person", persons, PersonCreate, PersonUpdate, PersonPublic, PersonParams,
                      ITEM_DEPS["person"])

routers = [
    crud_router(process_res, prefix="/processes", tag="processes", plural="processes"),
    crud_router(place_res, prefix="/places", tag="places", plural="places"),
    crud_router(party_res, prefix="/parties", tag="parties", plural="parties"),
    crud_router(person_res, prefix="/persons", tag="persons", plural="persons"),
]
