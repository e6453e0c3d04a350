"""Command-line interface: `flask db upgrade`, `flask demo load`, `flask worker`, `flask users create`."""
from __future__ import annotations

import signal
import threading

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from portal.core import db, jobs, migrate
from search.cli import search_cli

db_cli = AppGroup("db", help="Database schema (Alembic migrations).")
demo_cli = AppGroup("demo", help="Demo data for the embedded default (refused in production).")
users_cli = AppGroup("users", help="User accounts.")


@db_cli.command("upgrade")
def db_upgrade() -> None:
    """Apply all migrations."""
    with db.engine().begin() as connection:
        migrate.upgrade(connection)
    click.echo("Database schema is up to date.")


@demo_cli.command("load")
def demo_load() -> None:
    """Create (or refresh) the demo accounts and organisations and print the logins."""
    from portal import demo

    if current_app.config["PORTAL_ENV"] == "production":
        raise click.ClickException("Demo data is never loaded in production.")
    logins = demo.load()
    db.commit()
    click.echo("Demo logins (password: %s):" % demo.DEMO_PASSWORD)
    for role, email in logins:
        click.echo(f"  {role:<16} {email}")


@demo_cli.command("remove")
def demo_remove() -> None:
    """Delete every demo account and demo organisation."""
    from portal import demo

    removed = demo.remove()
    db.commit()
    click.echo(f"Removed {removed} demo account(s).")


@users_cli.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", type=click.Choice(["admin", "wsp", "account_manager", "policy_officer"]), default="admin")
@click.password_option()
def users_create(email: str, name: str, role: str, password: str) -> None:
    """Create a staff account (the first admin of a new installation)."""
    from portal.accounts.models import User
    from portal.accounts.passwords import hash_password
    from portal.core.roles import Role

    db.session.add(User(email=email, name=name, role=Role(role), password_hash=hash_password(password)))
    db.commit()
    click.echo(f"Created {role} {email}.")


@click.command("worker")
@with_appcontext
@click.option("--poll", default=2.0, help="Seconds between polls when idle.")
def worker(poll: float) -> None:
    """Run background jobs and periodic tasks until stopped (production: run one or more)."""
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    click.echo("Worker started; Ctrl-C to stop.")
    try:
        jobs.worker_loop(current_app._get_current_object(), stop, poll_seconds=poll)
    except KeyboardInterrupt:
        stop.set()


@click.command("send-reminders")
@with_appcontext
@click.option("--only", default=None, help="One area's reminders (events, meetings).")
def send_reminders(only: str | None) -> None:
    """Send the day-before reminders that are due; idempotent, meant for a scheduler."""
    from portal.core import reminders

    if only is not None and only not in reminders.names():
        raise click.BadParameter(f"choose from {', '.join(reminders.names())}", param_hint="--only")
    sent = reminders.send_all(only)
    db.commit()
    for name, count in sent.items():
        click.echo(f"{name}: sent {count} reminder(s).")


@click.command("run-jobs")
@with_appcontext
def run_jobs() -> None:
    """Run every due job once and exit (for cron-like schedulers and debugging)."""
    count = jobs.run_pending()
    jobs.run_periodic({})
    click.echo(f"Ran {count} job(s).")


def register(app: Flask) -> None:
    for command in (db_cli, demo_cli, users_cli, worker, run_jobs, send_reminders):
        app.cli.add_command(command)
    app.cli.add_command(search_cli)
    from portal.results.cli import results_cli

    app.cli.add_command(results_cli)
    from portal.api.cli import api_cli

    app.cli.add_command(api_cli)
