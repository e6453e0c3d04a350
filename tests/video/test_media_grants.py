"""Playback grants: bound to a viewer and a file, stable within a five-minute window, expiring."""
from __future__ import annotations

from types import SimpleNamespace

from portal.candidates import media_grants

VIEWER = SimpleNamespace(id=7, is_authenticated=True)
WINDOW_START = 1_800_000_000  # a multiple of the window


def _at(monkeypatch, seconds):
    monkeypatch.setattr(media_grants.time, "time", lambda: float(seconds))


def test_a_grant_is_the_same_within_its_window_and_new_in_the_next(app, monkeypatch):
    with app.app_context():
        _at(monkeypatch, WINDOW_START)
        first = media_grants.make_grant(1, "abc", "poster", VIEWER)
        _at(monkeypatch, WINDOW_START + media_grants.WINDOW_SECONDS - 1)
        assert media_grants.make_grant(1, "abc", "poster", VIEWER) == first
        assert media_grants.make_grant(1, "abc", "video", VIEWER) != first  # another file
        assert media_grants.make_grant(1, "abc", "poster", SimpleNamespace(id=8)) != first  # another viewer
        _at(monkeypatch, WINDOW_START + media_grants.WINDOW_SECONDS)
        assert media_grants.make_grant(1, "abc", "poster", VIEWER) != first


def test_a_grant_expires_after_the_maximum_age_counted_in_windows(app, monkeypatch):
    app.config["MEDIA_URL_MAX_AGE_SECONDS"] = 3600
    with app.app_context():
        _at(monkeypatch, WINDOW_START + 200)  # made late in its window: timed at the window's start
        grant = media_grants.make_grant(1, "abc", "video", VIEWER)
        assert media_grants.grant_ok(grant, 1, "abc", "video", VIEWER)
        assert not media_grants.grant_ok(grant, 1, "abc", "poster", VIEWER)
        assert not media_grants.grant_ok(grant, 1, "abc", "video", SimpleNamespace(id=8, is_authenticated=True))
        _at(monkeypatch, WINDOW_START + 3600 + media_grants.WINDOW_SECONDS - 1)  # the last window it lives in
        assert media_grants.grant_ok(grant, 1, "abc", "video", VIEWER)
        _at(monkeypatch, WINDOW_START + 3600 + media_grants.WINDOW_SECONDS)
        assert not media_grants.grant_ok(grant, 1, "abc", "video", VIEWER)
