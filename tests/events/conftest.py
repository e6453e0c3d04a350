from __future__ import annotations

from typing import Any

import pytest

from tests.events.factories import EventFactory


@pytest.fixture
def ef(factory: Any) -> EventFactory:
    return EventFactory(factory)


@pytest.fixture
def wsp(login_as: Any) -> Any:
    return login_as("wsp")


@pytest.fixture
def am(login_as: Any) -> Any:
    return login_as("account_manager")


@pytest.fixture
def employer(login_as: Any) -> Any:
    return login_as("employer")


def mails(app: Any, template: str | None = None) -> list[Any]:
    from sqlalchemy import select

    from portal.core import db
    from portal.core.mail import MailMessage

    with app.app_context():
        query = select(MailMessage).order_by(MailMessage.id)
        if template:
            query = query.where(MailMessage.template == template)
        rows = db.session.scalars(query).all()
        for row in rows:
            _ = row.attachments
        return rows
