"""GeoJSON geometry checks (RFC 7946) with shapely, and the bounding box we index."""

from __future__ import annotations

from typing import Any

import shapely
from shapely.geometry import shape

_TYPES = {"Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon"}


def _positions(coords: Any):
    """Every position of a coordinates array; anything that is neither a position nor an array
    of them (a string, a number where an array belongs) is yielded as it is, to be refused."""
    if isinstance(coords, (list, tuple)) and coords and not isinstance(coords[0], (list, tuple)):
        yield coords
    elif isinstance(coords, (list, tuple)):
        for part in coords:
            yield from _positions(part)
    else:
        yield coords


def validate_geometry(value: dict[str, Any]) -> dict[str, Any]:
    """Return the geometry if it is valid GeoJSON in lon/lat, else raise ValueError saying why."""
    if not isinstance(value, dict) or value.get("type") not in _TYPES:
        raise ValueError(f"geometry type must be one of {sorted(_TYPES)}")
    coords = value.get("coordinates")
    if not isinstance(coords, list) or not coords:
        raise ValueError("geometry needs coordinates")
    for pos in _positions(coords):
        if (not isinstance(pos, (list, tuple)) or len(pos) < 2
                or not all(isinstance(c, (int, float)) and not isinstance(c, bool) for c in pos)):
            raise ValueError("a position is [longitude, latitude]")
        lon, lat = pos[0], pos[1]
        if not (-180 <= lon <= 180):
            raise ValueError(f"longitude {lon} is out of range")
        if not (-90 <= lat <= 90):
            raise ValueError(f"latitude {lat} is out of range")
    if value["type"] in ("Polygon", "MultiPolygon"):
        polygons = [coords] if value["type"] == "Polygon" else coords
        for rings in polygons:
            for i, ring in enumerate(rings):
                if len(ring) < 4 or ring[0] != ring[-1]:
                    raise ValueError("a polygon ring must be closed (first position = last) with 4+ positions")
                ccw = shapely.LinearRing(ring).is_ccw
                if (i == 0) != ccw:
                    raise ValueError("RFC 7946 winding: exterior rings counter-clockwise, holes clockwise")
    try:
        geom = shape(value)
    except Exception as exc:  # shapely's own message says what is wrong
        raise ValueError(f"invalid geometry: {exc}") from None
    if not geom.is_valid:
        raise ValueError(f"invalid geometry: {shapely.is_valid_reason(geom)}")
    return value


def bbox(value: dict[str, Any] | None) -> tuple[float, float, float, float] | None:
    return None if not value else shape(value).bounds
