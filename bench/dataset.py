"""A synthetic but realistic record of talks on the local Postgres, built fast with COPY.

    .venv/bin/python bench/dataset.py [--scale 1.0] [--db peacetrack_bench] [--rebuild]

At scale 1: 1,000,000 meetings with 2-5 participants each and one or two evidence rows,
20,000 persons, 2,000 parties, 5,000 rounds, 500 zones (polygons, status histories),
100,000 articles; Arabic and English names; dates 2011-2025. The database is migrated by
app.migrate.upgrade (the real schema), filled with COPY (FK triggers off, secondary indexes
dropped during the load and rebuilt after), then VACUUM ANALYZE. The scale is written in the
database's comment, so a second run with the same scale reuses the data set.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import math
import random
import sys
import time
from pathlib import Path

import orjson
import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.extract.normalize import search_key  # noqa: E402
from app.migrate import upgrade  # noqa: E402

PG = "postgresql://postgres@127.0.0.1:5432"
MARK = "peacetrack-bench v2 scale="  # v2: participants carry meeting_date (migration 0006)

FIRST = [("محمد", "Mohammed"), ("أحمد", "Ahmad"), ("علي", "Ali"), ("عمر", "Omar"), ("خالد", "Khaled"),
         ("سمير", "Samir"), ("بشار", "Bashar"), ("هادي", "Hadi"), ("نصر", "Nasr"), ("يحيى", "Yahya"),
         ("رياض", "Riad"), ("أسعد", "Asaad"), ("فيصل", "Faisal"), ("جمال", "Jamal"), ("سليم", "Salim"),
         ("زياد", "Ziad"), ("إبراهيم", "Ibrahim"), ("يوسف", "Yousef"), ("حسن", "Hassan"), ("حسين", "Hussein"),
         ("طارق", "Tariq"), ("ماهر", "Maher"), ("نبيل", "Nabil"), ("وليد", "Walid"), ("عادل", "Adel"),
         ("مصطفى", "Mustafa"), ("سعيد", "Said"), ("كريم", "Karim"), ("منذر", "Munzer"), ("عبد الله", "Abdullah"),
         ("عبد الرحمن", "Abdulrahman"), ("عبد العزيز", "Abdulaziz"), ("رامي", "Rami"), ("فراس", "Firas"),
         ("هيثم", "Haitham"), ("لؤي", "Louay"), ("مازن", "Mazen"), ("نزار", "Nizar"), ("أنس", "Anas"),
         ("سيرغي", "Sergey"), ("ألكسندر", "Alexander"), ("ستيفان", "Staffan"), ("جون", "John"), ("مايكل", "Michael")]
LAST = [("الجعفري", "al-Jaafari"), ("العلوش", "Alloush"), ("الحريري", "al-Hariri"), ("المعلم", "al-Moallem"),
        ("الأسعد", "al-Asaad"), ("الزعبي", "al-Zoubi"), ("حجاب", "Hijab"), ("العبدة", "al-Abdeh"),
        ("الشامي", "al-Shami"), ("الحلبي", "al-Halabi"), ("الإدلبي", "al-Idlibi"), ("الحمصي", "al-Homsi"),
        ("الدرعاوي", "al-Daraawi"), ("الخطيب", "al-Khatib"), ("البيطار", "al-Bitar"), ("القاسم", "al-Qasim"),
        ("العمر", "al-Omar"), ("النجار", "al-Najjar"), ("الحداد", "al-Haddad"), ("الصباغ", "al-Sabbagh"),
        ("المصري", "al-Masri"), ("التركماني", "al-Turkmani"), ("الكردي", "al-Kurdi"), ("العطار", "al-Attar"),
        ("السيد", "al-Sayed"), ("الأحمد", "al-Ahmad"), ("الرفاعي", "al-Rifai"), ("السعدي", "al-Saadi"),
        ("لافرنتييف", "Lavrentiev"), ("دي ميستورا", "de Mistura"), ("بيدرسن", "Pedersen"), ("جونز", "Jones"),
        ("أوغلو", "Oglu"), ("ظريف", "Zarif"), ("الحسن", "al-Hassan"), ("الطويل", "al-Tawil")]
PLACES = [("أستانا", "Astana", 71.43, 51.13), ("جنيف", "Geneva", 6.14, 46.2), ("سوتشي", "Sochi", 39.72, 43.6),
          ("فيينا", "Vienna", 16.37, 48.21), ("الرياض", "Riyadh", 46.68, 24.71), ("أنقرة", "Ankara", 32.85, 39.93),
          ("موسكو", "Moscow", 37.62, 55.75), ("طهران", "Tehran", 51.39, 35.69), ("عمان", "Amman", 35.93, 31.95),
          ("الدوحة", "Doha", 51.53, 25.29), ("بيروت", "Beirut", 35.5, 33.89), ("دمشق", "Damascus", 36.29, 33.51),
          ("القاهرة", "Cairo", 31.24, 30.04), ("إسطنبول", "Istanbul", 28.98, 41.01), ("باريس", "Paris", 2.35, 48.86)]
AREAS = [("إدلب", "Idlib"), ("حلب", "Aleppo"), ("حماة", "Hama"), ("حمص", "Homs"), ("درعا", "Daraa"),
         ("القنيطرة", "Quneitra"), ("الغوطة الشرقية", "Eastern Ghouta"), ("ريف اللاذقية", "Latakia countryside"),
         ("دير الزور", "Deir ez-Zor"), ("الرقة", "Raqqa"), ("الحسكة", "Hasakah"), ("السويداء", "Suwayda"),
         ("ريف دمشق", "Rural Damascus"), ("القلمون", "Qalamoun"), ("عفرين", "Afrin"), ("منبج", "Manbij"),
         ("جسر الشغور", "Jisr al-Shughur"), ("معرة النعمان", "Maarat al-Numan"), ("تلبيسة", "Talbiseh"),
         ("الرستن", "Rastan"), ("داريا", "Darayya"), ("دوما", "Douma"), ("البوكمال", "Abu Kamal"), ("تدمر", "Palmyra")]
PARTY_HEAD = [("وفد", "Delegation of"), ("حركة", "Movement of"), ("جبهة", "Front of"), ("تجمع", "Gathering of"),
              ("لواء", "Brigade of"), ("جيش", "Army of"), ("هيئة", "Committee of"), ("مجلس", "Council of"),
              ("فصائل", "Factions of"), ("تيار", "Current of"), ("اتحاد", "Union of"), ("منصة", "Platform of")]
PARTY_TAIL = [("الأحرار", "the Free"), ("التحرير", "Liberation"), ("الشام", "the Levant"), ("الوطني", "National"),
              ("الثوار", "Revolutionaries"), ("الإصلاح", "Reform"), ("الكرامة", "Dignity"), ("العشائر", "the Tribes"),
              ("الجنوب", "the South"), ("الشمال", "the North"), ("السلام", "Peace"), ("الوحدة", "Unity"),
              ("التغيير", "Change"), ("النصر", "Victory"), ("الفرقان", "al-Furqan"), ("الحرية", "Freedom")]
PROCESSES = [("مسار أستانا", "Astana process"), ("محادثات جنيف", "Geneva talks"), ("مؤتمر سوتشي", "Sochi congress"),
             ("اللجنة الدستورية", "Constitutional Committee"), ("مباحثات فيينا", "Vienna talks"),
             ("اتفاق خفض التصعيد", "De-escalation agreement"), ("محادثات عمان", "Amman talks"),
             ("مسار الرياض", "Riyadh track")]
WORDS_AR = ("اجتماع مغلق بين الوفد والمبعوث الأممي لبحث وقف إطلاق النار وتبادل المعتقلين وإدخال المساعدات "
            "الإنسانية إلى المناطق المحاصرة وتثبيت خطوط التماس في مناطق خفض التصعيد").split()
WORDS_EN = ("closed meeting between the delegation and the UN envoy on the ceasefire prisoner exchange "
            "humanitarian access to besieged areas and the contact lines of the de-escalation zones").split()
PUBLISHERS = ["الجزيرة", "العربية", "عنب بلدي", "سانا", "Reuters", "AFP", "AP", "Enab Baladi", "Al-Monitor"]
KINDS = (["meeting"] * 70 + ["phone_call"] * 20 + ["plenary"] * 10)
STATUSES = (["held"] * 80 + ["scheduled"] * 8 + ["postponed"] * 6 + ["cancelled"] * 4 + ["denied"] * 2)
ROUND_STATUS = ["concluded"] * 90 + ["postponed", "cancelled", "planned", "ongoing"] * 2 + ["concluded"] * 2
ZONE_STATUS = ["proposed", "requested", "agreed", "in_force", "violated", "ended"]
START, END = dt.date(2011, 3, 15), dt.date(2025, 6, 30)
SPAN = (END - START).days


def sizes(scale: float) -> dict[str, int]:
    base = {"meetings": 1_000_000, "persons": 20_000, "parties": 2_000, "rounds": 5_000, "zones": 500,
            "articles": 100_000, "processes": 8, "places": 15}
    fixed = {"processes", "places"}
    return {k: v if k in fixed else max(10, int(v * scale)) for k, v in base.items()}


def names_row(rng: random.Random, ar: str, en: str, aliases: list[str]) -> tuple[str, str, str]:
    keys = dict.fromkeys(search_key(n) for n in (en, ar, *aliases) if n)
    return orjson.dumps(aliases).decode(), "|" + "|".join(k for k in keys if k) + "|", ""


def stamp(rng: random.Random, day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(rng.randrange(24), rng.randrange(60)), dt.UTC) + dt.timedelta(days=1)


def build(url: str, scale: float, seed: int = 7) -> dict[str, int]:
    rng = random.Random(seed)
    n = sizes(scale)
    now = dt.datetime(2025, 7, 1, tzinfo=dt.UTC)
    t0 = time.perf_counter()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("SET session_replication_role = replica")  # no FK triggers during the load
        big = ["meeting", "meeting_participant", "evidence", "article"]
        saved = conn.execute(
            "SELECT indexname, indexdef FROM pg_indexes i WHERE schemaname = 'public' AND tablename = ANY(%s) "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)", (big,)).fetchall()
        for name, _ in saved:
            conn.execute(f'DROP INDEX "{name}"')

        def copy(table: str, cols: list[str], rows) -> int:
            count = 0
            with conn.cursor() as cur, cur.copy(f'COPY "{table}" ({", ".join(f"{chr(34)}{c}{chr(34)}" for c in cols)}) FROM STDIN') as cp:
                for row in rows:
                    cp.write_row(row)
                    count += 1
            return count

        # processes, places
        def processes():
            for i, (ar, en) in enumerate(PROCESSES, 1):
                aliases, search, _ = names_row(rng, ar, en, [])
                yield (i, 1, now, now, en, ar, aliases, "Syrian civil war", "الحرب في سوريا", f"process-{i}", search)
        copy("process", ["id", "version", "created_at", "updated_at", "name_en", "name_ar", "aliases", "conflict_en",
                         "conflict_ar", "key", "search_names"], processes())

        def places():
            for i, (ar, en, lon, lat) in enumerate(PLACES, 1):
                aliases, search, _ = names_row(rng, ar, en, [])
                yield (i, 1, now, now, en, ar, aliases, None, lon, lat, f"place-{i}", search)
        copy("place", ["id", "version", "created_at", "updated_at", "name_en", "name_ar", "aliases", "country_id",
                       "lon", "lat", "key", "search_names"], places())

        # parties: a head word, an area or a tail word, a number when the name repeats
        party_kinds = ["state", "organization", "government", "opposition", "armed_group", "political", "other"]
        party_roles = ["government", "opposition", "guarantor", "mediator", "observer", "host", "other"]
        party_names: list[tuple[str, str]] = []

        def parties():
            seen: dict[str, int] = {}
            for i in range(1, n["parties"] + 1):
                h_ar, h_en = rng.choice(PARTY_HEAD)
                t_ar, t_en = rng.choice(PARTY_TAIL + AREAS)
                ar, en = f"{h_ar} {t_ar}", f"{h_en} {t_en}"
                k = seen[en] = seen.get(en, 0) + 1
                if k > 1:
                    ar, en = f"{ar} {k}", f"{en} {k}"
                party_names.append((ar, en))
                aliases, search, _ = names_row(rng, ar, en, [f"{t_ar}"] if rng.random() < 0.3 else [])
                made = stamp(rng, START + dt.timedelta(days=rng.randrange(SPAN)))
                yield (i, 1, made, made, en, ar, aliases, rng.choice(party_kinds), rng.choice(party_roles), None,
                       f"party-{i}", search)
        copy("party", ["id", "version", "created_at", "updated_at", "name_en", "name_ar", "aliases", "kind", "role",
                       "country_id", "key", "search_names"], parties())

        person_party: list[int] = [0]

        def persons():
            for i in range(1, n["persons"] + 1):
                f_ar, f_en = rng.choice(FIRST)
                l_ar, l_en = rng.choice(LAST)
                ar, en = f"{f_ar} {l_ar}", f"{f_en} {l_en}"
                party = rng.randrange(1, n["parties"] + 1)
                person_party.append(party)
                aliases, search, _ = names_row(rng, ar, en, [l_ar] if rng.random() < 0.5 else [])
                made = stamp(rng, START + dt.timedelta(days=rng.randrange(SPAN)))
                yield (i, 1, made, made, en, ar, aliases, party, "Head of delegation", "رئيس الوفد",
                       f"person-{i}", search)
        copy("person", ["id", "version", "created_at", "updated_at", "name_en", "name_ar", "aliases", "party_id",
                        "title_en", "title_ar", "key", "search_names"], persons())

        # rounds: numbered per process, spread over the years, one to four days long
        round_span: list[tuple[dt.date, int]] = [(START, 1)]

        def rounds():
            numbers: dict[int, int] = {}
            for i in range(1, n["rounds"] + 1):
                process = rng.randrange(1, len(PROCESSES) + 1)
                numbers[process] = numbers.get(process, 0) + 1
                start = START + dt.timedelta(days=rng.randrange(SPAN))
                days = rng.randrange(1, 5)
                round_span.append((start, days))
                made = stamp(rng, start)
                yield (i, 1, made, made, process, numbers[process], rng.randrange(1, len(PLACES) + 1), start,
                       start + dt.timedelta(days=days - 1), rng.choice(ROUND_STATUS))
        copy("round", ["id", "version", "created_at", "updated_at", "process_id", "number", "place_id", "start_date",
                       "end_date", "status"], rounds())

        # articles: Arabic and English, ~1.2 kB of text each
        def articles():
            for i in range(1, n["articles"] + 1):
                day = START + dt.timedelta(days=rng.randrange(SPAN))
                arabic = rng.random() < 0.7
                words = WORDS_AR if arabic else WORDS_EN
                ar, en = rng.choice(party_names)
                area_ar, area_en = rng.choice(AREAS)
                title = (f"{ar} يبحث وقف إطلاق النار في {area_ar}" if arabic
                         else f"{en} discusses a ceasefire in {area_en}")
                text = "\n\n".join(" ".join(rng.choices(words, k=40)) + "." for _ in range(4))
                made = stamp(rng, day)
                yield (i, 1, made, made, title, rng.choice(PUBLISHERS), f"https://news.example/{i}", day,
                       "ar" if arabic else "en", f"{title}\n\n{text}", hashlib.sha256(str(i).encode()).hexdigest(),
                       "[]", search_key(title))
        copy("article", ["id", "version", "created_at", "updated_at", "title", "publisher", "url", "published",
                         "language", "text", "content_hash", "warnings", "search_title"], articles())

        # meetings: 80% in a round (dated within it), the rest on their own; 2-5 participants each
        meeting_cols = ["id", "version", "created_at", "updated_at", "date", "date_precision", "round_id", "place_id",
                        "kind", "status", "closed", "facilitator_party_id", "facilitator_person_id", "summary",
                        "confidence"]
        n_parties, n_persons, n_articles, n_rounds = n["parties"], n["persons"], n["articles"], n["rounds"]
        precisions = ["day"] * 90 + ["month"] * 8 + ["year"] * 2
        summaries = [" ".join(rng.choices(WORDS_AR, k=rng.randrange(8, 20))) for _ in range(500)]

        def meetings(participant_copy, evidence_copy):
            pid = 0
            eid = 0
            rnd, rr, choice = rng.random, rng.randrange, rng.choice
            for i in range(1, n["meetings"] + 1):
                if rnd() < 0.8:
                    round_id = rr(1, n_rounds + 1)
                    start, days = round_span[round_id]
                    day = start + dt.timedelta(days=rr(days))
                else:
                    round_id, day = None, START + dt.timedelta(days=rr(SPAN))
                made = dt.datetime(day.year, day.month, day.day, 12, tzinfo=dt.UTC) + dt.timedelta(days=1)
                seen = set()
                for _ in range(rr(2, 6)):
                    p = (rr(1, n_parties + 1), None) if rnd() < 0.6 else (None, rr(1, n_persons + 1))
                    if p in seen:
                        continue
                    seen.add(p)
                    pid += 1
                    participant_copy.write_row((pid, i, p[0], p[1], day))
                for k in range(1 if rnd() < 0.7 else 2):
                    eid += 1
                    start_at = rr(0, 900)
                    evidence_copy.write_row((eid, rr(1, n_articles + 1), "meeting", i, start_at + k * 1000,
                                             start_at + k * 1000 + 120, choice(summaries), round(rnd(), 2), made))
                yield (i, 1, made, made, day, choice(precisions), round_id, rr(1, len(PLACES) + 1),
                       choice(KINDS), choice(STATUSES), rnd() < 0.5, rr(1, n_parties + 1) if rnd() < 0.3 else None,
                       None, choice(summaries), round(rnd(), 2))

        # three COPY streams at once, one connection each (a connection holds one COPY at a time)
        with psycopg.connect(url, autocommit=True) as c2, psycopg.connect(url, autocommit=True) as c3:
            for c in (c2, c3):
                c.execute("SET session_replication_role = replica")
            with c2.cursor() as k2, k2.copy('COPY meeting_participant (id, meeting_id, party_id, person_id, '
                                             'meeting_date) '
                                             'FROM STDIN') as pc, \
                    c3.cursor() as k3, k3.copy('COPY evidence (id, article_id, subject_type, subject_id, start, '
                                               '"end", quote, confidence, created_at) FROM STDIN') as ec:
                copy("meeting", meeting_cols, meetings(pc, ec))

        # zones: polygons (counter-clockwise rings) over Syria, with a status history each
        def zones_and_events():
            events = []
            eid = 0
            rows = []
            for i in range(1, n["zones"] + 1):
                area_ar, area_en = AREAS[i % len(AREAS)]
                ar, en = f"منطقة خفض التصعيد {area_ar} {i}", f"{area_en} de-escalation zone {i}"
                lon, lat, r = rng.uniform(35.8, 41.5), rng.uniform(32.6, 37.0), rng.uniform(0.05, 0.4)
                k = rng.randrange(5, 9)
                ring = [[round(lon + r * math.cos(2 * math.pi * j / k), 5), round(lat + r * math.sin(2 * math.pi * j / k), 5)]
                        for j in range(k)]
                ring.append(ring[0])
                xs, ys = [p[0] for p in ring], [p[1] for p in ring]
                history = sorted(START + dt.timedelta(days=rng.randrange(SPAN)) for _ in range(rng.randrange(1, 5)))
                status = ZONE_STATUS[0]
                for j, day in enumerate(history):
                    eid += 1
                    status = ZONE_STATUS[min(j * 2 + rng.randrange(2), len(ZONE_STATUS) - 1)]
                    events.append((eid, i, status, day, rng.randrange(1, n_rounds + 1), rng.randrange(1, n_parties + 1),
                                   None, stamp(rng, day)))
                aliases, search, _ = names_row(rng, ar, en, [area_ar])
                made = stamp(rng, history[0])
                rows.append((i, len(history), made, stamp(rng, history[-1]), en, ar, aliases,
                             orjson.dumps([area_ar]).decode(),
                             orjson.dumps({"type": "Polygon", "coordinates": [ring]}).decode(), "approximate", status,
                             history[-1], rng.randrange(1, n_parties + 1), rng.randrange(1, len(PROCESSES) + 1),
                             rng.randrange(1, n_rounds + 1), f"zone-{i}", search, min(xs), min(ys), max(xs), max(ys)))
            return rows, events

        zone_rows, events = zones_and_events()
        copy("zone", ["id", "version", "created_at", "updated_at", "name_en", "name_ar", "aliases", "areas", "geometry",
                      "geometry_precision", "status", "status_date", "requested_by_party_id", "process_id", "round_id",
                      "key", "search_names", "min_lon", "min_lat", "max_lon", "max_lat"], zone_rows)
        copy("zone_status_event", ["id", "zone_id", "status", "date", "round_id", "requested_by_party_id", "note",
                                   "created_at"], events)
        t_copy = time.perf_counter() - t0
        for name, definition in saved:
            conn.execute(definition)
        for table in ("process", "place", "party", "person", "round", "article", "meeting", "meeting_participant",
                      "evidence", "zone", "zone_status_event"):
            conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                         f"(SELECT coalesce(max(id), 1) FROM \"{table}\"))")
        conn.execute("SET session_replication_role = origin")
        conn.execute("VACUUM ANALYZE")
        counts = {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]
                  for t in ("meeting", "meeting_participant", "evidence", "person", "party", "round", "zone",
                            "zone_status_event", "article")}
        dbname = conn.info.dbname
        conn.execute(f"COMMENT ON DATABASE \"{dbname}\" IS '{MARK}{scale}'")
    counts["seconds_copy"] = round(t_copy, 1)
    counts["seconds_total"] = round(time.perf_counter() - t0, 1)
    return counts


def ensure(db: str, scale: float, rebuild: bool = False) -> str:
    """The URL of a database holding the data set of this scale, built unless already there."""
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as admin:
        row = admin.execute("SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
                            (db,)).fetchone()
        if row and row[0] == f"{MARK}{scale}" and not rebuild:
            print(f"dataset: reusing {db} (scale {scale}); migrating it to head", file=sys.stderr)
            upgrade(f"postgresql+psycopg://postgres@127.0.0.1:5432/{db}")
            return f"{PG}/{db}"
        admin.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{db}"')
    upgrade(f"postgresql+psycopg://postgres@127.0.0.1:5432/{db}")
    print(f"dataset: building {db} at scale {scale} ...", file=sys.stderr)
    counts = build(f"{PG}/{db}", scale)
    print(f"dataset: built {counts}", file=sys.stderr)
    return f"{PG}/{db}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--db", default="peacetrack_bench")
    ap.add_argument("--rebuild", action="store_true")
    args = ap.parse_args()
    print(ensure(args.db, args.scale, args.rebuild))


if __name__ == "__main__":
    main()
