"""EXPLAIN ANALYZE of the statements every list filter of the API sends, on the bench data set.

    .venv/bin/python bench/explain.py [--db peacetrack_bench] [--verbose]

Runs each list through the real service (the same SQL the app sends, captured by a
before_cursor_execute listener), then EXPLAIN (ANALYZE, BUFFERS) of each statement with its
parameters. Prints one line per filter: the scans used, whether any is sequential, the time.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", default="peacetrack_bench")
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    os.environ["DATABASE_URL"] = f"postgresql+psycopg://postgres@127.0.0.1:5432/{args.db}"

    from sqlalchemy import event, text

    from app.api.routes.meetings import meeting_res
    from app.api.routes.rounds import delegation_res, round_res
    from app.api.routes.reference import party_res, person_res, place_res, process_res
    from app.api.routes.zones import zone_res
    from app.api.routes.articles import article_res
    from app.db import get_engine, session_scope
    from app.services import (
        ArticleParams, DelegationParams, ListParams, MeetingParams, PartyParams, PersonParams, RoundParams,
        ZoneParams,
    )
    from app.services.base import encode_cursor

    with session_scope() as s:
        top_party = s.execute(text("SELECT party_id FROM meeting_participant WHERE party_id IS NOT NULL "
                                   "GROUP BY party_id ORDER BY count(*) DESC LIMIT 1")).scalar()
        name = s.execute(text("SELECT name_ar FROM person ORDER BY id LIMIT 1")).scalar()
        n = s.execute(text("SELECT max(id) FROM meeting")).scalar()
    deep = encode_cursor(min(n // 2, 9_999 * 50))
    cases = [
        ("meetings: first page", meeting_res, MeetingParams()),
        ("meetings: page 10,000 deep", meeting_res, MeetingParams(cursor=deep)),
        ("meetings: kind=plenary", meeting_res, MeetingParams(kind="plenary")),
        ("meetings: status=denied", meeting_res, MeetingParams(status="denied")),
        ("meetings: status=denied, deep", meeting_res, MeetingParams(status="denied", cursor=deep)),
        ("meetings: round_id", meeting_res, MeetingParams(round_id=1234)),
        ("meetings: process_id", meeting_res, MeetingParams(process_id=3)),
        ("meetings: date range (1 month)", meeting_res, MeetingParams(date_from="2016-03-01", date_to="2016-03-31")),
        ("meetings: party_id + date range", meeting_res,
         MeetingParams(party_id=top_party, date_from="2015-01-01", date_to="2019-12-31")),
        ("meetings: party_id", meeting_res, MeetingParams(party_id=top_party)),
        ("meetings: person_id", meeting_res, MeetingParams(person_id=77)),
        ("meetings: updated_since (recent)", meeting_res, MeetingParams(updated_since="2025-06-01T00:00:00Z")),
        ("meetings: q (Arabic name)", meeting_res, MeetingParams(q=name)),
        ("persons: q (Arabic name)", person_res, PersonParams(q=name)),
        ("persons: party_id", person_res, PersonParams(party_id=top_party)),
        ("parties: q (Arabic)", party_res, PartyParams(q="جبهة الشام")),
        ("parties: role", party_res, PartyParams(role="mediator")),
        ("processes: q", process_res, ListParams(q="أستانا")),
        ("places: q", place_res, ListParams(q="جنيف")),
        ("rounds: process_id", round_res, RoundParams(process_id=2)),
        ("rounds: date range", round_res, RoundParams(date_from="2016-01-01", date_to="2016-02-01")),
        ("delegations: round_id", delegation_res, DelegationParams(round_id=5)),
        ("zones: status", zone_res, ZoneParams(status="agreed")),
        ("zones: process_id", zone_res, ZoneParams(process_id=2)),
        ("zones: bbox", zone_res, ZoneParams(bbox="36.0,35.0,37.0,36.0")),
        ("zones: q (Arabic)", zone_res, ZoneParams(q="إدلب")),
        ("articles: language + published range", article_res,
         ArticleParams(language="en", published_from="2017-01-01", published_to="2017-01-31")),
        ("articles: q (Arabic title)", article_res, ArticleParams(q="وقف إطلاق النار في درعا")),
    ]
    engine = get_engine()
    captured: list[tuple[str, object]] = []
    event.listen(engine, "before_cursor_execute",
                 lambda conn, cur, stmt, params, ctx, many: captured.append((stmt, params)))
    print("| filter | scans chosen | seq scan | ms | seq scan with enable_seqscan=off |\n|---|---|---|---|---|")
    bad = unbacked = 0
    for label, res, params in cases:
        captured.clear()
        with session_scope() as s:
            res.list_response.__func__  # noqa: B018  (the route's own path)
            page = res.service.list(s, params=params, columns=res.selected if res.fast else None)
            items = res.publish(s, page.rows)
        stmts = list(captured)
        scans, seq, total = [], False, 0.0
        with engine.connect() as conn:
            for stmt, prm in stmts:
                plan = conn.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + stmt, prm).scalars().all()
                body = "\n".join(plan)
                if args.verbose:
                    print(f"\n-- {label}\n{body}\n")
                for line in plan:
                    m = re.search(r"(Seq Scan|Index Only Scan|Index Scan|Bitmap Index Scan)(?: Backward)?(?: using (\S+))? on (\S+)", line)
                    if m:
                        scans.append(f"{m[1]} {m[2] or m[3]}".replace("Index Only Scan", "IOS").replace(
                            "Bitmap Index Scan", "Bitmap").replace("Index Scan", "Idx"))
                        seq = seq or m[1] == "Seq Scan"
                total += float(re.search(r"Execution Time: ([\d.]+)", body)[1])
            # is an index there to use? (on a table of a few hundred rows the planner rightly
            # prefers to read it all; with seqscan off it must use an index if one backs the filter)
            conn.exec_driver_sql("SET enable_seqscan = off")
            forced = any("Seq Scan" in line for stmt, prm in stmts
                         for line in conn.exec_driver_sql("EXPLAIN " + stmt, prm).scalars().all())
            conn.exec_driver_sql("RESET enable_seqscan")
        bad += seq
        unbacked += forced
        print(f"| {label} ({len(items)} rows) | {', '.join(dict.fromkeys(scans))} | {'YES' if seq else 'no'} | "
              f"{total:.2f} | {'YES' if forced else 'no'} |")
    print(f"\n{bad} of {len(cases)} filters use a sequential scan; {unbacked} have no index to use instead")


if __name__ == "__main__":
    main()
