"""A lock wait that gives up answers "busy, try again" (503) and saves nothing — never a 500."""
from __future__ import annotations

from sqlalchemy.exc import OperationalError

from portal.events import operations
from portal.events.models import CandidateRegistration


def test_a_lock_timeout_is_a_friendly_503_and_nothing_is_saved(app, am, ef, monkeypatch):
    event = ef.event()
    candidate = ef.candidate(owner=am.user)

    def busy(*args, **kwargs):
        raise OperationalError("INSERT ...", {}, Exception("database is locked"))

    monkeypatch.setattr(operations, "register_candidate", busy)
    response = am.post_form(f"/meet-and-greets/{event.id}/kandidaat-aanmelden", {"candidate_id": candidate.id})
    assert response.status_code == 503 and "Probeer het over een paar seconden opnieuw" in response.get_data(as_text=True)
    assert ef.count(CandidateRegistration) == 0


def test_other_database_errors_are_not_disguised(app, am, ef, monkeypatch):
    import pytest

    event = ef.event()
    candidate = ef.candidate(owner=am.user)

    def broken(*args, **kwargs):
        raise OperationalError("SELECT ...", {}, Exception("no such table: events"))

    monkeypatch.setattr(operations, "register_candidate", broken)
    app.config["PROPAGATE_EXCEPTIONS"] = True
    with pytest.raises(OperationalError):
        am.post_form(f"/meet-and-greets/{event.id}/kandidaat-aanmelden", {"candidate_id": candidate.id})
