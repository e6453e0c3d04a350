import smtplib
import uuid
from email.message import EmailMessage


def test_delivery_is_read_back(smtp_server):
    token = uuid.uuid4().hex
    msg = EmailMessage()
    msg["From"] = "Werkportaal <noreply@werkportaal.test>"
    msg["To"] = "werkgever@example.test"
    msg["Subject"] = f"Uitnodiging meet & greet {token}"
    msg.set_content("Beste werkgever,\n\nU bent van harte uitgenodigd. Tot ziens!\n")
    msg.add_attachment(b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", maintype="text", subtype="calendar",
                       filename="invite.ics", params={"method": "REQUEST"})
    with smtplib.SMTP(smtp_server.host, smtp_server.port, timeout=10) as s:
        s.send_message(msg, to_addrs=["werkgever@example.test", "bcc@example.test"])

    got = smtp_server.wait_for(lambda m: token in m["Subject"])
    assert got["To"] == "werkgever@example.test"
    assert "bcc@example.test" in got["X-Envelope-To"]
    assert "van harte uitgenodigd" in got.get_body(("plain",)).get_content()
    [ics] = [p for p in got.iter_attachments() if p.get_content_type() == "text/calendar"]
    assert ics.get_filename() == "invite.ics"


def test_clear(smtp_server):
    with smtplib.SMTP(smtp_server.host, smtp_server.port, timeout=10) as s:
        s.sendmail("a@example.test", ["b@example.test"], b"Subject: to be cleared\r\n\r\nx\r\n")
    smtp_server.wait_for(lambda m: m["Subject"] == "to be cleared")
    smtp_server.clear()
    assert all(m["Subject"] != "to be cleared" for m in smtp_server.messages())
