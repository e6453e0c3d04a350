"""Demo videos: queued by the demo loader, made and processed by the worker like real uploads."""
from __future__ import annotations

from sqlalchemy import func, select

from portal.core import db, jobs


def test_demo_loader_queues_videos_that_the_worker_turns_into_ready_videos_with_captions(app):
    from portal import demo
    from portal.candidates.models import Candidate
    from portal.candidates.video_demo import DEMO_JOB
    from portal.candidates.video_models import VideoProfile, VideoState
    from portal.core.jobs import Job

    with app.test_request_context():
        demo.load()
        db.commit()
        queued = db.session.scalars(select(Job).where(Job.name == DEMO_JOB).order_by(Job.id)).all()
        with_video = [c for c in db.session.scalars(select(Candidate)).all()
                      if c.valid_consent is not None and c.valid_consent.video_allowed]
        assert len(queued) == len(with_video) >= 10
        demo.load()  # idempotent: nothing queued twice
        db.commit()
        assert db.session.scalar(select(func.count(Job.id)).where(Job.name == DEMO_JOB)) == len(queued)

        # Run two of them (about 3 s each), as the in-process worker of `make run` does for all.
        for job in queued[2:]:
            job.run_after = job.run_after.replace(year=job.run_after.year + 1)
        db.commit()
        assert jobs.run_pending() >= 2

        ready = db.session.scalars(select(VideoProfile).where(VideoProfile.state == VideoState.READY)).all()
        assert len(ready) == 2
        for profile in ready:
            assert profile.captions is not None and profile.poster is not None
            assert 4 <= profile.duration_seconds <= 12
