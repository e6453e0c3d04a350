"""`flask meetings send-reminders`: remind both sides of tomorrow's confirmed meetings (idempotent;
meant for a scheduler, e.g. every hour or once each morning). The same work runs as the periodic job
"meetings.reminders" in every worker."""
from __future__ import annotations

import click
from flask.cli import AppGroup

from portal.core import db, jobs

meetings_cli = AppGroup("meetings", help="One-to-one meetings between employers and candidates.")


@meetings_cli.command("send-reminders")
def send_reminders_command() -> None:
    """Send the day-before reminders that are due (each meeting once)."""
    from portal.meetings.operations import send_reminders

    count = send_reminders()
    db.commit()
    click.echo(f"Sent {count} meeting reminder(s).")


@jobs.periodic("meetings.reminders", interval_seconds=3600)
def _reminders_job() -> None:
    from portal.meetings.operations import send_reminders

    send_reminders()  # run_periodic commits
