"""The caption editor, caption tracks per language, and publishing without captions."""
from __future__ import annotations

import io
import re
from pathlib import Path

from media.captions import parse_cues
from portal.candidates.models import Candidate
from portal.candidates.video_models import MediaObject, MediaRole, VideoProfile, VideoState
from portal.core import db, services
from tests.media.conftest import ffmpeg
from tests.video.access import ready_video


def html(response) -> str:
    return response.get_data(as_text=True)


def _rows(cues):
    data = {"language": "nl"}
    for i, (start, end, text) in enumerate(cues):
        data.update({f"cues-{i}-start": start, f"cues-{i}-end": end, f"cues-{i}-text": text})
    return data


def _employer(world):
    client = world.make_client()
    client.login(world.employer)
    return client


def _stored_cues(world, cid, language):
    with world.app.app_context():
        from portal.candidates import video

        obj = video.profile_of(cid).object(MediaRole.CAPTIONS, language)
        with services.storage().open_read(obj.key) as body:
            return [(c.start, c.end, c.text) for c in parse_cues(body.read().decode())]


def test_the_editor_saves_typed_cues_as_webvtt(world):
    cid = world.candidate()
    ready_video(world.app, cid, captions=False)
    page = html(world.am.get(f"/kandidaten/beheer/{cid}/video/ondertitels/bewerken"))
    assert "data-caption-editor" in page and 'name="cues-0-start"' in page
    assert "caption-editor.js" in page and "<script>" not in page  # no inline script (CSP)
    response = world.am.post_form(f"/kandidaten/beheer/{cid}/video/ondertitels/bewerken", _rows([
        ("0:00,2", "0:01.1", "Hallo, ik ben Amina."), ("", "", ""), ("1,1", "1.9", "Ik bak graag brood & taart."),
    ]))
    assert response.status_code == 302, html(response)
    assert _stored_cues(world, cid, "nl") == [(0.2, 1.1, "Hallo, ik ben Amina."), (1.1, 1.9, "Ik bak graag brood & taart.")]
    # Reopening the editor shows the saved cues as rows.
    again = html(world.am.get(f"/kandidaten/beheer/{cid}/video/ondertitels/bewerken?taal=nl"))
    assert "Ik bak graag brood &amp; taart." in again and 'value="0:01.100"' in again


def test_bad_rows_are_explained_per_field_and_nothing_is_saved(world):
    cid = world.candidate()
    ready_video(world.app, cid, captions=False)
    url = f"/kandidaten/beheer/{cid}/video/ondertitels/bewerken"
    for rows, message in (
        ([("0:01", "0:00,5", "Achterstevoren")], "Het eind moet na het begin liggen."),
        ([("abc", "0:01", "Geen tijd")], "Schrijf de tijd als"),
        ([("0:00", "0:01", "")], "Typ de tekst van deze ondertitel"),
        ([("0:00", "0:09", "Na het einde")], "Het eind ligt na het einde van de video."),
        ([("", "", "")], "Er is nog geen ondertitel met tekst"),
    ):
        response = world.am.post_form(url, _rows(rows))
        assert response.status_code == 400 and message in html(response), message
    assert world.profile(cid).captions is None


def test_the_error_summary_names_the_refused_row_and_links_to_its_field(world):
    cid = world.candidate()
    ready_video(world.app, cid, captions=False)
    response = world.am.post_form(f"/kandidaten/beheer/{cid}/video/ondertitels/bewerken", _rows([
        ("0:00", "0:01", "Goed"), ("abc", "0:02", "Geen tijd"),
    ]))
    summary = re.search(r'<div class="error-summary".*?</div>\s*</div>', html(response), re.S).group(0)
    links = re.findall(r'<a class="utrecht-link" href="#([^"]+)">([^<]+)</a>', summary)
    # one message for the unreadable time (not also "Vul begin en eind in."), on the second row's
    # start field; until now the summary printed the row's errors as a Python dict under "Cues"
    assert links == [("cues-1-start", "Ondertitel 2 (begin): Schrijf de tijd als 1:02,5 (minuten:seconden) of 62,5 (seconden).")]
    assert "{" not in summary and "Cues" not in summary


def test_cues_are_proposed_from_the_pauses_of_the_stored_video(world, tmp_path):
    cid = world.candidate()
    clip = tmp_path / "pauses.mp4"
    ffmpeg("-f", "lavfi", "-i", "testsrc2=size=160x120:rate=10:duration=5", "-f", "lavfi", "-i",
           "aevalsrc='if(between(t,1.5,2.5),0,0.5*sin(2*PI*440*t))':s=44100:d=5",
           "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", str(clip))
    _ready_with(world, cid, clip, duration=5.0)
    response = world.am.post_form(f"/kandidaten/beheer/{cid}/video/ondertitels/voorstel", {"language": "nl"})
    page = html(response)
    assert response.status_code == 200
    starts = [float(m) for m in re.findall(r'name="cues-\d+-start"[^>]*value="0:(\d+\.\d+)"', page)]
    ends = [float(m) for m in re.findall(r'name="cues-\d+-end"[^>]*value="0:(\d+\.\d+)"', page)]
    assert len(starts) == 2 and abs(starts[0] - 0) <= 0.3 and abs(ends[0] - 1.5) <= 0.3
    assert abs(starts[1] - 2.5) <= 0.3 and abs(ends[1] - 5.0) <= 0.3
    assert world.profile(cid).captions is None  # a proposal saves nothing


def test_proposing_without_the_csrf_token_is_refused(world):
    cid = world.candidate()
    ready_video(world.app, cid, captions=False)
    assert world.am.post(f"/kandidaten/beheer/{cid}/video/ondertitels/voorstel", data={"language": "nl"}).status_code == 400


def test_a_proposal_on_an_unreadable_video_explains_instead_of_failing(world):
    cid = world.candidate()
    ready_video(world.app, cid, captions=False)  # the stand-in "video" is not real media
    response = world.am.post_form(f"/kandidaten/beheer/{cid}/video/ondertitels/voorstel", {"language": "nl"})
    assert response.status_code == 200 and "konden niet worden gevonden" in html(response)


def test_two_tracks_are_offered_in_the_employers_player(world):
    cid = world.candidate()
    profile = ready_video(world.app, cid, captions=False)
    url = f"/kandidaten/beheer/{cid}/video/ondertitels/bewerken"
    assert world.am.post_form(url, _rows([("0:00", "0:01", "Hallo")])).status_code == 302
    assert world.am.post_form(url, {**_rows([("0:00", "0:01", "Hello")]), "language": "en"}).status_code == 302
    employer = _employer(world)
    page = html(employer.get(f"/kandidaten/{cid}"))
    tracks = re.findall(r'<track kind="captions" srclang="(\w+)" label="([^"]+)" src="([^"]+)"( default)?>', page)
    assert [(lang, label, bool(default)) for lang, label, _src, default in tracks] == [
        ("nl", "Nederlands", True), ("en", "Engels", False)]
    english = employer.get(tracks[1][2])
    assert english.status_code == 200 and b"Hello" in english.data and english.mimetype == "text/vtt"
    assert b"Hallo" in employer.get(tracks[0][2]).data
    # A language without a track is gone (404) even with this viewer's grant; without a grant the
    # employer is refused first (403, media_grants: a bare URL plays nothing).
    assert employer.get(tracks[1][2].replace("/captions-en.vtt", "/captions-fr.vtt")).status_code == 404
    assert employer.get(f"/video/{profile.id}/{profile.token}/captions-fr.vtt").status_code == 403
    assert employer.get(f"/video/{profile.id}/{profile.token}/captions-en.vtt").status_code == 403
    # Withdrawal removes every track (rows and stored objects).
    assert world.am.post_form(f"/kandidaten/beheer/{cid}/toestemming/intrekken").status_code == 302
    assert world.keys(cid) == []
    assert employer.get(tracks[1][2]).status_code == 404


def test_an_uploaded_vtt_can_be_a_second_language(world):
    cid = world.candidate()
    ready_video(world.app, cid)  # has a Dutch track
    response = world.am.post_form(f"/kandidaten/beheer/{cid}/video/ondertitels", {
        "captions": (io.BytesIO(b"WEBVTT\n\n00:00:00.000 --> 00:00:01.000\nMarhaba\n"), "ar.vtt"), "language": "ar"},
        content_type="multipart/form-data")
    assert response.status_code == 302
    languages = sorted(obj.track_language for obj in world.profile(cid).caption_tracks)
    assert languages == ["ar", "nl"]
    page = html(world.am.get(f"/kandidaten/beheer/{cid}/video"))
    assert 'data-caption-track="ar"' in page and 'data-caption-track="nl"' in page
    # Removing one track keeps the other.
    assert world.am.post_form(f"/kandidaten/beheer/{cid}/video/ondertitels/verwijderen", {"language": "ar"}).status_code == 302
    assert [obj.track_language for obj in world.profile(cid).caption_tracks] == ["nl"]


def test_publishing_a_video_without_captions_asks_for_confirmation(world):
    cid = world.candidate(published=False)
    ready_video(world.app, cid, captions=False)
    preview = html(world.am.get(f"/kandidaten/beheer/{cid}/voorbeeld"))
    assert "data-publish-no-captions" in preview
    refused = world.am.post_form(f"/kandidaten/beheer/{cid}/publiceren")
    assert refused.status_code == 400 and "zonder ondertitels" in html(refused)
    with world.app.app_context():
        assert db.session.get(Candidate, cid).status.value != "published"
    assert world.am.post_form(f"/kandidaten/beheer/{cid}/publiceren", {"without_captions": "y"}).status_code == 302
    with world.app.app_context():
        assert db.session.get(Candidate, cid).status.value == "published"
    # ... and the start page lists it until it has captions.
    home = html(world.am.get("/accountmanager"))
    assert "data-panel-without-captions" in home and f"/kandidaten/beheer/{cid}/video/ondertitels/bewerken" in home
    world.am.post_form(f"/kandidaten/beheer/{cid}/video/ondertitels/bewerken", _rows([("0:00", "0:01", "Hallo")]))
    assert "data-panel-without-captions" not in html(world.am.get("/accountmanager"))


def test_publishing_with_captions_needs_no_extra_step(world):
    cid = world.candidate(published=False)
    ready_video(world.app, cid, captions=True)
    assert "data-publish-no-captions" not in html(world.am.get(f"/kandidaten/beheer/{cid}/voorbeeld"))
    assert world.am.post_form(f"/kandidaten/beheer/{cid}/publiceren").status_code == 302


def _ready_with(world, cid: int, clip: Path, *, duration: float) -> None:
    with world.app.test_request_context():
        storage = services.storage()
        profile = VideoProfile(candidate_id=cid, state=VideoState.READY, upload_content_type="video/mp4",
                               duration_seconds=duration, width=160, height=120, processed_at=db.utcnow())
        db.session.add(profile)
        db.session.flush()
        stored = storage.put_file(profile.key_for(MediaRole.VIDEO), [clip.read_bytes()], "video/mp4")
        profile.objects.append(MediaObject(role=MediaRole.VIDEO, backend=storage.name, key=stored.key,
                                           content_type="video/mp4", size=stored.size))
        db.commit()


def test_track_urls_keep_the_captions_urls_query_string(world):
    """A viewer-bound query string on the captions URL (media grants) carries over to every track."""
    from portal.candidates import video

    cid = world.candidate()
    ready_video(world.app, cid)
    with world.app.test_request_context():
        profile = video.profile_of(cid)
        tracks = video.caption_tracks(profile, f"/video/{profile.id}/{profile.token}/captions.vtt?g=abc.def")
        assert [t["url"] for t in tracks] == [f"/video/{profile.id}/{profile.token}/captions-nl.vtt?g=abc.def"]
        assert video.caption_tracks(profile, None) == []
