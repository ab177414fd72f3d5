"""indexes of the read path: keyset pages by filter, participants, bbox, q (pg_trgm)

Revision ID: 0003
Revises: 0001
Create Date: 2026-11-29 09:10:00

Every filter the API offers is backed by an index (see app/models/indexes.py and bench/README.md):
equality filters of meetings read `(column, id)` in keyset order; participants are found by
`(party_id, meeting_id)` / `(person_id, meeting_id)`; all four bbox columns; rounds' end_date;
articles' language; and on Postgres `q` (LIKE '%needle%') is served by pg_trgm GIN indexes. On
SQLite the same indexes are plain b-trees and the extension is not needed.
"""
from typing import Sequence, Union

from alembic import op

revision: str = '0003'
down_revision: Union[str, Sequence[str], None] = '0001'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

REPLACED = [  # single-column indexes of 0001 that a composite below makes redundant
    ('meeting', 'ix_meeting_kind', ['kind']),
    ('meeting', 'ix_meeting_status', ['status']),
    ('meeting', 'ix_meeting_round_id', ['round_id']),
    ('meeting_participant', 'ix_meeting_participant_party_id', ['party_id']),
    ('meeting_participant', 'ix_meeting_participant_person_id', ['person_id']),
]
ADDED = [
    ('meeting', 'ix_meeting_kind_id', ['kind', 'id']),
    ('meeting', 'ix_meeting_status_id', ['status', 'id']),
    ('meeting', 'ix_meeting_round_id_id', ['round_id', 'id']),
    ('meeting_participant', 'ix_meeting_participant_party_id_meeting_id', ['party_id', 'meeting_id']),
    ('meeting_participant', 'ix_meeting_participant_person_id_meeting_id', ['person_id', 'meeting_id']),
    ('zone', 'ix_zone_min_lat', ['min_lat']),
    ('zone', 'ix_zone_max_lon', ['max_lon']),
    ('zone', 'ix_zone_max_lat', ['max_lat']),
    ('round', 'ix_round_end_date', ['end_date']),
    ('article', 'ix_article_language', ['language']),
]
TRGM = [('process', 'search_names'), ('place', 'search_names'), ('party', 'search_names'),
        ('person', 'search_names'), ('zone', 'search_names')]


def upgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('CREATE EXTENSION IF NOT EXISTS pg_trgm')
    for table, name, _cols in REPLACED:
        op.drop_index(name, table_name=table)
    for table, name, cols in ADDED:
        op.create_index(name, table, cols, unique=False)
    for table, column in TRGM:
        op.create_index(f'ix_{table}_{column}_trgm', table, [column], unique=False,
                        postgresql_using='gin', postgresql_ops={column: 'gin_trgm_ops'})
    # articles' q is lower(title) LIKE '%needle%'
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('CREATE INDEX ix_article_title_trgm ON article USING gin (lower(title) gin_trgm_ops)')
    else:
        op.execute('CREATE INDEX ix_article_title_trgm ON article (lower(title))')


def downgrade() -> None:
    op.drop_index('ix_article_title_trgm', table_name='article')
    for table, column in reversed(TRGM):
        op.drop_index(f'ix_{table}_{column}_trgm', table_name=table)
    for table, name, _cols in reversed(ADDED):
        op.drop_index(name, table_name=table)
    for table, name, cols in reversed(REPLACED):
        op.create_index(name, table, cols, unique=False)
    # pg_trgm stays: other databases objects may use it, and it is harmless
