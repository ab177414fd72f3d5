"""`peacetrack load` and `peacetrack eval`, run as a user does (SQLite files of their own)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.cli import app
from app.db import get_engine
from app.settings import get_settings

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
DEV = ROOT.parent / "shared" / "corpus" / "dev"


@pytest.fixture
def database(tmp_path, monkeypatch) -> Path:
    """DATABASE_URL pointing at a file not yet made; the cached settings and engine follow it."""
    path = tmp_path / "var" / "peacetrack.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
    get_settings.cache_clear(), get_engine.cache_clear()
    yield path
    get_engine().dispose()
    get_settings.cache_clear(), get_engine.cache_clear()


def run(*args: str):
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, (result.output, result.exception)
    return result


def test_dry_run_json_prints_the_extraction_and_writes_nothing(database):
    out = json.loads(run("load", str(SEEDS), "--dry-run", "--json").stdout)
    assert [a["origin"] for a in out] == [str(SEEDS / "articles" / "000_16459814e9a46614.md")]
    article = out[0]
    assert (article["status"], article["published"], article["language"]) == ("extracted", "2017-09-15", "ar")
    assert set(article["extraction"]) >= {"rounds", "parties", "persons", "meetings", "zones", "warnings"}
    assert not database.parent.exists()  # no database was opened, let alone written


def test_dry_run_published_override_and_failures(database, tmp_path):
    (tmp_path / "a.txt").write_text("Talks resumed in Geneva yesterday.", encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(b"\xff\xfe\x00bad")
    out = json.loads(run("load", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), "--dry-run", "--json",
                         "--published", "2020-02-03").stdout)
    assert out[0]["published"] == "2020-02-03" and out[0]["extraction"]["published"] == "2020-02-03"
    assert out[1]["status"] == "failed" and out[1]["reason"].startswith("not UTF-8")


def test_load_seeds_on_a_fresh_sqlite_then_again(database):
    run("migrate")
    first = json.loads(run("load", str(SEEDS), "--json").stdout)
    assert first["articles"] == {"new": 1, "unchanged": 0, "failed": 0}, first["failures"]
    assert first["reference"][0]["created"]["party"] > 0
    assert first["rows"]["meeting"]["created"] > 0
    second = json.loads(run("load", str(SEEDS), "--json").stdout)
    assert second["articles"] == {"new": 0, "unchanged": 1, "failed": 0}
    assert second["rows"] == {} and not second["reference"][0]["created"]
    table = run("load", str(SEEDS)).stdout  # the summary tables
    assert "Articles" in table and "Rows" in table


def test_eval_json(tmp_path):
    shutil.copy(DEV / "seed.json", tmp_path / "seed.json")
    report = json.loads(run("eval", str(tmp_path), "--json").stdout)
    assert {"rounds", "parties", "persons", "meetings", "zones", "articles"} <= set(report)
    assert report["articles"][0]["lang"] == "ar" and 0 <= report["meetings"]["f1"] <= 1
    assert "Extraction vs gold" in run("eval", str(tmp_path)).stdout
