"""A local SMTP sink (aiosmtpd) that stores every delivered message in a Maildir."""
from __future__ import annotations

import smtplib
import sys
from pathlib import Path

from config.services._util import HOST, port
from config.services.base import Service, getenv

PORT = port(58025)
BANNER_NAME = "portal-services-smtp"


class SmtpSink(Service):
    name = "smtp"
    port = PORT
    start_timeout = 30.0

    @property
    def maildir(self) -> Path:
        return self.dir / "maildir"

    def external(self) -> str | None:
        host = getenv("SMTP_HOST")
        port = getenv("SMTP_PORT")
        if host and not (host == HOST and (port or str(PORT)) == str(PORT)):
            return "SMTP_HOST"
        return None

    def env(self) -> dict[str, str]:
        return {"SMTP_HOST": HOST, "SMTP_PORT": str(PORT), "SMTP_MAILDIR": str(self.maildir)}

    def healthy(self) -> bool:
        s = smtplib.SMTP(timeout=2)
        try:
            code, banner = s.connect(HOST, PORT)
            return code == 220 and banner.startswith(BANNER_NAME.encode()) and s.noop()[0] == 250
        finally:
            s.close()

    def prepare(self) -> None:
        for sub in ("cur", "new", "tmp"):
            (self.maildir / sub).mkdir(parents=True, exist_ok=True)

    def command(self):
        repo = Path(__file__).resolve().parents[2]
        return ([sys.executable, "-m", "config.services.smtp_sink", "--host", HOST, "--port", str(PORT),
                 "--maildir", str(self.maildir), "--hostname", BANNER_NAME], {"PYTHONPATH": str(repo)}, repo)
