"""articles' titles searchable as names are: ?q= folds Arabic marks and letter forms, not only case

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 11:45:00

`article.search_title` holds the title folded by `search_key` (as `search_names` holds a named
row's names), filled here for the articles already stored and before every flush afterwards
(app/models/hooks.py). Its trigram index replaces the one on lower(title).
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

from app.extract.normalize import search_key

revision: str = '0005'
down_revision: Union[str, Sequence[str], None] = '0004'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

article = sa.table('article', sa.column('id', sa.Integer), sa.column('title', sa.String),
                   sa.column('search_title', sa.Text))


def upgrade() -> None:
    # first: SQLite's batch mode copies the table and cannot carry an index on an expression over
    op.drop_index('ix_article_title_trgm', table_name='article')
    with op.batch_alter_table('article', schema=None) as batch_op:
        batch_op.add_column(sa.Column('search_title', sa.Text(), server_default='', nullable=False))
    bind = op.get_bind()
    rows = bind.execute(sa.select(article.c.id, article.c.title).where(article.c.title.is_not(None))).all()
    for start in range(0, len(rows), 1000):
        bind.execute(article.update().where(article.c.id == sa.bindparam('row_id'))
                     .values(search_title=sa.bindparam('folded')),
                     [{'row_id': id_, 'folded': search_key(title)} for id_, title in rows[start:start + 1000]])
    op.create_index('ix_article_search_title_trgm', 'article', ['search_title'], unique=False,
                    postgresql_using='gin', postgresql_ops={'search_title': 'gin_trgm_ops'})


def downgrade() -> None:
    op.drop_index('ix_article_search_title_trgm', table_name='article')
    with op.batch_alter_table('article', schema=None) as batch_op:
        batch_op.drop_column('search_title')
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('CREATE INDEX ix_article_title_trgm ON article USING gin (lower(title) gin_trgm_ops)')
    else:
        op.execute('CREATE INDEX ix_article_title_trgm ON article (lower(title))')
