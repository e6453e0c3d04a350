"""Consent hooks: consent withdrawn or expired stops every open traject of the candidate; a new
consent that no longer covers an organisation stops that organisation's open trajects (the employer
sees 'niet meer beschikbaar', never why); erasure removes trajects, proposals, placement records
and instruments."""
from __future__ import annotations

from typing import Any

from portal.candidates import hooks


@hooks.on_consent_ended
def stop_trajects_when_consent_ends(candidate: Any, reason: str) -> None:
    if reason in (hooks.VIDEO_NOT_ALLOWED, hooks.ERASED):
        return  # the consent itself is still valid / erasure removes everything below
    from portal.trajects.operations import stop_trajects_outside_consent

    stop_trajects_outside_consent(candidate, all_of_them=True)


@hooks.on_consent_replaced
def stop_trajects_outside_the_new_scope(candidate: Any) -> None:
    from portal.trajects.operations import stop_trajects_outside_consent

    stop_trajects_outside_consent(candidate)


@hooks.on_candidate_erased
def erase_trajects(candidate: Any) -> None:
    from portal.trajects.operations import erase_trajects_of

    erase_trajects_of(candidate)
