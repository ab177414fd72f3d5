"""Columns derived from others, computed in one place: before every flush.

- `search_names`: the normalized names and aliases of a named row, so that `?q=` matches Arabic
  whatever its diacritics, tatweel, hamza and alef forms, and English whatever its case; an
  article's `search_title`, its title folded the same way;
- a zone's bounding box, from its geometry, so that `?bbox=` is an indexed range query.
"""

from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.orm import Session

from app.extract.normalize import search_key
from app.geo import bbox
from app.models.sources import Article
from app.models.zones import Zone

SEPARATOR = "|"


def search_text(obj) -> str:
    names = [obj.name_en, obj.name_ar, *(obj.aliases or [])]
    keys = dict.fromkeys(search_key(n) for n in names if n)
    return SEPARATOR + SEPARATOR.join(k for k in keys if k) + SEPARATOR


@event.listens_for(Session, "before_flush")
def _derive(session: Session, _ctx, _instances) -> None:
    for obj in (*session.new, *session.dirty):
        if hasattr(obj, "search_names"):
            obj.search_names = search_text(obj)
        if isinstance(obj, Article):
            obj.search_title = search_key(obj.title or "")
        if isinstance(obj, Zone):
            box = bbox(obj.geometry)
            obj.min_lon, obj.min_lat, obj.max_lon, obj.max_lat = box or (None, None, None, None)
