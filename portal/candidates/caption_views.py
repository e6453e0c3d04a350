"""The caption editor on the account manager's video page.

    GET  /kandidaten/beheer/<id>/video/ondertitels/bewerken?taal=nl          the track's cues as rows
    POST /kandidaten/beheer/<id>/video/ondertitels/bewerken                  save the rows as WebVTT
    POST /kandidaten/beheer/<id>/video/ondertitels/voorstel                  propose empty cues from the
                                                                             pauses (ffmpeg silencedetect)

Without JavaScript the page is a plain form of cue rows (start, end, text) with a few empty rows to
add cues. static/js/caption-editor.js adds playing a cue, split, merge, shifting and "start/end = now".
Saving writes WebVTT through media.captions (webvtt-py) and stores it with
portal.candidates.video.set_captions, like an uploaded file.
"""
from __future__ import annotations

import os
import re
import tempfile
from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import FieldList, FormField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from media.captions import Cue, parse_cues, write_webvtt
from media.storage import ObjectNotFound, StorageError
from portal import reference
from portal.candidates import video
from portal.candidates.models import Candidate
from portal.candidates.video_models import DEFAULT_CAPTION_LANGUAGE, MediaRole, VideoProfile
from portal.core.access import access, get_visible_or_404
from portal.core.errors import DomainError
from portal.core.forms import PlainForm
from portal.core.i18n import ui_locale
from portal.core.roles import Role
from portal.core.validators import NoControlCharacters
from portal.home.panels import panel

bp = Blueprint("captions", __name__)

EDITORS = (Role.ACCOUNT_MANAGER, Role.ADMIN)
MAX_CUES = 400
EMPTY_ROWS = 3
_TIME_RE = re.compile(r"^\s*(?:(\d{1,2}):)?(\d{1,4}(?:[.,]\d{1,3})?)\s*$")


def parse_time(value: str | None) -> float | None:
    """'1:02,5' / '62.5' / '3' -> seconds; None if it is not a time."""
    match = _TIME_RE.match(value or "")
    if not match:
        return None
    minutes = int(match.group(1) or 0)
    seconds = float(match.group(2).replace(",", "."))
    if match.group(1) is not None and seconds >= 60:
        return None
    return round(minutes * 60 + seconds, 3)


def format_time(seconds: float) -> str:
    minutes, rest = divmod(max(0.0, seconds), 60)
    return f"{int(minutes)}:{rest:06.3f}"


class TimeField(StringField):
    def process_formdata(self, valuelist: list[str]) -> None:
        super().process_formdata(valuelist)
        self.seconds = parse_time(self.data) if self.data else None

    def pre_validate(self, form: Any) -> None:
        if self.data and self.seconds is None:
            raise ValidationError(_l("Schrijf de tijd als 1:02,5 (minuten:seconden) of 62,5 (seconden)."))


class CueRowForm(PlainForm):
    start = TimeField(_l("Begin"), validators=[Optional(), Length(max=12)])
    end = TimeField(_l("Eind"), validators=[Optional(), Length(max=12)])
    text = TextAreaField(_l("Tekst"), validators=[Optional(), Length(max=300), NoControlCharacters()])


class CaptionEditorForm(FlaskForm):
    language = SelectField(_l("Taal van de ondertitels"), validators=[InputRequired()])
    cues = FieldList(FormField(CueRowForm), label=_l("Ondertitels"), min_entries=0, max_entries=MAX_CUES + EMPTY_ROWS)
    source = HiddenField()

    def __init__(self, *args: Any, duration: float | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.duration = duration
        self.language.choices = language_choices()
        self.result: list[Cue] = []

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        cues = []
        limit = (self.duration or 0) + 0.5 if self.duration else None
        for row in self.cues:
            start, end, text = row.form.start, row.form.end, (row.form.text.data or "").strip()
            if not text and not start.data and not end.data:
                continue  # an empty row: nothing to save
            if not text:
                row.form.text.errors.append(str(_l("Typ de tekst van deze ondertitel, of maak de rij helemaal leeg.")))
                ok = False
                continue
            if start.seconds is None or end.seconds is None:
                missing = start if start.seconds is None else end
                if not missing.errors:  # a time that could not be read already says so
                    missing.errors.append(str(_l("Vul begin en eind in.")))
                ok = False
                continue
            if end.seconds <= start.seconds:
                end.errors.append(str(_l("Het eind moet na het begin liggen.")))
                ok = False
                continue
            if limit is not None and end.seconds > limit:
                end.errors.append(str(_l("Het eind ligt na het einde van de video.")))
                ok = False
                continue
            cues.append(Cue(start.seconds, end.seconds, text))
        if ok and not cues:
            self.form_errors.append(str(_l("Er is nog geen ondertitel met tekst om op te slaan.")))
            ok = False
        if len(cues) > MAX_CUES:
            self.form_errors.append(str(_l("Hoogstens %(n)s ondertitels.", n=MAX_CUES)))
            ok = False
        self.result = cues
        return ok


def language_choices() -> list[tuple[str, str]]:
    locale = ui_locale()
    return [(lang.code, lang.label(locale)) for lang in reference.languages()]


def _profile_or_404(candidate_id: int) -> tuple[Candidate, VideoProfile]:
    candidate = get_visible_or_404(Candidate, candidate_id, edit=True)
    profile = video.profile_of(candidate)
    if profile is None or not profile.is_ready:
        abort(404)
    return candidate, profile


def _language(value: str | None) -> str:
    return value if reference.is_language(value) else DEFAULT_CAPTION_LANGUAGE


def existing_cues(profile: VideoProfile, language: str) -> list[Cue]:
    obj = profile.object(MediaRole.CAPTIONS, language)
    if obj is None:
        return []
    try:
        with video._storage().open_read(obj.key) as body:
            return parse_cues(body.read(obj.size + 1).decode("utf-8-sig"))
    except (ObjectNotFound, StorageError, UnicodeDecodeError, ValueError):
        current_app.logger.warning("captions %s could not be read back", obj.key)
        return []


def _fill(form: CaptionEditorForm, cues: list[Cue]) -> None:
    while len(form.cues.entries):
        form.cues.pop_entry()
    for cue in cues[:MAX_CUES]:
        form.cues.append_entry({"start": format_time(cue.start), "end": format_time(cue.end), "text": cue.text})
    for _i in range(EMPTY_ROWS):
        form.cues.append_entry({})


def _render(candidate: Candidate, profile: VideoProfile, form: CaptionEditorForm, language: str, *,
            proposed: bool = False, status: int = 200):
    video.allow_media_origin()
    urls = video.playback_urls(profile)
    tracks = {obj.track_language for obj in profile.caption_tracks}
    return render_template("candidates/caption_editor.html", candidate=candidate, profile=profile, form=form,
                           language=language, video_url=urls["video_url"], poster_url=urls["poster_url"],
                           proposed=proposed, has_track=language in tracks, format_time=format_time), status


@bp.route("/kandidaten/beheer/<int:video_candidate_id>/video/ondertitels/bewerken", methods=["GET", "POST"])
@access(*EDITORS)
def editor(video_candidate_id: int):
    candidate, profile = _profile_or_404(video_candidate_id)
    form = CaptionEditorForm(duration=profile.duration_seconds)
    if request.method == "GET":
        language = _language(request.args.get("taal"))
        form.language.data = language
        _fill(form, existing_cues(profile, language))
        return _render(candidate, profile, form, language)
    language = _language(form.language.data)
    if form.validate_on_submit():
        data = write_webvtt(form.result).encode("utf-8")
        try:
            video.set_captions(profile, current_user, data, language)
        except DomainError as exc:
            form.form_errors.append(exc.message)
        else:
            label = dict(language_choices()).get(language, language)
            flash(_("De ondertitels (%(language)s) zijn opgeslagen: %(n)s regels.", language=label, n=len(form.result)),
                  "success")
            return redirect(url_for("video.manage", video_candidate_id=candidate.id))
    if not any(not (row.form.start.data or row.form.end.data or row.form.text.data) for row in form.cues):
        for _i in range(EMPTY_ROWS):
            form.cues.append_entry({})
    return _render(candidate, profile, form, language, status=400)


@bp.route("/kandidaten/beheer/<int:video_candidate_id>/video/ondertitels/voorstel", methods=["POST"])
@access(*EDITORS)
def propose(video_candidate_id: int):
    """Empty cues from the pauses in the speech; nothing is saved until the editor form is."""
    from media.cues import CueDetectionFailed, propose_cues

    candidate, profile = _profile_or_404(video_candidate_id)
    form = CaptionEditorForm(duration=profile.duration_seconds)
    language = _language(request.form.get("language"))
    if not _csrf_ok(form):
        abort(400)
    form.language.data = language
    obj = profile.video
    timeout = float(current_app.config.get("CAPTION_PROPOSAL_TIMEOUT", 60))
    cues: list[Cue] = []
    try:
        with tempfile.TemporaryDirectory(prefix="portal-cues-") as tmp:
            path = os.path.join(tmp, "video.mp4")
            with video._storage().open_read(obj.key) as body, open(path, "wb") as out:
                while chunk := body.read(1024 * 1024):
                    out.write(chunk)
            cues = propose_cues(path, timeout=timeout, duration=profile.duration_seconds)
    except (ObjectNotFound, StorageError, CueDetectionFailed, OSError, TimeoutError) as exc:
        current_app.logger.warning("caption proposal for video %s failed: %s", profile.id, exc)
        form.form_errors.append(_("De pauzes in de video konden niet worden gevonden. Vul de tijden zelf in."))
    except Exception as exc:  # noqa: BLE001  (subprocess.TimeoutExpired and the like: never a 500)
        current_app.logger.warning("caption proposal for video %s failed: %s", profile.id, exc)
        form.form_errors.append(_("De pauzes in de video konden niet worden gevonden. Vul de tijden zelf in."))
    existing = existing_cues(profile, language)
    if cues:
        # Keep text already typed where a proposed cue overlaps an existing one.
        for cue in cues:
            cue.text = " ".join(c.text for c in existing if c.start < cue.end and c.end > cue.start)
    _fill(form, cues or existing)
    return _render(candidate, profile, form, language, proposed=bool(cues))


def _csrf_ok(form: FlaskForm) -> bool:
    form.csrf_token.validate(form)
    return not form.csrf_token.errors


# -- start page --------------------------------------------------------------------------------

def published_without_captions(owner: Any) -> list[VideoProfile]:
    """The owner's published candidates whose ready video has no captions track at all."""
    from sqlalchemy import exists, select

    from portal.candidates.models import CandidateStatus
    from portal.candidates.video_models import MediaObject, VideoState
    from portal.core import db

    has_captions = exists().where(MediaObject.video_profile_id == VideoProfile.id, MediaObject.role == MediaRole.CAPTIONS)
    query = (
        select(VideoProfile).join(Candidate, Candidate.id == VideoProfile.candidate_id)
        .where(Candidate.owner_id == owner.id, Candidate.status == CandidateStatus.PUBLISHED,
               VideoProfile.state == VideoState.READY, ~has_captions)
        .order_by(Candidate.first_name, Candidate.id)
    )
    return list(db.session.scalars(query))


@panel(Role.ACCOUNT_MANAGER, order=27)
def _panel_without_captions(user: Any):
    profiles = published_without_captions(user)
    if not profiles:
        return None
    return "candidates/panel_without_captions.html", {"profiles": profiles}
