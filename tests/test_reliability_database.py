"""The database goes away mid-traffic, behind a TCP proxy this test controls: requests answer
503 problem+json with Retry-After within seconds (never the 30 s of a default pool), /readyz
fails, the process stays up; when the database is back the next requests succeed, no restart.

The cut is as rude as it gets on loopback: open connections are reset, and new ones are accepted
and then never answered (so only the connect timeout can end them)."""

from __future__ import annotations

import asyncio
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from sqlalchemy.engine import make_url

from databases import fresh_database
from liveserver import free_port, live_server, write_key

pytestmark = pytest.mark.postgres_only

FEW_SECONDS = 12.0  # connect timeout (3 s) + pool timeout (3 s) + slack for a loaded CI machine


class Proxy:
    """A loopback TCP proxy in its own thread and event loop; `cut()` and `restore()` it."""

    def __init__(self, host: str, port: int):
        self.target = (host, port)
        self.port = free_port()
        self.cut_off = False
        self.sockets: set[asyncio.StreamWriter] = set()
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)

    def __enter__(self) -> Proxy:
        self.thread.start()
        self._call(self._serve())
        return self

    def __exit__(self, *exc) -> None:
        self._call(self._close_all())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)

    def _call(self, coro):
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(10)

    async def _serve(self) -> None:
        self.server = await asyncio.start_server(self._handle, "127.0.0.1", self.port)

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.sockets.add(writer)
        if self.cut_off:  # accept, then say nothing: a black hole
            return
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.transport.abort()
            return
        self.sockets.add(up_writer)

        async def pipe(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
            try:
                while data := await src.read(65536):
                    dst.write(data)
                    await dst.drain()
            except (OSError, asyncio.CancelledError):
                pass
            finally:
                dst.transport.abort()

        asyncio.ensure_future(pipe(reader, up_writer))
        asyncio.ensure_future(pipe(up_reader, writer))

    async def _close_all(self) -> None:
        for w in list(self.sockets):
            w.transport.abort()
        self.sockets.clear()

    def cut(self) -> None:
        async def go():
            self.cut_off = True
            await self._close_all()
        self._call(go())

    def restore(self) -> None:
        async def go():
            self.cut_off = False
            await self._close_all()  # the black-holed ones
        self._call(go())


@pytest.fixture
def outage(tmp_path):
    with fresh_database("postgres", tmp_path) as url:
        headers = write_key(url)
        real = make_url(url)
        with Proxy(real.host or "127.0.0.1", real.port or 5432) as proxy:
            through = real.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
            with live_server(through, tmp_path) as server:
                yield server, proxy, headers


def _timed(client: httpx.Client, method: str, url: str, **kw) -> tuple[httpx.Response, float]:
    start = time.monotonic()
    r = client.request(method, url, **kw)
    return r, time.monotonic() - start


def test_the_database_goes_away_and_comes_back(outage):
    server, proxy, writer = outage
    base = server.base_url
    with httpx.Client(base_url=base, timeout=60) as c:
        assert c.get("/readyz").status_code == 200
        assert c.post("/processes", json={"name_en": "Astana"}, headers=writer).status_code == 201

        # traffic from several clients while the cut happens
        stop = threading.Event()
        seen: list[tuple[int, float]] = []

        def traffic(i: int) -> None:
            with httpx.Client(base_url=base, timeout=60) as tc:
                while not stop.is_set():
                    r, took = _timed(tc, "GET", "/processes")
                    seen.append((r.status_code, took))

        with ThreadPoolExecutor(4) as pool:
            for i in range(4):
                pool.submit(traffic, i)
            time.sleep(1.0)
            proxy.cut()
            time.sleep(4.0)
            stop.set()

        assert {code for code, _ in seen} <= {200, 503}, seen
        assert max(took for _, took in seen) < FEW_SECONDS, seen
        assert any(code == 503 for code, _ in seen)

        # while it is away: reads, writes and readiness answer 503 problem+json with Retry-After
        for method, path, kw in [("GET", "/processes", {}), ("GET", "/meetings/1", {}),
                                 ("POST", "/processes", {"json": {"name_en": "Geneva"}, "headers": writer}),
                                 ("GET", "/readyz", {})]:
            r, took = _timed(c, method, path, **kw)
            assert r.status_code == 503, (method, path, r.text)
            assert r.headers["content-type"].startswith("application/problem+json")
            assert int(r.headers["Retry-After"]) > 0
            assert took < FEW_SECONDS, (method, path, took)
            print(f"{method} {path}: 503 in {took:.2f} s")
        # the process is up
        assert server.proc.poll() is None
        assert c.get("/healthz").status_code == 200

        proxy.restore()
        r = c.get("/processes")
        assert r.status_code == 200, r.text
        assert [p["name_en"] for p in r.json()["items"]] == ["Astana"]
        assert c.post("/processes", json={"name_en": "Geneva"}, headers=writer).status_code == 201
        assert c.get("/readyz").status_code == 200
    assert "Traceback" not in server.output()
