"""Indexes that back the API's filters, keyset pages and name search (migration 0003).

Kept apart from the shapes: each is attached to its table here, by column, so the models and the
migration say the same thing and autogenerate finds no difference.

- keyset pages filtered by an equality (`kind`, `status`, `round_id`) read `(column, id)` in order,
  so a page costs the same at any depth;
- a participant filter (`party_id`, `person_id`, `q` on meetings), with or without a date range,
  finds the meetings in one index range: the participant row carries its meeting's date (0006);
- `q` is `LIKE '%needle%'` on `search_names`: on Postgres a pg_trgm GIN index serves it (on SQLite
  the same index is a plain b-tree, harmless).
"""

from __future__ import annotations

from sqlalchemy import Index

from app.models.meetings import Meeting, MeetingParticipant
from app.models.sources import Article
from app.models.talks import Party, Person, Place, Process, Round
from app.models.zones import Zone


def trgm(table, column: str = "search_names") -> Index:
    """A trigram GIN index on Postgres (needs the pg_trgm extension, made by migration 0003)."""
    name = table.__tablename__
    return Index(f"ix_{name}_{column}_trgm", getattr(table.__table__.c, column), postgresql_using="gin",
                 postgresql_ops={column: "gin_trgm_ops"})


m, mp = Meeting.__table__.c, MeetingParticipant.__table__.c
INDEXES = [
    Index("ix_meeting_kind_id", m.kind, m.id),
    Index("ix_meeting_status_id", m.status, m.id),
    Index("ix_meeting_round_id_id", m.round_id, m.id),
    Index("ix_meeting_participant_party_id_meeting_date_meeting_id", mp.party_id, mp.meeting_date, mp.meeting_id),
    Index("ix_meeting_participant_person_id_meeting_date_meeting_id", mp.person_id, mp.meeting_date, mp.meeting_id),
    Index("ix_zone_min_lat", Zone.__table__.c.min_lat),
    Index("ix_zone_max_lon", Zone.__table__.c.max_lon),
    Index("ix_zone_max_lat", Zone.__table__.c.max_lat),
    Index("ix_round_end_date", Round.__table__.c.end_date),
    Index("ix_article_language", Article.__table__.c.language),
    *(trgm(t) for t in (Process, Place, Party, Person, Zone)),
    trgm(Article, "search_title"),  # migration 0005
]
