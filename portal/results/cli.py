"""`flask results refresh`: rebuild the results summary table (after a bulk import, or nightly)."""
from __future__ import annotations

import click
from flask.cli import AppGroup

from portal.core import db

results_cli = AppGroup("results", help="Results (monitoring) area.")


@results_cli.command("refresh")
def refresh() -> None:
    """Recompute the facts of every candidate from the source tables."""
    from portal.results.facts import rebuild

    count = rebuild()
    db.commit()
    click.echo(f"Refreshed the results facts of {count} candidate(s).")
