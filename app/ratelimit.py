"""Writes per API key are rate limited by a token bucket, in memory, per process.

Each key has a bucket of WRITE_BURST tokens, refilled at WRITE_RATE_PER_MINUTE; a write takes one.
An empty bucket answers 429 problem+json with Retry-After: the seconds until a token is back.
Reads are not limited here (they are cheap, cached by ETag, and bounded by the overload cap).

Failed authentication is limited the same way, per client address: each missing, malformed,
unknown, wrong or revoked key on a write route takes a token from the address's bucket
(AUTH_FAILURE_BURST, refilled at AUTH_FAILURE_RATE_PER_MINUTE); while it is empty, every write
request from that address answers 429 before its key is even looked at, so keys cannot be
guessed at speed. The address is the connection's peer: behind a proxy, run uvicorn with
--proxy-headers (and --forwarded-allow-ips) so that it is the client's.
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
        return self._take(name, rate_per_second, burst, take=True)

    def wait(self, name: str, *, rate_per_second: float, burst: int) -> float:
        """The seconds until `name` has a token (0.0: it has one now), taking none."""
        return self._take(name, rate_per_second, burst, take=False)

    def clear(self) -> None:
        with self.lock:
            self.buckets.clear()

    def _take(self, name: str, rate_per_second: float, burst: int, *, take: bool) -> float:
        now = self.clock()
        with self.lock:
            tokens, at = self.buckets.get(name, (float(burst), now))
            tokens = min(float(burst), tokens + (now - at) * rate_per_second)
            if tokens >= 1.0 and not take:
                return 0.0
            if tokens >= 1.0:
                self.buckets[name] = (tokens - 1.0, now)
                return 0.0
            self.buckets[name] = (tokens, now)
            if len(self.buckets) > 100_000:  # forget idle keys rather than grow without end
                self.buckets = {k: v for k, v in self.buckets.items() if now - v[1] < 3600}
            return (1.0 - tokens) / rate_per_second if rate_per_second > 0 else 3600.0


class TooManyFailedKeys(TooManyRequests):
    type, title = "auth-rate-limited", "Too many requests with a bad API key from this address; slow down"


writes = TokenBucket()
auth_failures = TokenBucket()  # by client address


def check_write(key_name: str) -> None:
    settings = get_settings()
    wait = writes.take(key_name, rate_per_second=settings.write_rate_per_minute / 60.0,
                       burst=settings.write_burst)
    if wait > 0:
        raise TooManyRequests(max(1, math.ceil(wait)))


def _auth_rate() -> dict:
    settings = get_settings()
    return {"rate_per_second": settings.auth_failure_rate_per_minute / 60.0, "burst": settings.auth_failure_burst}


def check_auth_failures(address: str) -> None:
    """429 while `address` has used up its failed authentications (checked before the key)."""
    wait = auth_failures.wait(address, **_auth_rate())
    if wait > 0:
        raise TooManyFailedKeys(max(1, math.ceil(wait)))


def record_auth_failure(address: str) -> None:
    auth_failures.take(address, **_auth_rate())
