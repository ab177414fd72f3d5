"""The `peacetrack` command: serve, migrate, load, eval and API keys."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from app.db import session_scope
from app.settings import get_settings

app = typer.Typer(help="Peacetrack: the record of peace talks.", no_args_is_help=True)
keys = typer.Typer(help="Create, list and revoke API keys.", no_args_is_help=True)
app.add_typer(keys, name="keys")
console = Console()


@app.command()
def migrate() -> None:
    """Bring the database of DATABASE_URL to the newest migration."""
    from app.migrate import upgrade

    upgrade(get_settings().database_url)
    console.print("[green]database at head[/green]")


@app.command()
def serve(host: str = "127.0.0.1", port: int = 8000, workers: int = 1,
          access_log: Annotated[bool, typer.Option(help="log every request")] = True) -> None:
    """Serve the API (docs at /docs)."""
    import uvicorn

    uvicorn.run("app.main:app", host=host, port=port, workers=workers, access_log=access_log,
                timeout_graceful_shutdown=10)


@keys.command("create")
def keys_create(name: str, scope: Annotated[list[str], typer.Option(help="write and/or admin")] = ["write"]) -> None:
    """Create a key; its secret is printed once and never stored."""
    from app.cli_keys import create_key

    with session_scope() as session:
        try:
            secret, key = create_key(session, name=name, scopes=scope)
        except ValueError as exc:
            raise typer.BadParameter(str(exc)) from None
    console.print(f"key {key.prefix} ({', '.join(key.scopes)}) for {name}:")
    print(secret)


@keys.command("list")
def keys_list() -> None:
    """List keys (never their secrets)."""
    from app.cli_keys import list_keys

    table = Table("prefix", "name", "scopes", "created", "revoked")
    with session_scope() as session:
        for key in list_keys(session):
            table.add_row(key.prefix, key.name, ", ".join(key.scopes), key.created_at.isoformat(timespec="seconds"),
                          key.revoked_at.isoformat(timespec="seconds") if key.revoked_at else "")
    console.print(table)


@keys.command("revoke")
def keys_revoke(prefix: str) -> None:
    """Revoke the key with this prefix; it is refused from then on."""
    from app.cli_keys import revoke_key

    with session_scope() as session:
        key = revoke_key(session, prefix=prefix)
    if key is None:
        console.print(f"[red]no key {prefix}[/red]")
        raise typer.Exit(1)
    console.print(f"revoked {prefix}")


@app.command()
def load(
    paths: Annotated[list[Path], typer.Argument(help="article files or folders (a folder's reference/ is loaded first)")],
    published: Annotated[dt.datetime | None, typer.Option(formats=["%Y-%m-%d"], help="publication date of every article")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="extract only: write nothing (no database needed)")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="print the extractions (with --dry-run) or the summary as JSON")] = False,
) -> None:
    """Load reference data and articles: one transaction per article, the same text only once."""
    from app.loader.cli import dry_run as run_dry, load_paths

    day = published.date() if published else None
    if dry_run:
        run_dry(paths, published=day, as_json=as_json, console=console)
    else:
        load_paths(paths, published=day, as_json=as_json, console=console)


@app.command("eval")
def evaluate(
    directory: Annotated[Path, typer.Argument(help="a gold corpus folder (one JSON article each)")],
    as_json: Annotated[bool, typer.Option("--json", help="the report as JSON")] = False,
    lang: Annotated[list[str] | None, typer.Option(help="only articles in this language (repeatable)")] = None,
) -> None:
    """Score the extractor against a gold corpus (gazetteer: seeds/reference)."""
    from app.loader.cli import run_eval

    run_eval(directory, as_json=as_json, languages=lang, console=console)
