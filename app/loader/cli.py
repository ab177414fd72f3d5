"""What `peacetrack load` and `peacetrack eval` do, behind the typer commands of app/cli.py:
a progress bar while loading, then summary tables (or JSON)."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

import orjson
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from sqlmodel import Session

from app.errors import Unprocessable
from app.extract.gazetteer import Gazetteer
from app.loader.load import BatchReport, check, content_hash, load_sources, loader_bind, run_extract, take_turn
from app.loader.reference import ReferenceReport, load_reference
from app.loader.sources import Failure, read_path, read_sources, source_files
from app.settings import get_settings


def reference_roots(paths: list[Path]) -> list[Path]:
    """The reference folders to load first: `X/reference` of a folder X, or a `reference` folder itself."""
    roots = []
    for path in paths:
        if path.is_dir() and path.name == "reference":
            roots.append(path)
        elif (path / "reference").is_dir():
            roots.append(path / "reference")
    return roots


def print_json(data: Any) -> None:
    sys.stdout.buffer.write(orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS) + b"\n")
    sys.stdout.flush()


# --- load ----------------------------------------------------------------------------------------
def load_paths(paths: list[Path], *, published: dt.date | None, as_json: bool, console: Console) -> BatchReport:
    from app.db import get_engine

    references: list[tuple[Path, ReferenceReport]] = []
    with Session(loader_bind(get_engine()), expire_on_commit=False) as session:
        for root in reference_roots(paths):
            take_turn(session)
            references.append((root, load_reference(session, root)))
            session.commit()
        files = list(source_files(paths))  # names only: each file is read when its turn comes
        # the bar goes to stderr, so that --json output stays clean
        with Progress(TextColumn("loading"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      TextColumn("{task.description}"), console=Console(stderr=True), transient=as_json) as bar:
            task = bar.add_task("", total=len(files))

            def sources():
                for file in files:
                    bar.update(task, description=Path(file.origin if isinstance(file, Failure) else file).name)
                    yield from [file] if isinstance(file, Failure) else read_path(file, published=published)
                    bar.update(task, advance=1)

            report = load_sources(session, sources())
    if as_json:
        print_json(summary(report, references))
    else:
        console.print(*summary_tables(report, references))
    return report


def summary(report: BatchReport, references: list[tuple[Path, ReferenceReport]]) -> dict[str, Any]:
    rows: dict[str, dict[str, int]] = {}
    for (type_, action), n in sorted(report.rows().items()):
        rows.setdefault(type_, {"created": 0, "matched": 0})[action] = n
    return {
        "articles": {s: report.count(s) for s in ("new", "unchanged", "failed")},
        "failures": [{"origin": r.origin, "reason": r.reason} for r in report.failures],
        "loaded": [{"origin": r.origin, "status": r.status, "article_id": r.article_id}
                   for r in report.results if r.article_id is not None],
        "rows": rows,
        "reference": [{"root": str(root), "created": dict(rep.created), "updated": dict(rep.updated),
                       "unchanged": dict(rep.unchanged),
                       "failures": [{"record": w, "reason": why} for w, why in rep.failures]}
                      for root, rep in references],
    }


def failures_table(column: str, key: str, failures: list[dict[str, str]], title: str) -> Table:
    """What was refused and why, one row each."""
    table = Table(column, "reason", title=title, style="red")
    for f in failures:
        table.add_row(f[key], f["reason"])
    return table


def summary_tables(report: BatchReport, references: list[tuple[Path, ReferenceReport]]) -> list[Table]:
    data = summary(report, references)
    tables = []
    for ref in data["reference"]:
        t = Table("kind", "created", "updated", "unchanged", title=f"Reference data ({ref['root']})")
        for kind in dict.fromkeys([*ref["created"], *ref["updated"], *ref["unchanged"]]):
            t.add_row(kind, *(str(ref[c].get(kind, 0)) for c in ("created", "updated", "unchanged")))
        tables.append(t)
        if ref["failures"]:
            tables.append(failures_table("record", "record", ref["failures"], "Reference records refused"))
    articles = Table("new", "unchanged", "failed", title="Articles")
    articles.add_row(*(str(data["articles"][s]) for s in ("new", "unchanged", "failed")))
    tables.append(articles)
    if data["failures"]:
        tables.append(failures_table("article", "origin", data["failures"], "Failed articles (nothing of them was written)"))
    rows = Table("type", "created", "merged into existing", title="Rows")
    for type_, counts in data["rows"].items():
        rows.add_row(type_, str(counts["created"]), str(counts["matched"]))
    tables.append(rows)
    return tables


# --- dry run ---------------------------------------------------------------------------------------
def reference_gazetteer(paths: list[Path]) -> Gazetteer:
    """The gazetteer of the reference data beside the articles, else of seeds/reference."""
    roots = reference_roots(paths) or [get_settings().seeds_dir / "reference"]
    return Gazetteer.from_reference_dir(roots[0])


def dry_run(paths: list[Path], *, published: dt.date | None, as_json: bool, console: Console) -> list[dict]:
    """Extract every article and show it; nothing is written and no database is opened."""
    gazetteer = reference_gazetteer(paths)
    out: list[dict[str, Any]] = []
    for item in read_sources(paths, published=published):
        if isinstance(item, Failure):
            out.append({"origin": item.origin, "status": "failed", "reason": item.reason})
            continue
        try:
            data = check(item)
            extraction = run_extract(data, gazetteer)
        except Unprocessable as exc:
            out.append({"origin": item.origin, "status": "failed", "reason": exc.detail})
            continue
        out.append({"origin": item.origin, "status": "extracted",
                    **data.model_dump(exclude={"text"}), "content_hash": content_hash(data.text),
                    "extraction": extraction.to_dict()})
    if as_json:
        print_json(out)
        return out
    kinds = ("rounds", "parties", "persons", "meetings", "zones")
    table = Table("article", *kinds, "warnings / reason", title="Dry run: extracted, nothing written")
    for a in out:
        ext = a.get("extraction")
        counts = [str(len(ext[k])) if ext else "" for k in kinds]
        table.add_row(a["origin"], *counts, "; ".join(ext["warnings"]) if ext else f"[red]{a['reason']}[/red]")
    console.print(table)
    return out


# --- eval ------------------------------------------------------------------------------------------
def run_eval(directory: Path, *, as_json: bool, languages: list[str] | None, console: Console) -> dict:
    from app.extract.evaluate import render, score_dir

    gazetteer = Gazetteer.from_reference_dir(get_settings().seeds_dir / "reference")
    report = score_dir(directory, gazetteer, languages=languages)
    if as_json:
        print_json(report)
    else:
        console.print(render(report))
    return report
