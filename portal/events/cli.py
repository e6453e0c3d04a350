"""`flask events send-reminders`: the day-before reminders, meant for a scheduler (cron, systemd
timer, Kubernetes CronJob). Idempotent: each booking remembers when it was reminded, so running
it every hour (or twice by accident) never sends a reminder twice. The same work also runs as a
periodic background task of `flask worker`."""
from __future__ import annotations

import click
from flask.cli import AppGroup

from portal.core import db, jobs

events_cli = AppGroup("events", help="Meet-and-greets and company visits.")


@events_cli.command("send-reminders")
def send_reminders_command() -> None:
    """Send the reminder (with .ics) for everything that starts tomorrow or sooner."""
    from portal.events.operations import send_reminders

    sent = send_reminders()
    db.commit()
    click.echo(f"Sent {sent} reminder(s).")


@jobs.periodic("events.send_reminders", interval_seconds=3600)
def _periodic_reminders() -> None:
    from portal.events.operations import send_reminders

    send_reminders()  # run_periodic commits
