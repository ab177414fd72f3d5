"""Articles, the evidence that ties each fact to a sentence, and API keys."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Column, ForeignKey, Index, Integer, Text
from sqlmodel import Field, SQLModel

from app.models.base import (
    JSONType, Stamped, StampedPublic, Strict, SubjectType, UTCDateTime, enum_column, partial,
    utcnow,
)


class ArticleBase(SQLModel):
    title: str | None = Field(default=None, max_length=1000, description="the headline",
                              schema_extra={"examples": ["مفاوضات بأستانا لإطلاق كل مناطق خفض التصعيد بسوريا"]})
    publisher: str | None = Field(default=None, max_length=300, description="who published it", schema_extra={"examples": ["الجزيرة"]})
    url: str | None = Field(default=None, max_length=2000, description="where it was published")
    published: dt.date | None = Field(default=None, index=True,
                                      description="publication date; relative dates resolve against it")
    language: str | None = Field(default=None, max_length=8, description="ar or en; detected when omitted",
                                 schema_extra={"examples": ["ar"]})


class ArticleCreate(ArticleBase, Strict):
    text: str = Field(min_length=1, max_length=500_000, description="the full body, paragraphs split by a blank line")


ArticleUpdate = partial(ArticleBase, "ArticleUpdate", exclude=("published", "language"))

class Article(ArticleBase, Stamped, table=True):
    text: str = Field(sa_type=Text)
    content_hash: str = Field(unique=True, max_length=64, description="sha256 of the normalized text")
    warnings: list[str] = Field(default_factory=list, sa_type=JSONType)
    # the title folded as names are (models/hooks.py), so that ?q= matches it however it is spelled
    search_title: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))


class ArticlePublic(ArticleBase, StampedPublic):
    content_hash: str = Field(description="sha256 of the normalized text: the same text is loaded once")
    warnings: list[str] = Field(default_factory=list, description="what the loader could not do")


class ArticleFull(ArticlePublic):
    text: str


class Evidence(SQLModel, table=True):
    """The sentence (span and quote) of one article that states one fact."""

    __table_args__ = (
        Index("ix_evidence_subject", "subject_type", "subject_id"),
        Index("uq_evidence_fact_span", "article_id", "subject_type", "subject_id", "start", unique=True),
    )
    id: int | None = Field(default=None, primary_key=True)
    article_id: int = Field(sa_column=Column(Integer, ForeignKey("article.id", ondelete="CASCADE"),
                                             nullable=False, index=True))
    subject_type: SubjectType = Field(sa_type=enum_column(SubjectType))
    subject_id: int
    start: int = Field(description="offset of the first character in the article's text")
    end: int = Field(description="offset after the last character")
    quote: str = Field(sa_type=Text)
    confidence: float | None = None
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


class EvidencePublic(SQLModel):
    id: int = Field(description="the evidence row's id")
    article_id: int = Field(description="the article that states the fact")
    subject_type: SubjectType = Field(description="what kind of fact: meeting, zone, round, ...")
    subject_id: int = Field(description="the id of the fact's row")
    start: int = Field(description="offset of the sentence's first character in the article's text")
    end: int = Field(description="offset after its last character")
    quote: str = Field(description="the sentence, as the article has it",
                       schema_extra={"examples": ["وقال مراسل الجزيرة إن اجتماعا مغلقا عقد بين وفد المعارضة ..."]})
    confidence: float | None = Field(description="the extractor's confidence in the fact, 0 to 1")

class ApiKey(SQLModel, table=True):
    __tablename__ = "api_key"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    prefix: str = Field(unique=True, max_length=16, description="the public part, shown in listings")
    key_hash: str = Field(max_length=64, description="sha256 of the secret; the secret is never stored")
    scopes: list[str] = Field(default_factory=list, sa_type=JSONType)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    revoked_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
