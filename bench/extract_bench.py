"""Extraction speed, one core: articles per second of the pure extract step, against a
baseline measured in the same run (normalizing and sentence-splitting the same texts: the
least any extractor must do); then the seed article alone (2,040 characters: the issue's target
is for articles of its length). Prints one JSON line.

    .venv/bin/python bench/extract_bench.py [--seconds 5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import time
from pathlib import Path

import orjson

from app.extract.gazetteer import Gazetteer
from app.extract.normalize import normalize_with_map
from app.extract.pipeline import extract
from app.extract.sentences import split_sentences
from app.loader.sources import read_sources

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "dev"
SEED = ROOT / "seeds" / "articles" / "000_16459814e9a46614.md"  # the target is for articles of its length


def articles() -> list[tuple[str, dt.date, str]]:
    out = []
    for path in sorted(CORPUS.glob("*.json")):
        doc = orjson.loads(path.read_bytes())
        out.append((doc["text"], dt.date.fromisoformat(doc["published"]), doc["lang"]))
    return out


def rate(fn, docs, seconds: float) -> float:
    n, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        for doc in docs:
            fn(doc)
        n += len(docs)
    return n / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args()
    gazetteer = Gazetteer.from_reference_dir(ROOT / "seeds" / "reference")
    docs = articles()
    seed = [next(read_sources([SEED]))]
    seed = [(s.text, s.published, s.language) for s in seed]
    baseline = rate(lambda d: (normalize_with_map(d[0]), split_sentences(d[0])), docs, args.seconds)
    ours = rate(lambda d: extract(d[0], gazetteer=gazetteer, published=d[1], language=d[2]), docs, args.seconds)
    ours_seed = rate(lambda d: extract(d[0], gazetteer=gazetteer, published=d[1], language=d[2]), seed, args.seconds)
    mean_chars = sum(len(d[0]) for d in docs) / len(docs)
    print(json.dumps({"bench": "extract", "articles": len(docs), "mean_chars": round(mean_chars),
                      "gazetteer_entries": len(gazetteer.entries),
                      "baseline_articles_per_s": round(baseline, 1), "extract_articles_per_s": round(ours, 1),
                      "ratio_extract_to_baseline": round(ours / baseline, 4),
                      "seed_chars": len(seed[0][0]), "extract_seed_articles_per_s": round(ours_seed, 1)}))


if __name__ == "__main__":
    main()
