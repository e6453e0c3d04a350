"""Fixtures for the video profile tests: candidates with consent, uploads as the browser sends
them (ticket -> straight to storage -> "complete"), the worker, and real sample media."""
from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path
from typing import Any

import pytest

from portal.core import db, jobs, services
from tests.media.conftest import Samples

SAMPLE_VTT = b"WEBVTT\n\n00:00:00.000 --> 00:00:01.500\nHallo, ik ben Amina.\n"


@pytest.fixture(scope="session")
def samples(tmp_path_factory: pytest.TempPathFactory) -> Samples:
    return Samples(tmp_path_factory.mktemp("video-samples"))


class VideoWorld:
    """Candidates, uploads and the worker, as the account manager and the worker see them."""

    def __init__(self, app: Any, factory: Any, make_client: Any) -> None:
        self.app = app
        self.factory = factory
        self.make_client = make_client
        self.manager = factory.user("account_manager")
        self.employer = factory.user("employer")
        self.am = make_client()
        self.am.login(self.manager)

    def candidate(self, *, video_allowed: bool = True, published: bool = True, organisations: list[Any] | None = None,
                  first_name: str = "Amina") -> int:
        from portal.accounts.models import Organisation, User
        from portal.candidates import operations
        from portal.candidates.models import ConsentScope
        from portal.candidates.operations import LanguageInput

        with self.app.test_request_context():
            owner = db.session.get(User, self.manager.id)
            candidate = operations.create_candidate(
                owner, owner=owner, confirm_duplicate=True,
                fields=dict(first_name=first_name, surname=f"Test{uuid.uuid4().hex[:6]}", date_of_birth=dt.date(1990, 1, 2),
                            municipality="Zaanstad", postcode_area="1506", mobility=["bike"], availability=["mon_morning"],
                            hours_per_week=16, ambitions="Bakken.", support_needs=""),
                languages=[LanguageInput("nl", False, dict(listening=3, reading=2, spoken_interaction=3,
                                                           spoken_production=2, writing=2))],
            )
            orgs = [db.session.get(Organisation, o.id) for o in (organisations or [])]
            operations.record_consent(
                candidate, owner, scope=ConsentScope.SELECTED_ORGANISATIONS if orgs else ConsentScope.ALL_APPROVED_EMPLOYERS,
                organisations=orgs, video_allowed=video_allowed, expires_at=db.utcnow() + dt.timedelta(days=90),
            )
            if published:
                operations.publish(candidate, owner)
            db.commit()
            return candidate.id

    # -- the browser's side of an upload --------------------------------------------------
    def _json(self, url: str, data: dict[str, Any]) -> Any:
        return self.am.post(url, json=data, headers={"X-CSRFToken": self.am.csrf_token()})

    def request_ticket(self, candidate_id: int, *, content_type: str = "video/mp4", size: int) -> Any:
        return self._json(f"/kandidaten/beheer/{candidate_id}/video/upload", {"content_type": content_type, "size": size})

    def send(self, ticket: dict[str, Any], payload: bytes) -> int:
        if ticket["method"] == "PUT":
            response = self.am.put(ticket["url"], data=payload, headers=ticket["headers"],
                                   environ_overrides={"CONTENT_LENGTH": str(len(payload))})
            return response.status_code
        from media.storage import UploadTicket
        from tests.media.test_s3_upload import post_form

        status, _body = post_form(UploadTicket(
            method=ticket["method"], url=ticket["url"], key=ticket["key"], content_type=ticket["content_type"],
            max_bytes=ticket["max_bytes"], expires_at=ticket["expires_at"], fields=ticket["fields"],
            headers=ticket["headers"], file_field=ticket["file_field"]), payload)
        return status

    def complete(self, ticket: dict[str, Any]) -> Any:
        return self._json(ticket["complete_url"], {"key": ticket["key"]})

    def upload(self, candidate_id: int, source: Path | bytes, content_type: str = "video/mp4") -> Any:
        """Ticket, send, complete; returns the "complete" response."""
        payload = source if isinstance(source, bytes) else Path(source).read_bytes()
        response = self.request_ticket(candidate_id, content_type=content_type, size=max(len(payload), 1))
        assert response.status_code == 200, response.get_json()
        ticket = response.get_json()
        assert self.send(ticket, payload) in (200, 201, 204)
        return self.complete(ticket)

    def run_jobs(self) -> int:
        with self.app.app_context():
            return jobs.run_pending()

    # -- what is stored -------------------------------------------------------------------
    def profile(self, candidate_id: int) -> Any:
        from portal.candidates import video

        with self.app.app_context():
            profile = video.profile_of(candidate_id)
            if profile is not None:
                _ = profile.objects, profile.candidate
            return profile

    def keys(self, candidate_id: int | None = None) -> list[str]:
        from portal.candidates.video_models import key_root, video_prefix

        with self.app.app_context():
            prefix = video_prefix(candidate_id) if candidate_id is not None else key_root() + "/"
            return services.storage().list_keys(prefix)

    def status(self, candidate_id: int) -> dict[str, Any]:
        return self.am.get(f"/kandidaten/beheer/{candidate_id}/video/status").get_json()


@pytest.fixture
def world(app: Any, factory: Any, make_client: Any) -> VideoWorld:
    return VideoWorld(app, factory, make_client)


def s3_app_config(s3_settings: dict[str, str], root: str) -> dict[str, Any]:
    return {
        "STORAGE_BACKEND": "s3", "S3_ENDPOINT_URL": s3_settings["endpoint_url"], "S3_BUCKET": s3_settings["bucket"],
        "AWS_ACCESS_KEY_ID": s3_settings["access_key"], "AWS_SECRET_ACCESS_KEY": s3_settings["secret_key"],
        "AWS_DEFAULT_REGION": s3_settings["region"], "VIDEO_STORAGE_PREFIX": root,
    }


@pytest.fixture(params=["local", pytest.param("s3", marks=pytest.mark.s3)])
def backend(request: pytest.FixtureRequest) -> str:
    """Request this fixture to run a test on local storage and on the real S3-compatible server."""
    return request.param


@pytest.fixture
def app_config(request: pytest.FixtureRequest) -> dict[str, Any]:
    if "backend" not in request.fixturenames or request.getfixturevalue("backend") != "s3":
        return {}
    settings = request.getfixturevalue("s3_settings")
    root = f"test-video-{uuid.uuid4().hex[:12]}/candidates"
    client = request.getfixturevalue("s3_client")

    def cleanup() -> None:
        pages = client.get_paginator("list_objects_v2").paginate(Bucket=settings["bucket"], Prefix=root.split("/")[0] + "/")
        keys = [item["Key"] for page in pages for item in page.get("Contents", [])]
        if keys:
            client.delete_objects(Bucket=settings["bucket"], Delete={"Objects": [{"Key": k} for k in keys]})

    request.addfinalizer(cleanup)
    return s3_app_config(settings, root)


def bucket_keys(s3_client: Any, bucket: str, prefix: str) -> list[str]:
    """Straight from the bucket, not through the portal's storage layer."""
    pages = s3_client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix)
    return sorted(item["Key"] for page in pages for item in page.get("Contents", []))
