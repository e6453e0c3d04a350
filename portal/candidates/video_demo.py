"""Demo videos for the demo candidates: synthetic clips made locally, plainly marked "DEMO".

The demo loader only queues one job per demo candidate whose consent allows video (fast, so
`flask demo load` and the browser tests' live portal stay quick); the in-process worker of
`make run` then makes each clip with media.demo (ffmpeg test picture + an espeak-ng sentence),
stores it through the configured storage as an upload and runs the normal processing, so demo
videos go through exactly the path real uploads take. Captions with the same sentence are added.
About 3 s per candidate on 2 cores: the dozen demo videos are ready within a minute.
"""
from __future__ import annotations

import tempfile
from pathlib import Path

from sqlalchemy import select

from config.settings import DEMO_EMAIL_DOMAIN
from portal.accounts.models import User
from portal.candidates import demo as _candidate_demo  # noqa: F401  (its demo candidates come first)
from portal.candidates import video
from portal.candidates.models import Candidate
from portal.candidates.video_models import MediaRole, VideoProfile, VideoState
from portal.core import db, jobs
from portal.demo import demo_extension

DEMO_JOB = "candidates.demo_video"
CLIP_SECONDS = 5


def sentence_for(candidate: Candidate, index: int) -> tuple[str, str]:
    """(sentence, espeak voice): mostly Dutch, every third one English."""
    if index % 3 == 2:
        return f"Hello, my name is {candidate.first_name}. This is a demo video.", "en"
    return f"Hallo, ik ben {candidate.first_name}. Ik wil graag werken. Dit is een demovideo.", "nl"


def captions_for(sentence: str, seconds: float) -> bytes:
    end = max(1.0, seconds - 0.2)
    return f"WEBVTT\n\n00:00:00.200 --> 00:00:{end:06.3f}\n[DEMO] {sentence}\n".encode()


@demo_extension
def load_demo_videos() -> None:
    owner = db.session.scalar(select(User).where(User.email == f"accountmanager@{DEMO_EMAIL_DOMAIN}"))
    if owner is None:
        return
    owners = select(User.id).where(User.email.like(f"accountmanager%@{DEMO_EMAIL_DOMAIN}"))
    candidates = db.session.scalars(select(Candidate).where(Candidate.owner_id.in_(owners)).order_by(Candidate.id)).all()
    for index, candidate in enumerate(candidates):
        if not video.video_consent_ok(candidate) or video.profile_of(candidate) is not None:
            continue
        sentence, voice = sentence_for(candidate, index)
        profile = VideoProfile(candidate_id=candidate.id, candidate=candidate, state=VideoState.UPLOADED,
                               upload_content_type="video/mp4")
        db.session.add(profile)
        db.session.flush()
        jobs.enqueue(DEMO_JOB, video_id=profile.id, token=profile.token, sentence=sentence, voice=voice)
    db.session.flush()


@jobs.handler(DEMO_JOB)
def make_demo_video(video_id: int, token: str, sentence: str, voice: str = "nl") -> None:
    from media.demo import generate_demo_clip

    profile = db.session.get(VideoProfile, video_id)
    if profile is None or profile.token != token or profile.state != VideoState.UPLOADED or profile.original is not None:
        return
    storage = video._storage()
    original_key = profile.key_for(MediaRole.ORIGINAL)
    db.commit()  # hold no database lock while ffmpeg and espeak-ng run (SQLite locks at BEGIN)
    with tempfile.TemporaryDirectory(prefix="demo-video-") as work:
        clip = generate_demo_clip(Path(work) / "clip.mp4", sentence, voice=voice, seconds=CLIP_SECONDS)
        with open(clip, "rb") as handle:
            stored = storage.put_file(original_key, handle, "video/mp4")
    db.session.expire_all()
    profile = db.session.get(VideoProfile, video_id)
    if profile is None or profile.token != token:  # deleted meanwhile (consent ended): keep nothing
        storage.delete(original_key)
        return
    video._record_object(profile, MediaRole.ORIGINAL, stored, storage.name)
    db.commit()
    video.process_video(video_id, token)
    db.commit()
    profile = db.session.get(VideoProfile, video_id)
    if profile is not None and profile.is_ready:
        video.set_captions(profile, None, captions_for(sentence, profile.duration_seconds or CLIP_SECONDS))
