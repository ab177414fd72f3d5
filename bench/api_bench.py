"""The read API against its baseline, side by side, on the local Postgres (issue 4).

    .venv/bin/python bench/api_bench.py                # 1M meetings (built once, ~10 min)
    .venv/bin/python bench/api_bench.py --scale 0.05   # a quick run on 50k meetings

Builds (or reuses) the data set of bench/dataset.py, starts the app as in production (uvicorn,
one worker, no access log, DATABASE_URL to the bench database) and bench/baseline_app.py (bare
ASGI + asyncpg + orjson, the same responses), checks both answer the same bytes, drives each
endpoint of each with wrk (loopback, --connections, --seconds) and prints requests/s, p50, p99,
the ratio ours/baseline and the SQL statements per request of the app (counted in-process: an
answer built / one served from app/readcache.py). The app runs with its production settings, the
read cache included; --read-cache-mb 0 measures every answer built. --json writes the table too.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import orjson

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.dataset import ensure  # noqa: E402

# each wrk thread draws its own ids: seeded by the clock alone, both threads asked the same sequence
LUA_RANDOM_ID = """
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end
function init(args)
  math.randomseed(os.time() * 1000 + id)
end
request = function()
  return wrk.format("GET", "/meetings/" .. math.random(1, %d))
end
"""


def machine() -> str:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text())[1]) // 1024 // 1024
    except Exception:
        mem = 0
    return f"{os.cpu_count()} CPU ({cpu}), {mem} GiB RAM, {platform.system()} {platform.release()}"


def start(cmd: list[str], env: dict[str, str], port: int) -> subprocess.Popen:
    proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)
    deadline = time.time() + 60
    while time.time() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"{cmd} exited: {proc.stderr.read().decode()[-2000:]}")
        try:
            httpx.get(f"http://127.0.0.1:{port}/zones?limit=1", timeout=2)
            return proc
        except httpx.HTTPError:
            time.sleep(0.3)
    raise SystemExit(f"{cmd} did not start")


def stop(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(10)
    except Exception:
        os.killpg(proc.pid, signal.SIGKILL)


def cpu_seconds(pgid: int) -> float:
    """User + system CPU of every process of a process group (the server and its workers)."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:  # pgrp
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


def wrk(url: str, seconds: int, connections: int, threads: int, script: str | None = None) -> dict:
    cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "5s"]
    if script:
        cmd += ["-s", script]
    out = subprocess.run(cmd + [url], capture_output=True, text=True, check=True).stdout

    def ms(label: str) -> float:
        m = re.search(rf"^\s*{label}\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        if not m:
            return float("nan")
        return float(m[1]) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[m[2]]

    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1])
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors:.*", out)
    requests = int(re.search(r"(\d+) requests in", out)[1])
    return {"rps": rps, "requests": requests, "p50": ms("50%"), "p99": ms("99%"),
            "non2xx": int(non2xx[1]) if non2xx else 0,
            "socket_errors": errors[0] if errors else ""}


def pick(url: str) -> dict:
    """The parameters of the endpoints: a party with meetings, an Arabic name that matches, a
    cursor 10,000 pages deep (or half-way on a small set)."""
    import psycopg

    from app.services.base import encode_cursor

    with psycopg.connect(url) as conn:
        n_meetings = conn.execute("SELECT max(id) FROM meeting").fetchone()[0]
        party = conn.execute("SELECT party_id FROM meeting_participant WHERE party_id IS NOT NULL "
                             "GROUP BY party_id ORDER BY count(*) DESC, party_id LIMIT 1").fetchone()[0]
        name = conn.execute("SELECT name_ar FROM person WHERE name_ar LIKE '%% %%' ORDER BY id LIMIT 1").fetchone()[0]
    depth = min(10_000, max(2, n_meetings // 50 // 2))
    return {"n_meetings": n_meetings, "party": party, "name": name, "depth": depth,
            "deep_cursor": encode_cursor((depth - 1) * 50)}


def endpoints(p: dict) -> list[tuple[str, str, str | None]]:
    from urllib.parse import quote

    return [
        ("GET /meetings/{id}", "/meetings/{id}", "random"),
        ("GET /meetings?limit=50", "/meetings?limit=50", None),
        (f"page {p['depth']:,} deep (cursor)", f"/meetings?limit=50&cursor={p['deep_cursor']}", None),
        ("party + date range", f"/meetings?party_id={p['party']}&date_from=2015-01-01&date_to=2019-12-31&limit=50",
         None),
        ("GET /zones GeoJSON (100)", "/zones?format=geojson&limit=100", None),
        ("q Arabic name: persons", f"/persons?q={quote(p['name'])}&limit=50", None),
        ("q Arabic name: meetings", f"/meetings?q={quote(p['name'])}&limit=50", None),
    ]


def statements(db_url: str, paths: list[str], env: dict[str, str]) -> dict[str, str]:
    """SQL statements per request of the app, counted in-process (SQLAlchemy's before_cursor_execute,
    and the fast read path's execute and snapshot): "built / kept" — an answer built from its
    statements, and one served from app/readcache.py (the snapshot only) when the third ask finds it
    kept; one figure with READ_CACHE_MB=0."""
    os.environ.update(env, DATABASE_URL=db_url)
    from fastapi.testclient import TestClient
    from sqlalchemy import event

    from app.db import get_engine
    from app.main import app
    from app.settings import get_settings

    get_settings.cache_clear()
    get_engine.cache_clear()
    count = [0]
    event.listen(get_engine(), "before_cursor_execute", lambda *a: count.__setitem__(0, count[0] + 1))
    # the reads that app/fastread.py serves go to asyncpg, past SQLAlchemy's events: counted there
    from app import fastread

    sent, snapshot = fastread.FastSession.execute, fastread.FastSession.snapshot

    def counted(self, stmt, values=None):
        count[0] += 1
        return sent(self, stmt, values)

    async def counted_snapshot(self):
        count[0] += 1
        return await snapshot(self)

    fastread.FastSession.execute, fastread.FastSession.snapshot = counted, counted_snapshot
    out = {}
    with TestClient(app) as client:
        for path in paths:
            asks = []
            for _ in range(3):  # remembered, built and kept, served kept (app/readcache.py)
                count[0] = 0
                assert client.get(path).status_code == 200, path
                asks.append(count[0])
            out[path] = f"{asks[0]}" if env.get("READ_CACHE_MB") == "0" else f"{asks[0]} / {asks[2]}"
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", type=float, default=1.0, help="1.0 = 1M meetings; 0.05 for a quick run")
    ap.add_argument("--db", default=None, help="default: peacetrack_bench (scale 1) or peacetrack_bench_<scale>")
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--connections", type=int, default=32)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--workers", type=int, default=1, help="uvicorn workers of each server")
    ap.add_argument("--read-cache-mb", type=int, default=None,
                    help="the app's READ_CACHE_MB (default: the production default; 0: every answer built)")
    ap.add_argument("--only", default="", help="run only endpoints whose label contains this")
    ap.add_argument("--json", type=Path, default=None, help="also write the results here")
    args = ap.parse_args()

    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install -y wrk")
    try:
        import asyncpg  # noqa: F401
    except ImportError:
        raise SystemExit("asyncpg (the baseline's driver) is missing: .venv/bin/pip install -e '.[bench]'") from None
    db = args.db or ("peacetrack_bench" if args.scale == 1.0 else f"peacetrack_bench_{str(args.scale).replace('.', '_')}")
    url = ensure(db, args.scale)
    params = pick(url)
    eps = [e for e in endpoints(params) if args.only in e[0]]
    sample = {label: path.replace("{id}", str(params["n_meetings"] // 2)) for label, path, _ in eps}

    cache_env = {} if args.read_cache_mb is None else {"READ_CACHE_MB": str(args.read_cache_mb)}
    env = dict(os.environ, DATABASE_URL=url.replace("postgresql://", "postgresql+psycopg://"), **cache_env)
    base = ["uvicorn", "--host", "127.0.0.1", "--no-access-log", "--log-level", "warning",
            "--workers", str(args.workers)]
    uv = str(Path(sys.executable).with_name("uvicorn"))
    servers = {"ours": (8701, [uv, "app.main:app", *base[1:], "--port", "8701"]),
               "baseline": (8702, [uv, "bench.baseline_app:app", *base[1:], "--port", "8702"])}
    procs = {}
    try:
        for name, (port, cmd) in servers.items():
            procs[name] = start(cmd, env, port)
        # the same bytes from both
        for label, path in sample.items():
            a = httpx.get(f"http://127.0.0.1:8701{path}", timeout=30)
            b = httpx.get(f"http://127.0.0.1:8702{path}", timeout=30)
            same = a.content == b.content and a.headers.get("etag") == b.headers.get("etag")
            print(f"# {label}: {a.status_code} {len(a.content)} B, "
                  f"{'same bytes and ETag as the baseline' if same else 'DIFFERS from the baseline'}",
                  file=sys.stderr)
        results = []
        with tempfile.TemporaryDirectory() as tmp:
            script = Path(tmp) / "random_id.lua"
            script.write_text(LUA_RANDOM_ID % params["n_meetings"])
            # a first pass over every endpoint of both servers: the steady state is measured, not a
            # server's first seconds (its pool's connections opening, pages coming into the cache)
            for label, path, mode in eps if args.warmup else ():
                for name, (port, _cmd) in servers.items():
                    wrk(f"http://127.0.0.1:{port}" + ("" if mode else path), args.warmup, args.connections,
                        args.threads, str(script) if mode else None)
            for label, path, mode in eps:
                row = {"endpoint": label, "path": sample[label]}
                for name, (port, _cmd) in servers.items():
                    target = f"http://127.0.0.1:{port}" + ("" if mode else path)
                    scr = str(script) if mode else None
                    if args.warmup:
                        wrk(target, args.warmup, args.connections, args.threads, scr)
                    cpu0 = cpu_seconds(procs[name].pid)
                    row[name] = wrk(target, args.seconds, args.connections, args.threads, scr)
                    # server CPU per request: the cost of the stack, whatever else the machine runs
                    row[name]["cpu_ms"] = 1000 * (cpu_seconds(procs[name].pid) - cpu0) / max(1, row[name]["requests"])
                row["ratio"] = row["ours"]["rps"] / row["baseline"]["rps"]
                results.append(row)
                print(f"# {label}: ours {row['ours']['rps']:.0f}/s, baseline {row['baseline']['rps']:.0f}/s",
                      file=sys.stderr)
    finally:
        for proc in procs.values():
            stop(proc)

    counts = statements(env["DATABASE_URL"], [r["path"] for r in results], cache_env)
    first = next((r for r in results if r["endpoint"].startswith("GET /meetings?limit")), None)
    deep = next((r for r in results if "deep" in r["endpoint"]), None)

    print(f"\nmachine: {machine()}")
    print(f"read cache: {'READ_CACHE_MB=' + str(args.read_cache_mb) if cache_env else 'on (production default)'}")
    print(f"data: {params['n_meetings']:,} meetings (scale {args.scale}); wrk -t{args.threads} "
          f"-c{args.connections} -d{args.seconds}s; uvicorn workers: {args.workers}; {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC\n")
    head = (f"| {'endpoint':34} | {'ours req/s':>10} | {'p50 ms':>7} | {'p99 ms':>7} | {'baseline req/s':>14} | "
            f"{'p50 ms':>7} | {'p99 ms':>7} | {'ratio':>5} | {'SQL/req':>7} | {'CPU ms/req ours':>15} | {'baseline':>8} |")
    print(head)
    print("|" + "|".join("-" * (len(c)) for c in head.split("|")[1:-1]) + "|")
    for r in results:
        o, b = r["ours"], r["baseline"]
        flag = "" if o["non2xx"] == 0 and not o["socket_errors"] else " !"
        print(f"| {r['endpoint']:34} | {o['rps']:>10.0f} | {o['p50']:>7.1f} | {o['p99']:>7.1f} | {b['rps']:>14.0f} | "
              f"{b['p50']:>7.1f} | {b['p99']:>7.1f} | {r['ratio']:>5.2f} | {counts[r['path']]:>7} | "
              f"{o['cpu_ms']:>15.2f} | {b['cpu_ms']:>8.2f} |{flag}")
    print()
    if first and deep:
        cost = first["ours"]["rps"] / deep["ours"]["rps"]
        cpu = deep["ours"]["cpu_ms"] / first["ours"]["cpu_ms"]
        print(f"deep page cost / first page cost (ours): {cost:.2f} by requests/s, {cpu:.2f} by CPU per "
              f"request (target <= 1.3)")
    worst = min(results, key=lambda r: r["ratio"])
    print(f"lowest ratio: {worst['ratio']:.2f} ({worst['endpoint']}) (target >= 0.5)")
    print(f"highest p99 (ours): {max(r['ours']['p99'] for r in results):.1f} ms (target < 100)")
    for r in results:
        if r["ours"]["non2xx"] or r["ours"]["socket_errors"]:
            print(f"! {r['endpoint']}: non-2xx {r['ours']['non2xx']} {r['ours']['socket_errors']}")
    if args.json:
        args.json.write_bytes(orjson.dumps({"machine": machine(), "params": params, "results": results,
                                            "statements": counts}, option=orjson.OPT_INDENT_2))


if __name__ == "__main__":
    main()
