"""`flask search reindex | check [--repair] [--deep] | status | drain`."""
from __future__ import annotations

import click
from flask.cli import AppGroup

from portal.core import db

search_cli = AppGroup("search", help="Candidate search index (Elasticsearch or database backend).")


@search_cli.command("reindex")
@click.option("--chunk-size", default=2000, show_default=True, help="Documents per bulk request.")
@click.option("--workers", type=int, default=None,
              help="Processes that build the documents (default SEARCH_REINDEX_WORKERS; 0: this one).")
def reindex_command(chunk_size: int, workers: int | None) -> None:
    """Build a new index from the database and swap the alias to it (no downtime)."""
    from search.maintenance import reindex

    report = reindex(chunk_size=chunk_size, workers=workers)
    if report.get("note"):
        click.echo(report["note"])
        return
    rate = report["documents"] / report["seconds"] if report["seconds"] else 0
    click.echo(f"Indexed {report['documents']} candidate(s) into {report['index']} in {report['seconds']:.1f}s "
               f"({rate:.0f}/s), {report['errors']} error(s); alias swapped; old indices removed.")


@search_cli.command("check")
@click.option("--repair", is_flag=True, help="Re-send missing and stale documents, delete extra ones.")
@click.option("--deep", is_flag=True, help="Compare whole documents, not only updated_at.")
def check_command(repair: bool, deep: bool) -> None:
    """Compare ids and updated_at between the index and the database."""
    from search.maintenance import check

    report = check(repair=repair, deep=deep)
    click.echo(f"Database: {report.database} candidate(s); index: {report.indexed} document(s).")
    for label, items in (("missing from the index", report.missing), ("in the index but not in the database", report.extra),
                         ("stale in the index", report.stale)):
        if items:
            shown = ", ".join(map(str, items[:20])) + (" ..." if len(items) > 20 else "")
            click.echo(f"  {len(items)} {label}: {shown}")
    if report.ok:
        click.echo("Index and database agree.")
    elif report.repaired:
        click.echo("Repaired.")
    else:
        click.echo("Run `flask search check --repair` to fix.")
        raise SystemExit(1)


@search_cli.command("status")
def status_command() -> None:
    """Backend, index name, document count and the outbox backlog."""
    from search.maintenance import status

    info = status()
    backlog = info["backlog"]
    click.echo(f"Backend: {info['backend']}")
    click.echo(f"Index: {info.get('index') or '-'} (alias {info.get('alias') or '-'}), documents: {info.get('documents')}")
    if not info.get("reachable", True):
        click.echo(f"Search backend NOT reachable: {info.get('error')}")
    oldest = backlog["oldest"].isoformat() if backlog["oldest"] else "-"
    click.echo(f"Backlog: {backlog['size']} outbox row(s), oldest {oldest}, most attempts {backlog['max_attempts']}")
    if backlog["last_error"]:
        click.echo(f"Last error: {backlog['last_error'][:300]}")


@search_cli.command("drain")
def drain_command() -> None:
    """Send the whole outbox now (normally the worker does this every 10 seconds)."""
    from search import outbox

    report = outbox.drain_all()
    db.session.remove()
    click.echo(f"Sent {report['sent']}, deleted {report['deleted']}, still failing {report['failed']}.")
