"""Consent hooks: when a candidate's consent ends (withdrawn, expired) or the candidate is erased,
their open one-to-one meetings are cancelled and both sides are told "no longer available"; when a
new consent no longer covers an organisation, that organisation's meetings are cancelled the same way."""
from __future__ import annotations

from typing import Any

from portal.candidates import hooks


@hooks.on_consent_ended
def cancel_meetings_when_consent_ends(candidate: Any, reason: str) -> None:
    if reason == hooks.VIDEO_NOT_ALLOWED:
        return  # the consent itself is still valid: meetings stay
    from portal.meetings.operations import cancel_open_bookings_of

    cancel_open_bookings_of(candidate)


@hooks.on_consent_replaced
def cancel_meetings_outside_the_new_scope(candidate: Any) -> None:
    from portal.meetings.operations import cancel_bookings_outside_consent

    cancel_bookings_outside_consent(candidate)
