"""In a real browser (Chromium): consent in Arabic, the printed sheet, captions with the editor, the
employer's player with the track, and the candidate's own withdrawal with the code on the sheet.

Leaves test-artifacts/consent-sheet-ar.png (screen) and consent-sheet-ar.pdf (print, A4) to look at.
"""
from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select

from portal.core import db, services
from tests.media.conftest import ffmpeg
from tests.plugins.services import ARTIFACTS_DIR

pytestmark = pytest.mark.browser


def _login(page, base, email):
    page.goto(f"{base}/login")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill("demo-portal")
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(re.compile(r".*/(accountmanager|werkgever)$"))


def _logout(page):
    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_load_state()


def _candidate_with_a_ready_video(app, clip) -> int:
    """A candidate of the demo account manager, no consent yet, and a processed clip (tone–pause–tone)."""
    from portal.accounts.models import User
    from portal.candidates import operations
    from portal.candidates.operations import LanguageInput
    from portal.candidates.video_demo import DEMO_JOB
    from portal.candidates.video_models import MediaObject, MediaRole, VideoProfile, VideoState
    from portal.core.jobs import Job

    with app.test_request_context():
        owner = db.session.scalar(select(User).where(User.email == "accountmanager@demo.test"))
        candidate = operations.create_candidate(
            owner, owner=owner, confirm_duplicate=True,
            fields=dict(first_name="Rania", surname="Zichtbaarniet", date_of_birth=dt.date(1991, 6, 1), municipality="Zaanstad",
                        postcode_area="1506", mobility=["bike"], availability=["mon_morning"], hours_per_week=16,
                        ambitions="Ik wil in de zorg werken.", support_needs=""),
            languages=[LanguageInput("ar", True, dict(listening=6, reading=6, spoken_interaction=6, spoken_production=6, writing=6))],
        )
        for job in db.session.scalars(select(Job).where(Job.name == DEMO_JOB)):
            job.run_after = db.utcnow() + dt.timedelta(days=1)  # the demo set's own videos wait
        db.session.flush()
        storage = services.storage()
        profile = VideoProfile(candidate_id=candidate.id, state=VideoState.READY, upload_content_type="video/mp4",
                               duration_seconds=5.0, width=160, height=120, processed_at=db.utcnow())
        db.session.add(profile)
        db.session.flush()
        stored = storage.put_file(profile.key_for(MediaRole.VIDEO), [clip.read_bytes()], "video/mp4")
        profile.objects.append(MediaObject(role=MediaRole.VIDEO, backend=storage.name, key=stored.key,
                                           content_type="video/mp4", size=stored.size))
        db.commit()
        return candidate.id


def test_arabic_consent_sheet_captions_and_withdrawal_by_code(live_portal, page, tmp_path):
    app, base = live_portal
    clip = tmp_path / "pauses.mp4"
    ffmpeg("-f", "lavfi", "-i", "testsrc2=size=160x120:rate=10:duration=5", "-f", "lavfi", "-i",
           "aevalsrc='if(between(t,1.8,2.8),0,0.5*sin(2*PI*440*t))':s=44100:d=5",
           "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest",
           "-movflags", "+faststart", str(clip))
    cid = _candidate_with_a_ready_video(app, clip)

    # -- the account manager records consent in Arabic and prints the sheet --------------------------
    _login(page, base, "accountmanager@demo.test")
    page.goto(f"{base}/kandidaten/beheer/{cid}/toestemming")
    page.get_by_label("Toon de tekst in").select_option("ar")
    page.get_by_role("button", name="Tonen").click()
    text = page.locator("[data-consent-text]")
    assert text.get_attribute("lang") == "ar" and page.evaluate("e => getComputedStyle(e).direction", text.element_handle()) == "rtl"
    assert page.locator("[data-translation-unchecked]").count() == 1
    page.get_by_label("Taal waarin de tekst is getoond en uitgelegd").select_option("ar")
    page.get_by_label("De toestemmingstekst is met de kandidaat besproken", exact=False).check()
    page.get_by_label("De kandidaat geeft ook toestemming voor een video").check()
    page.get_by_role("button", name="Toestemming vastleggen").click()
    page.wait_for_url(re.compile(r".*/toestemming/blad$"))

    sheet = page.locator("[data-consent-sheet]")
    assert sheet.get_attribute("lang") == "ar"
    assert page.evaluate("e => getComputedStyle(e).direction", sheet.element_handle()) == "rtl"
    assert page.locator("[data-sheet-first-name]").inner_text() == "Rania"
    assert "Zichtbaarniet" not in sheet.inner_text()
    page.evaluate("document.fonts.ready")
    loaded = page.evaluate("""() => [...document.fonts].filter(f => f.status === 'loaded').map(f => f.family)""")
    assert any("Noto Sans Arabic" in family for family in loaded), loaded  # the portal's own web font, not a fallback
    code = page.locator("[data-sheet-code]").inner_text()
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}", code)
    assert page.locator(".consent-sheet__qr svg").count() == 1
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS_DIR / "consent-sheet-ar.png"), full_page=True)
    page.emulate_media(media="print")
    assert page.locator(".site-header").is_hidden()
    page.screenshot(path=str(ARTIFACTS_DIR / "consent-sheet-ar-print.png"), full_page=True)
    pdf = page.pdf(format="A4", print_background=True)
    (ARTIFACTS_DIR / "consent-sheet-ar.pdf").write_bytes(pdf)
    assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf)) == 1  # one A4
    page.emulate_media(media="screen")

    # -- captions with the editor ----------------------------------------------------------------
    page.goto(f"{base}/kandidaten/beheer/{cid}/video")
    page.get_by_role("link", name="Ondertitels maken met de editor").click()
    page.get_by_role("button", name="Tijden voorstellen uit de pauzes").click()
    page.wait_for_selector("text=ondertitels voorgesteld")
    starts = page.locator("[data-caption-start]")
    assert starts.nth(0).input_value() == "0:00.000" and starts.nth(1).input_value().startswith("0:02.")
    texts = page.locator("[data-caption-text]")
    texts.nth(0).fill("مرحبا، أنا رانيا.")
    texts.nth(1).fill("Ik wil in de zorg werken.")
    # Split the second cue in the middle and merge it back: the rows follow.
    row_count = page.locator("[data-caption-row]").count()
    page.locator("[data-caption-row]").nth(1).get_by_role("button", name="Splitsen").click()
    assert page.locator("[data-caption-row]").count() == row_count + 1
    page.locator("[data-caption-row]").nth(1).get_by_role("button", name="Samenvoegen met volgende").click()
    assert page.locator("[data-caption-row]").count() == row_count
    assert texts.nth(1).input_value() == "Ik wil in de zorg werken."
    page.locator("[data-caption-row]").nth(1).get_by_role("button", name="0,1 s later").click()
    page.screenshot(path=str(ARTIFACTS_DIR / "caption-editor.png"), full_page=True)
    page.get_by_role("button", name="Ondertitels opslaan").click()
    page.wait_for_selector("text=zijn opgeslagen: 2 regels")

    page.goto(f"{base}/kandidaten/beheer/{cid}/voorbeeld")
    page.get_by_role("button", name="Publiceren voor werkgevers").click()
    page.wait_for_selector("text=Het profiel is gepubliceerd")
    _logout(page)

    # -- the employer sees the captions in the player ----------------------------------------------
    _login(page, base, "employer@demo.test")
    page.goto(f"{base}/kandidaten")
    card = page.locator("article.candidate-card", has_text="Rania Z.")
    card.get_by_role("link", name="Rania Z.").click()
    video = page.locator("video.video-player__video")
    page.wait_for_function("v => v.querySelector('track') && v.querySelector('track').readyState === 2",
                           arg=video.element_handle(), timeout=10_000)
    track = page.evaluate("""v => ({kind: v.textTracks[0].kind, lang: v.textTracks[0].language,
                                     cues: [...v.textTracks[0].cues].map(c => [c.startTime, c.text])})""", video.element_handle())
    assert track["kind"] == "captions" and track["lang"] == "nl"
    assert [text for _start, text in track["cues"]] == ["مرحبا، أنا رانيا.", "Ik wil in de zorg werken."]
    assert abs(track["cues"][1][0] - 2.9) < 0.35
    _logout(page)

    # -- Tigrinya (Ethiopic script) gets its web font too ------------------------------------------
    page.goto(f"{base}/toestemming-stoppen?taal=ti")
    page.evaluate("document.fonts.ready")
    loaded = page.evaluate("""() => [...document.fonts].filter(f => f.status === 'loaded').map(f => f.family)""")
    assert any("Noto Sans Ethiopic" in family for family in loaded), loaded
    page.screenshot(path=str(ARTIFACTS_DIR / "withdraw-page-ti.png"))

    # -- the candidate withdraws with the code (no account) ------------------------------------------
    page.goto(f"{base}/toestemming-stoppen?taal=ar")
    assert page.locator(".withdraw-page").get_attribute("dir") == "rtl"
    page.locator("#code").fill(code.lower())
    page.locator("form button").last.click()
    assert "Rania" in page.locator("[data-withdraw-confirm]").inner_text()
    assert "Zichtbaarniet" not in page.content() and "Zaanstad" not in page.content()
    page.screenshot(path=str(ARTIFACTS_DIR / "withdraw-page-ar.png"))
    page.locator("form button.button--danger").click()
    page.wait_for_selector("[data-withdraw-done]")

    _login(page, base, "employer@demo.test")
    page.goto(f"{base}/kandidaten")
    assert page.locator("article.candidate-card", has_text="Rania Z.").count() == 0
    with app.app_context():
        from portal.candidates import video as video_ops
        from portal.core.mail import MailMessage

        assert video_ops.profile_of(cid) is None
        assert db.session.scalar(select(MailMessage).where(MailMessage.template == "consent_withdrawn_by_candidate")) is not None
