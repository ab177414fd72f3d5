"""De-escalation zones: JSON, CSV or GeoJSON (RFC 7946), and each zone's status history."""

from fastapi import APIRouter, Request

from app.api.crud import READ_ERRORS, Resource, crud_router
from app.api.deps import ITEM_DEPS, SessionDep, ZoneDep
from app.api.representation import JSON, dump, respond
from app.models import ZoneCreate, ZonePublic, ZoneStatusEventPublic, ZoneUpdate
from app.services import ZoneParams, zones


def zone_feature(zone: dict) -> dict:
    properties = {k: v for k, v in zone.items() if k not in ("geometry", "id")}
    return {"type": "Feature", "id": zone["id"], "geometry": zone["geometry"], "properties": properties}


zone_res = Resource("zone", zones, ZoneCreate, ZoneUpdate, ZonePublic, ZoneParams, ITEM_DEPS["zone"],
                    feature=zone_feature)
router = crud_router(zone_res, prefix="/zones", tag="zones", plural="zones")
nested = APIRouter(tags=["zones"])


@nested.get("/zones/{id}/history", response_model=list[ZoneStatusEventPublic], responses=READ_ERRORS,
            summary="A zone's status history", operation_id="zone_history",
            description="Every status the zone has had, oldest first, with its date and round.")
def zone_history(request: Request, session: SessionDep, obj: ZoneDep):
    rows = zones.history(session, zone_id=obj.id)
    body = [ZoneStatusEventPublic.model_validate(r, from_attributes=True).model_dump(mode="json") for r in rows]
    return respond(request, dump(body), JSON)


routers = [router, nested]
