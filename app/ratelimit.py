"""Writes per API key are rate limited by a token bucket, in memory, per process.

Each key has a bucket of WRITE_BURST tokens, refilled at WRITE_RATE_PER_MINUTE; a write takes one.
An empty bucket answers 429 problem+json with Retry-After: the seconds until a token is back.
Reads are not limited here (they are cheap, cached by ETag, and bounded by the overload cap).
"""

from __future__ import annotations

import math
import threading
import time

from app.errors import AppError
from app.settings import get_settings


class TooManyRequests(AppError):
    status, type, title = 429, "rate-limited", "Too many writes from this API key; slow down"

    def __init__(self, retry_after: int):
        super().__init__(f"try again in {retry_after} s",
                         headers={"Retry-After": str(retry_after)})


class TokenBucket:
    """Buckets by name; thread-safe (sync routes run in a thread pool)."""

    def __init__(self, clock=time.monotonic):
        self.clock = clock
        self.buckets: dict[str, tuple[float, float]] = {}  # name -> (tokens, at)
        self.lock = threading.Lock()

    def take(self, name: str, *, rate_per_second: float, burst: int) -> float:
        """Take a token: 0.0 on success, else the seconds to wait for one."""
        now = self.clock()
        with self.lock:
            tokens, at = self.buckets.get(name, (float(burst), now))
            tokens = min(float(burst), tokens + (now - at) * rate_per_second)
            if tokens >= 1.0:
                self.buckets[name] = (tokens - 1.0, now)
                return 0.0
            self.buckets[name] = (tokens, now)
            if len(self.buckets) > 100_000:  # forget idle keys rather than grow without end
                self.buckets = {k: v for k, v in self.buckets.items() if now - v[1] < 3600}
            return (1.0 - tokens) / rate_per_second if rate_per_second > 0 else 3600.0


writes = TokenBucket()


def check_write(key_name: str) -> None:
    settings = get_settings()
    wait = writes.take(key_name, rate_per_second=settings.write_rate_per_minute / 60.0,
                       burst=settings.write_burst)
    if wait > 0:
        raise TooManyRequests(max(1, math.ceil(wait)))
