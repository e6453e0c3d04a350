"""Access table of the foundation's routes (see tests/core/test_access_by_role.py)."""
from __future__ import annotations

from typing import Any

from tests.core.test_access_by_role import AUTHENTICATED_ROLES, EVERYONE

ACCESS = {
    "static": EVERYONE,
    "public.privacy": EVERYONE,
    "public.accessibility": EVERYONE,
    "public.healthz": EVERYONE,
    "home.index": EVERYONE,
    "home.employer": {"employer"},
    "home.account_manager": {"account_manager"},
    "home.wsp": {"wsp"},
    "home.admin": {"admin"},
    "accounts.login": EVERYONE,
    "accounts.logout": AUTHENTICATED_ROLES,
    "accounts.forgot_password": EVERYONE,
    "accounts.reset_password": EVERYONE,
    "accounts.accept_invitation": EVERYONE,
    "accounts.register": EVERYONE,
    "accounts.set_language": EVERYONE,
    "accounts.account": AUTHENTICATED_ROLES,
    "wsp.organisations": {"wsp", "admin"},
    "wsp.organisation_detail": {"wsp", "admin"},
    "wsp.invitations": {"wsp", "admin"},
    "wsp.own_organisation": {"employer"},
    "admin.users": {"admin"},
    "admin.user_detail": {"admin"},
    "admin.audit_log": {"admin"},
    "admin.mail_log": {"admin"},
    "admin.mail_detail": {"admin"},
    "admin.mail_attachment": {"admin"},
}


def objects(factory: Any, employer: Any) -> dict[str, Any]:
    from portal.accounts import operations, passwords
    from portal.core import db
    from portal.core.mail import Attachment, queue_mail
    from portal.core.roles import Role

    with factory.app.test_request_context():
        admin = factory.user("admin")
        db.session.add(admin)
        invitation_token, token_hash = passwords.new_invitation_token()
        from portal.accounts.models import Invitation

        invitation = Invitation(email="invited@example.nl", role=Role.ACCOUNT_MANAGER, token_hash=token_hash,
                                expires_at=db.utcnow().replace(year=db.utcnow().year + 1))
        db.session.add(invitation)
        message = queue_mail("someone@example.nl", "invitation", invitation=invitation, inviter=admin, link="x", days=14,
                             attachments=(Attachment("a.ics", "text/calendar", b"BEGIN:VCALENDAR"),))
        db.commit()
        return {
            "filename": "css/portal.css",
            "invitation_token": invitation_token,
            "reset_token": passwords.make_reset_token(admin.id, admin.password_hash),
            "organisation_id": employer.organisation_id,
            "user_id": admin.id,
            "message_id": message.id,
            "index": 0,
        }
