"""The SMTP sink process: `python -m config.services.smtp_sink --port 58025 --maildir DIR`.

Every message is stored as received, with two extra headers in front:
X-Envelope-From and X-Envelope-To (so Bcc recipients can be checked). AUTH is accepted
without TLS and with any credentials, so a portal configured with SMTP_USERNAME works too.
"""
from __future__ import annotations

import argparse
import mailbox
import signal
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult


class MaildirHandler:
    def __init__(self, path: str):
        self.path = path
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        head = (f"X-Envelope-From: {envelope.mail_from}\r\n"
                f"X-Envelope-To: {', '.join(envelope.rcpt_tos)}\r\n").encode()
        raw = envelope.original_content or envelope.content
        if isinstance(raw, str):
            raw = raw.encode("utf-8")
        with self.lock:
            mailbox.Maildir(self.path, create=True).add(head + raw)
        return "250 Message accepted for delivery"


def accept_any(server, session, envelope, mechanism, auth_data):
    return AuthResult(success=True)


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=58025)
    p.add_argument("--maildir", required=True)
    p.add_argument("--hostname", default="portal-services-smtp")
    a = p.parse_args()
    controller = Controller(MaildirHandler(a.maildir), hostname=a.host, port=a.port, server_hostname=a.hostname,
                            authenticator=accept_any, auth_require_tls=False, decode_data=False,
                            data_size_limit=50 * 1024 * 1024)
    controller.start()
    print(f"smtp sink listening on {a.host}:{a.port}, maildir {a.maildir}", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
