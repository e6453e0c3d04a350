"""Migration 0006 on SQLite and PostgreSQL: constraints in the database, cascades with the candidate."""
from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal.core import db
from tests.conftest import both_databases
from tests.video.access import ready_video

pytestmark = both_databases


def test_failure_code_only_when_failed_and_one_object_per_role(world):
    from portal.candidates.video_models import MediaObject, MediaRole, VideoProfile, VideoState

    cid = world.candidate()
    profile = ready_video(world.app, cid)
    with world.app.app_context():
        row = db.session.get(VideoProfile, profile.id)
        row.failure_code = "corrupt"  # but state is ready
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()
        row = db.session.get(VideoProfile, profile.id)
        row.state = VideoState.FAILED
        with pytest.raises(IntegrityError):
            db.session.flush()  # failed without a code
        db.session.rollback()
        db.session.add(MediaObject(video_profile_id=profile.id, role=MediaRole.VIDEO, backend="local", key="x/other.mp4",
                                   content_type="video/mp4", size=1))
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()
        db.session.add(VideoProfile(candidate_id=cid))
        with pytest.raises(IntegrityError):
            db.session.flush()  # one video per candidate
        db.session.rollback()


def test_rows_go_with_the_candidate(world):
    from portal.candidates.models import Candidate
    from portal.candidates.video_models import MediaObject, VideoProfile

    cid = world.candidate()
    ready_video(world.app, cid)
    with world.app.app_context():
        db.session.execute(Candidate.__table__.delete().where(Candidate.id == cid))  # the database's own cascade
        db.session.flush()
        assert db.session.scalars(select(VideoProfile)).all() == []
        assert db.session.scalars(select(MediaObject)).all() == []
