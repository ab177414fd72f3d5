"""Examples for the OpenAPI document, by field name: a field means the same thing in every
shape it appears in (an `id`, a `round_id`, a `created_at`), so one table documents them all.
Fields that declare their own examples keep them; an enum field shows its first value. Arabic
examples stand beside English ones, as the record holds both."""

from __future__ import annotations

from typing import Any

BY_FIELD: dict[str, Any] = {
    "id": 3, "version": 2, "created_at": "2017-09-15T10:05:00Z", "updated_at": "2017-09-15T10:07:12Z",
    "key": "syrian-opposition", "name_en": "Syrian opposition", "name_ar": "المعارضة السورية",
    "party_id": 79, "person_id": 359, "place_id": 12, "country_id": 187, "process_id": 34, "round_id": 1,
    "zone_id": 25, "article_id": 1, "subject_id": 3, "requested_by_party_id": 79,
    "facilitator_party_id": 381, "facilitator_person_id": 412, "head_person_id": 359,
    "member_ids": [359, 260], "participants": [{"party_id": 79}, {"person_id": 412}], "confidence": 0.85, "closed": True,
    "date": "2017-09-14", "status_date": "2017-09-15", "published": "2017-09-15",
    "lat": 35.93, "lon": 36.63, "start": 919, "end": 1162,
    "note": "طلبت المعارضة إدراج المنطقة ضمن مناطق خفض التصعيد",
    "url": "https://www.aljazeera.net/news/politics/2017/9/15/astana-talks",
    "content_hash": "9b1f0c4e3a7d2b6c8e5f1a0d4c7b3e9f2a6d8c1b5e7f3a9d0c2b4e6f8a1c3d5e",
    "warnings": ["no publication date: relative dates are left unresolved"],
    "limit": 50, "next_cursor": "eyJhZnRlciI6NTB9", "action": "created",
    "title": "The request is not valid", "detail": "end_date: end_date is before start_date",
    "instance": "/rounds",
}


def fill(doc: dict[str, Any]) -> dict[str, Any]:
    """Give every scalar property of every schema in `doc` an example, in place."""
    schemas = doc.get("components", {}).get("schemas", {})
    for schema in schemas.values():
        for name, prop in schema.get("properties", {}).items():
            if prop.get("examples") or "example" in prop:
                continue
            if (value := _example(name, prop, schemas)) is not None:
                prop["examples"] = [value]
    return doc


def _example(name: str, prop: dict[str, Any], schemas: dict[str, Any]) -> Any:
    for option in [prop, *prop.get("anyOf", [])]:
        ref = option.get("$ref", "")
        if ref.startswith("#/components/schemas/") and "enum" in (target := schemas[ref.rsplit("/", 1)[1]]):
            return target["enum"][0]
        if "enum" in option:
            return option["enum"][0]
    return BY_FIELD.get(name)
