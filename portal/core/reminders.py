"""Day-before reminders: each area registers its sender; one command and one periodic task run them.

    reminders.sender("events")(send_reminders)     # send_reminders() -> number sent; idempotent

`flask send-reminders` (for a scheduler: cron, a systemd timer, a Kubernetes CronJob) and the hourly
periodic task of every worker both call `send_all`. Senders must be idempotent (each booking
remembers when it was reminded), so running them every hour, or twice by accident, sends nothing twice.
"""
from __future__ import annotations

from collections.abc import Callable

from portal.core import jobs

Sender = Callable[[], int]
_SENDERS: dict[str, Sender] = {}


def sender(name: str) -> Callable[[Sender], Sender]:
    def register(func: Sender) -> Sender:
        _SENDERS[name] = func
        return func

    return register


def names() -> list[str]:
    return sorted(_SENDERS)


def send_all(only: str | None = None) -> dict[str, int]:
    """Run the senders (all, or the one named) inside the caller's transaction."""
    return {name: _SENDERS[name]() for name in names() if only in (None, name)}


@jobs.periodic("reminders.send", interval_seconds=3600)
def _hourly() -> None:
    send_all()  # run_periodic commits
