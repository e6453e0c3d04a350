"""Event and visit pages list candidates to an employer as cards: never the profile or the video.

The rule of .github/SECURITY.md: a card (what a list shows) is not a counted view, the profile is.
A company visit's visitors and a meet-and-greet table's schedule are lists, so they are handed only
`employer_card` (first name + initial, age band, municipality, languages, top skills, availability):
no ambitions, no full skill list, no playable media URL. Seeing more is the gallery page, counted.
"""
from __future__ import annotations

from sqlalchemy import func, select

from portal.core import db
from portal.core.audit import AuditEntry
from tests.video.access import ready_video

AMBITIONS = "Ik droom van een eigen banketbakkerij aan de Zaan."


def _views(app, candidate_id):
    with app.app_context():
        return db.session.scalar(select(func.count(AuditEntry.id)).where(
            AuditEntry.action == "candidate.viewed_by_employer", AuditEntry.object_id == candidate_id))


def test_the_visit_page_shows_the_card_and_no_profile_or_video(app, employer, am, ef):
    slot = ef.visit(employer.user)
    candidate = ef.candidate(owner=am.user, organisations=[employer.user.organisation_id], ambitions=AMBITIONS)
    ready_video(app, candidate.id)
    assert am.post_form(f"/bedrijfsbezoeken/{slot.id}/aanmelden", {"candidate_id": candidate.id}).status_code == 302
    page = employer.get(f"/bedrijfsbezoeken/{slot.id}").get_data(as_text=True)
    assert f"{candidate.first_name} G." in page and "Zaanstad" in page  # the card
    assert AMBITIONS not in page and "/video/" not in page and "?g=" not in page  # not the profile
    assert _views(app, candidate.id) == 0  # a list, not a view
    assert employer.get(f"/kandidaten/{candidate.id}").status_code == 200
    assert _views(app, candidate.id) == 1  # the profile is


def test_event_tables_hand_templates_only_the_card(app, employer, am, ef):
    """The employer's table schedule and printout name the candidate; the context holds no more."""
    from flask import template_rendered

    from portal.candidates.profile import CARD_KEYS
    from portal.events.models import BookingStatus, CandidateRegistration, EmployerRegistration, ScheduleSlot

    event = ef.event()
    candidate = ef.candidate(owner=am.user, organisations=[employer.user.organisation_id], ambitions=AMBITIONS)
    ready_video(app, candidate.id)
    with app.app_context():
        table = EmployerRegistration(event_id=event.id, organisation_id=employer.user.organisation_id,
                                     registered_by_id=employer.user.id, status=BookingStatus.CONFIRMED, representatives=1)
        place = CandidateRegistration(event_id=event.id, candidate_id=candidate.id, registered_by_id=am.user.id,
                                      status=BookingStatus.CONFIRMED)
        db.session.add_all([table, place])
        db.session.flush()
        db.session.add(ScheduleSlot(event_id=event.id, round_number=0, employer_registration_id=table.id,
                                    candidate_registration_id=place.id))
        db.commit()
    seen = []

    def record(sender, template, context, **extra):
        seen.append(context)

    template_rendered.connect(record, app)
    try:
        detail = employer.get(f"/meet-and-greets/{event.id}").get_data(as_text=True)
        printed = employer.get(f"/meet-and-greets/{event.id}/rooster/afdrukken").get_data(as_text=True)
    finally:
        template_rendered.disconnect(record, app)
    assert f"{candidate.first_name} G." in detail and f"{candidate.first_name} G." in printed
    for page in (detail, printed):
        assert candidate.surname not in page and AMBITIONS not in page and "/video/" not in page
    cards = [row[4] for context in seen for row in context.get("table") or [] if row[4]]
    assert cards and all(set(card) <= set(CARD_KEYS) for card in cards)
    assert _views(app, candidate.id) == 0
