"""Score extractions against the gold corpus (see the corpus README for the matching rules).

Names are compared after `normalize()`. A row's names are its name and all its aliases: the
names it carries, plus, when it carries a gazetteer key, every name of that entry. A person
participant of a meeting also answers to the names of its party (found among the
extraction's parties, or in the gazetteer, by `party_key`).

Gold items and rows of one kind are paired by a maximum bipartite matching (each gold item
matches at most one row and each row at most one gold item), so the score does not depend on
the order rows come out in. Inside one meeting, gold sides and row participants must pair off
one to one, which is the same matching problem, solved by the same function.

The gold's meeting statuses are three (held, scheduled, denied: "it did not happen as
reported"), ours five: a postponed or cancelled meeting is compared as `denied`, the gold's
word for it (the corpus's analysts label a postponed session so). Nothing else is mapped.

Counts are micro-averaged: tp, fp and fn are summed over the corpus before computing
precision, recall and F1.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from app.extract.gazetteer import Gazetteer
from app.extract.normalize import normalize
from app.extract.types import Extraction, Ref

KINDS = ("rounds", "parties", "persons", "meetings", "zones")
GOLD_STATUS = {"postponed": "denied", "cancelled": "denied"}  # see the module's docstring
REFERENCE_DIR = Path(__file__).resolve().parents[2] / "seeds" / "reference"


# gold ---------------------------------------------------------------------------------------
def load_gold(path: Path | str) -> list[dict[str, Any]]:
    """Every article of a gold directory (`*.json`, one article each), sorted by file name."""
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(Path(path).glob("*.json"))]


def _norm_set(names: Iterable[str | None]) -> frozenset[str]:
    return frozenset(normalize(n).strip() for n in names if n and n.strip())


def _iso(day: dt.date | str | None) -> str | None:
    return day.isoformat() if isinstance(day, dt.date) else day


# the names of a row ---------------------------------------------------------------------------
class _Names:
    """Name sets of extraction rows, expanded through the gazetteer by key."""

    def __init__(self, extraction: Extraction, gazetteer: Gazetteer | None):
        self.gazetteer = gazetteer
        self.party_names = {p.ref.key: p.ref.names for p in extraction.parties if p.ref.key}

    def entry(self, kind: str, key: str | None) -> list[str]:
        if not key or self.gazetteer is None:
            return []
        found = self.gazetteer.get(kind, key)
        return found.names if found else []

    def ref(self, ref: Ref | None, *, with_party: bool = False) -> frozenset[str]:
        if ref is None:
            return frozenset()
        names = [*ref.names, *self.entry(ref.type, ref.key)]
        if with_party and ref.type == "person" and ref.party_key:
            names += self.party_names.get(ref.party_key, [])
            names += self.entry("party", ref.party_key)
        return _norm_set(names)


# matching -----------------------------------------------------------------------------------
def max_matching(n_left: int, n_right: int, ok: Callable[[int, int], bool]) -> list[tuple[int, int]]:
    """A maximum matching of a bipartite graph given by `ok(left, right)` (Kuhn's algorithm).

    The graphs here are tiny (a few dozen rows per article), so the simple augmenting-path
    search is plenty.
    """
    edges = [[j for j in range(n_right) if ok(i, j)] for i in range(n_left)]
    owner: list[int | None] = [None] * n_right

    def augment(i: int, seen: set[int]) -> bool:
        for j in edges[i]:
            if j in seen:
                continue
            seen.add(j)
            if owner[j] is None or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    for i in range(n_left):
        augment(i, set())
    return [(i, j) for j, i in enumerate(owner) if i is not None]


def _pairs_off(sides: Sequence[frozenset[str]], participants: Sequence[frozenset[str]]) -> bool:
    """Gold sides and row participants pair off one to one, each side matching its participant."""
    if len(sides) != len(participants):
        return False
    pairs = max_matching(len(sides), len(participants), lambda i, j: bool(sides[i] & participants[j]))
    return len(pairs) == len(sides)


def _date_ok(gold_value: Any, row_value: Any) -> bool:
    """Equal wherever gold gives a value."""
    return gold_value is None or _iso(gold_value) == _iso(row_value)


# per kind: (gold names, row names, row predicate) --------------------------------------------
def _prepare(extraction: Extraction, gold: dict[str, Any], gazetteer: Gazetteer | None):
    """For every kind: the gold items, the rows, and `ok(gold_index, row_index)`."""
    names = _Names(extraction, gazetteer)
    out: dict[str, tuple[list, list, Callable[[int, int], bool]]] = {}

    g_rounds = gold.get("rounds") or []
    r_rounds = extraction.rounds
    g_proc = [_norm_set(g.get("process") or []) for g in g_rounds]
    r_proc = [_norm_set([*r.process_names, *names.entry("process", r.process_key)]) for r in r_rounds]

    def round_ok(i: int, j: int) -> bool:
        g, r = g_rounds[i], r_rounds[j]
        return (bool(g_proc[i] & r_proc[j]) and (g.get("number") is None or g["number"] == r.number)
                and _date_ok(g.get("start"), r.start))

    out["rounds"] = (g_rounds, r_rounds, round_ok)

    for kind, rows in (("parties", extraction.parties), ("persons", extraction.persons)):
        g_items = gold.get(kind) or []
        g_names = [_norm_set(g.get("names") or []) for g in g_items]
        r_names = [names.ref(r.ref) for r in rows]
        out[kind] = (g_items, rows, lambda i, j, g=g_names, r=r_names: bool(g[i] & r[j]))

    g_zones = gold.get("zones") or []
    r_zones = extraction.zones
    g_znames = [_norm_set(g.get("names") or []) for g in g_zones]
    r_znames = [_norm_set([*z.names, *names.entry("zone", z.key)]) for z in r_zones]

    def zone_ok(i: int, j: int) -> bool:
        return g_zones[i].get("status") == r_zones[j].status and bool(g_znames[i] & r_znames[j])

    out["zones"] = (g_zones, r_zones, zone_ok)

    g_meet = gold.get("meetings") or []
    r_meet = extraction.meetings
    g_sides = [[_norm_set(s) for s in g.get("participants") or []] for g in g_meet]
    r_parts = [[names.ref(p, with_party=True) for p in m.participants] for m in r_meet]

    def meeting_ok(i: int, j: int) -> bool:
        g, m = g_meet[i], r_meet[j]
        return (g.get("kind") == m.kind and g.get("status") == GOLD_STATUS.get(m.status, m.status)
                and _date_ok(g.get("date"), m.date) and _pairs_off(g_sides[i], r_parts[j]))

    out["meetings"] = (g_meet, r_meet, meeting_ok)
    return out


# descriptions for the report ----------------------------------------------------------------
def _first(names: Iterable[str] | None) -> str:
    return next(iter(names or []), "?")


def _describe_gold(kind: str, g: dict[str, Any]) -> str:
    if kind == "rounds":
        return f"{_first(g.get('process'))} #{g.get('number')} start={g.get('start')}"
    if kind in ("parties", "persons"):
        return _first(g.get("names"))
    if kind == "zones":
        return f"{_first(g.get('names'))} [{g.get('status')}]"
    sides = " | ".join(_first(s) for s in g.get("participants") or [])
    return f"{g.get('status')} {g.get('kind')} {g.get('date')}: {sides}"


def _describe_row(kind: str, r: Any) -> str:
    if kind == "rounds":
        return f"{_first(r.process_names) if r.process_names else r.process_key} #{r.number} start={_iso(r.start)}"
    if kind in ("parties", "persons"):
        return _first(r.ref.names)
    if kind == "zones":
        return f"{_first(r.names)} [{r.status}]"
    sides = " | ".join(_first(p.names) for p in r.participants)
    return f"{r.status} {r.kind} {_iso(r.date)}: {sides}"


# scoring ------------------------------------------------------------------------------------
def score_article(
    extraction: Extraction, gold: dict[str, Any], gazetteer: Gazetteer | None = None
) -> dict[str, dict[str, Any]]:
    """Per kind: tp, fp, fn, the gold items missed and the rows that match nothing.

    `gold` is an article's `gold` object (a whole article dict is accepted too).
    """
    gold = gold.get("gold", gold)
    result: dict[str, dict[str, Any]] = {}
    for kind, (g_items, rows, ok) in _prepare(extraction, gold, gazetteer).items():
        pairs = max_matching(len(g_items), len(rows), ok)
        hit_g = {i for i, _ in pairs}
        hit_r = {j for _, j in pairs}
        result[kind] = {
            "tp": len(pairs),
            "fp": len(rows) - len(pairs),
            "fn": len(g_items) - len(pairs),
            "misses": [_describe_gold(kind, g) for i, g in enumerate(g_items) if i not in hit_g],
            "false": [_describe_row(kind, r) for j, r in enumerate(rows) if j not in hit_r],
        }
    return result


def prf(tp: int, fp: int, fn: int) -> dict[str, float | int]:
    # An empty denominator means nothing was wrong on that side: nothing claimed → precision 1.
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
            "tp": tp, "fp": fp, "fn": fn}


def _totals(scores: Iterable[dict[str, dict[str, Any]]]) -> dict[str, dict[str, float | int]]:
    sums = {k: [0, 0, 0] for k in KINDS}
    for score in scores:
        for k in KINDS:
            sums[k][0] += score[k]["tp"]
            sums[k][1] += score[k]["fp"]
            sums[k][2] += score[k]["fn"]
    return {k: prf(*v) for k, v in sums.items()}


def score_dir(
    path: Path | str,
    gazetteer: Gazetteer | None = None,
    *,
    languages: Iterable[str] | None = None,
) -> dict[str, Any]:
    """Run `pipeline.extract` on every gold article of `path` and score it.

    The report has one entry per kind (micro-averaged precision, recall, F1 and counts), `by_lang`
    (the same per language), and `articles` (per article: misses and false rows per kind). An
    article whose extraction raises is still scored, as an empty extraction, with the error
    recorded, so one broken rule does not hide the rest of the report.
    """
    from app.extract.pipeline import (
        extract,  # pipeline imports the language modules lazily
    )

    if gazetteer is None:
        gazetteer = Gazetteer.from_reference_dir(REFERENCE_DIR)
    wanted = set(languages) if languages else None
    articles, scores, by_lang = [], [], {}
    for article in load_gold(path):
        lang = article.get("lang")
        if wanted and lang not in wanted:
            continue
        published = dt.date.fromisoformat(article["published"]) if article.get("published") else None
        entry: dict[str, Any] = {"id": article.get("id"), "lang": lang}
        try:
            extraction = extract(article["text"], gazetteer=gazetteer, published=published, language=lang)
        except Exception as exc:  # noqa: BLE001 - reported per article, see docstring
            extraction = Extraction(language=lang or "", published=published)
            entry["error"] = f"{type(exc).__name__}: {exc}"
        score = score_article(extraction, article.get("gold") or {}, gazetteer)
        scores.append(score)
        by_lang.setdefault(lang, []).append(score)
        entry["counts"] = {k: {c: score[k][c] for c in ("tp", "fp", "fn")} for k in KINDS}
        entry["misses"] = {k: score[k]["misses"] for k in KINDS if score[k]["misses"]}
        entry["false"] = {k: score[k]["false"] for k in KINDS if score[k]["false"]}
        articles.append(entry)
    report: dict[str, Any] = dict(_totals(scores))
    report["by_lang"] = {lang: _totals(s) for lang, s in sorted(by_lang.items(), key=lambda x: str(x[0]))}
    report["articles"] = articles
    return report


# rendering ----------------------------------------------------------------------------------
def render(report: dict[str, Any], *, details: bool = True):
    """A rich renderable: the per-kind table (overall and per language), then per-article misses."""
    from rich.console import Group
    from rich.table import Table

    table = Table(title="Extraction vs gold (micro-averaged)")
    for col in ("kind", "scope", "precision", "recall", "F1", "tp", "fp", "fn"):
        table.add_column(col, justify="left" if col in ("kind", "scope") else "right")
    scopes = [("all", report), *report.get("by_lang", {}).items()]
    for kind in KINDS:
        for scope, totals in scopes:
            t = totals[kind]
            table.add_row(kind if scope == "all" else "", str(scope), f"{t['precision']:.3f}",
                          f"{t['recall']:.3f}", f"{t['f1']:.3f}", str(t["tp"]), str(t["fp"]), str(t["fn"]))
    parts: list[Any] = [table]
    if details:
        arts = Table(title="Per article: gold missed (−) and false rows (+)", show_lines=True)
        arts.add_column("article")
        arts.add_column("errors")
        for a in report.get("articles", []):
            lines = [f"ERROR {a['error']}"] if a.get("error") else []
            for kind in KINDS:
                lines += [f"− {kind}: {m}" for m in a["misses"].get(kind, [])]
                lines += [f"+ {kind}: {f}" for f in a["false"].get(kind, [])]
            if lines:
                arts.add_row(f"{a['id']} ({a.get('lang')})", "\n".join(lines))
        parts.append(arts)
    return Group(*parts)


if __name__ == "__main__":  # `python -m app.extract.evaluate DIR [--json] [--lang en]` until the CLI has `eval`
    import argparse

    from rich.console import Console

    parser = argparse.ArgumentParser()
    parser.add_argument("dir")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--lang", action="append")
    args = parser.parse_args()
    rep = score_dir(args.dir, languages=args.lang)
    if args.json:
        print(json.dumps(rep, ensure_ascii=False, indent=1))
    else:
        Console().print(render(rep))
