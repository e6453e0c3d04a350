"""Hooks other areas register into, so candidates never import them.

    from portal.candidates.hooks import on_consent_ended, on_candidate_erased, profile_extension

    @on_consent_ended
    def delete_video(candidate, reason):        # reason: "withdrawn" | "expired" | "erased" | "video_not_allowed"
        ...                                     # runs inside the transaction; delete rows here and
                                                # schedule storage deletion with db.after_commit / jobs.enqueue

    @on_candidate_erased
    def forget_registrations(candidate):       # before the candidate's rows are deleted
        ...

    @on_consent_replaced
    def check_scope(candidate):                 # a new consent replaced the previous one; its scope may
        ...                                     # be narrower: drop what it no longer covers

    @profile_extension("video", present=video_urls)
    def video_info(candidate, locale):          # -> JSON-able facts or None, from the candidate's data
        ...                                     # only; present(facts) adds what depends on the request

    @staff_section(order=50)
    def case_file(candidate, user):            # -> (template, context) or None; a section of the
        ...                                     # candidate's staff page (detail.html)

Hooks must not commit. A hook that raises aborts the whole operation (the transaction rolls back),
so a failed cleanup never leaves a half-erased candidate.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

ConsentEndedHook = Callable[[Any, str], None]
ConsentReplacedHook = Callable[[Any], None]
ErasureHook = Callable[[Any], None]
ProfileExtension = Callable[[Any, str], Any]
Presenter = Callable[[Any], Any]

_CONSENT_ENDED: list[ConsentEndedHook] = []
_ERASED: list[ErasureHook] = []
_REPLACED: list[ConsentReplacedHook] = []
_PROFILE_EXTENSIONS: dict[str, tuple[ProfileExtension, Presenter | None]] = {}
StaffSection = Callable[[Any, Any], Any]
_STAFF_SECTIONS: list[tuple[int, StaffSection]] = []

#: Reasons passed to consent-ended hooks.
WITHDRAWN, EXPIRED, ERASED, VIDEO_NOT_ALLOWED = "withdrawn", "expired", "erased", "video_not_allowed"


def on_consent_ended(func: ConsentEndedHook) -> ConsentEndedHook:
    """Register `func(candidate, reason)`: the candidate's consent ended (or no longer allows video)."""
    if func not in _CONSENT_ENDED:
        _CONSENT_ENDED.append(func)
    return func


def on_consent_replaced(func: ConsentReplacedHook) -> ConsentReplacedHook:
    """Register `func(candidate)`: a new consent replaced a valid one (its scope may be narrower)."""
    if func not in _REPLACED:
        _REPLACED.append(func)
    return func


def on_candidate_erased(func: ErasureHook) -> ErasureHook:
    """Register `func(candidate)`: called before a candidate is erased, to remove what refers to it."""
    if func not in _ERASED:
        _ERASED.append(func)
    return func


def profile_extension(name: str, *, present: Presenter | None = None) -> Callable[[ProfileExtension], ProfileExtension]:
    """Register `func(candidate, locale)` whose result appears as `profile[name]` for employers.

    Its result must follow from the candidate's data alone (the gallery keeps cards while that data
    does not change, portal.candidates.gallery). What also depends on the request (a URL bound to
    the viewer) goes in `present(facts)`: then `func` returns plain facts and `present` turns them
    into what the profile shows, on every request."""

    def register(func: ProfileExtension) -> ProfileExtension:
        _PROFILE_EXTENSIONS[name] = (func, present)
        return func

    return register


def run_consent_ended(candidate: Any, reason: str) -> None:
    for func in list(_CONSENT_ENDED):
        func(candidate, reason)


def run_consent_replaced(candidate: Any) -> None:
    for func in list(_REPLACED):
        func(candidate)


def run_erased(candidate: Any) -> None:
    for func in list(_ERASED):
        func(candidate)


def extension_names() -> tuple[str, ...]:
    return tuple(_PROFILE_EXTENSIONS)


def extension_facts(candidate: Any, locale: str) -> dict[str, Any]:
    """{name: the extension's facts}: what may be kept with a card while the candidate's data stays."""
    return {name: func(candidate, locale) for name, (func, _present) in _PROFILE_EXTENSIONS.items()}


def present_extensions(facts: dict[str, Any]) -> dict[str, Any]:
    """{name: what the profile shows} for this request, from `extension_facts`."""
    out = {}
    for name, value in facts.items():
        _func, present = _PROFILE_EXTENSIONS[name]
        out[name] = present(value) if present is not None else value
    return out


def staff_section(order: int = 50) -> Callable[[StaffSection], StaffSection]:
    """Register `func(candidate, user) -> (template, context) | None`: a section of the staff page."""

    def register(func: StaffSection) -> StaffSection:
        if all(f is not func for _o, f in _STAFF_SECTIONS):
            _STAFF_SECTIONS.append((order, func))
        return func

    return register


def staff_sections(candidate: Any, user: Any) -> list[tuple[str, dict[str, Any]]]:
    sections = []
    for _order, func in sorted(_STAFF_SECTIONS, key=lambda item: (item[0], item[1].__name__)):
        result = func(candidate, user)
        if result is not None:
            sections.append(result)
    return sections
