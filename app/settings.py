"""Settings, read from the environment (and a `.env` file) by pydantic-settings.

Every setting is documented in the README's table; the names are the field names in capitals.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parents[1]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_url: str = Field(
        default=f"sqlite:///{ROOT / 'var' / 'peacetrack.db'}",
        description="SQLAlchemy URL: sqlite:///path or postgresql+psycopg://user@host/db",
    )
    seeds_dir: Path = Field(default=ROOT / "seeds", description="reference data and seed articles")
    max_body_bytes: int = Field(default=2_000_000, description="larger request bodies get 413")
    db_pool_size: int = 10
    db_pool_timeout: float = Field(default=3.0, description="seconds to wait for a connection")
    db_connect_timeout: int = Field(default=3, description="seconds to open a connection")
    db_statement_timeout_ms: int = Field(default=10_000, description="Postgres statement_timeout")
    fast_reads: bool = Field(default=True, description="Postgres: serve GET lists and items on an asyncpg "
                             "pool, without the thread pool (app/fastread.py)")
    read_cache_mb: int = Field(default=64, ge=0, description="Postgres: megabytes of read answers kept while "
                               "the database is unchanged (app/readcache.py); 0 turns it off")
    loader_extract_ahead: bool = Field(default=True, description="a batch's next articles are extracted in a "
                                       "second process while one is written (app/loader/ahead.py)")
    retry_after_seconds: int = Field(default=5, description="Retry-After sent with a 503")
    cors_origins: list[str] = Field(default_factory=list, description="origins allowed by CORS")
    idempotency_ttl_seconds: int = Field(default=86_400, description="how long a POST's Idempotency-Key is kept")
    write_rate_per_minute: float = Field(default=600, description="writes per API key per minute (token bucket)")
    write_burst: int = Field(default=120, description="writes an API key may send at once before 429")
    auth_failure_rate_per_minute: float = Field(
        default=10, description="failed authentications per client address per minute (token bucket)")
    auth_failure_burst: int = Field(default=30, description="failed authentications from one address before 429")
    max_concurrent_requests: int = Field(default=64, description="requests served at once; more get 503")


@lru_cache
def get_settings() -> Settings:
    return Settings()
