"""Video profiles: the account manager's video page, the upload endpoints and playback.

Staff (account managers and admins edit; WSP staff look):
    GET  /kandidaten/beheer/<id>/video                  page: state, player, upload/record, captions
    POST /kandidaten/beheer/<id>/video/upload           JSON: {content_type, size} -> upload ticket
    PUT  /media/upload                                  local storage only: streams the body to disk
    POST /kandidaten/beheer/<id>/video/upload/klaar     JSON: {key} -> queued for processing
    GET  /kandidaten/beheer/<id>/video/status           JSON: state for the page's polling
    POST /kandidaten/beheer/<id>/video/opnieuw          retry a failed transcode
    POST /kandidaten/beheer/<id>/video/ondertitels      WebVTT upload (works without JavaScript)
    POST /kandidaten/beheer/<id>/video/ondertitels/verwijderen
    POST /kandidaten/beheer/<id>/video/verwijderen
Playback (employers in consent scope with video allowed, and staff):
    GET  /video/<video_id>/<token>/video.mp4 | poster.jpg | captions.vtt
         S3: 302 to a short-lived presigned URL; local: range responses (206).
"""
from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField
from wtforms.validators import Optional
from werkzeug.exceptions import RequestEntityTooLarge

from media.serving import playback_response
from media.storage import UPLOAD_TOKEN_HEADER, InvalidUploadToken, ObjectNotFound, StorageError, UploadTooLarge, verify_upload_token
from portal.candidates import video
from portal.candidates import video_demo as _video_demo  # noqa: F401  (registers the demo extension)
from portal.candidates.models import Candidate
from portal.candidates.video_models import MediaRole, VideoProfile, VideoState
from portal.core import db
from portal.core.access import access, get_visible_or_404
from portal.core.errors import DomainError
from portal.core.hardening import accepts_json, json_object
from portal.core.roles import Role
from portal.core.views import render_form, show_domain_error

bp = Blueprint("video", __name__)

STAFF = (Role.ACCOUNT_MANAGER, Role.WSP, Role.ADMIN)
EDITORS = (Role.ACCOUNT_MANAGER, Role.ADMIN)
EVERY_ROLE = (Role.EMPLOYER, Role.ACCOUNT_MANAGER, Role.WSP, Role.ADMIN)


class CaptionsForm(FlaskForm):
    captions = FileField(_l("Ondertitelbestand (WebVTT, .vtt)"), validators=[FileRequired(_l("Kies een .vtt-bestand."))])
    language = SelectField(_l("Taal van de ondertitels"), default="nl", validators=[Optional()])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from portal.candidates.caption_views import language_choices

        super().__init__(*args, **kwargs)
        self.language.choices = language_choices()


class ConfirmForm(FlaskForm):
    pass


def _candidate(candidate_id: int, *, edit: bool = False) -> Candidate:
    return get_visible_or_404(Candidate, candidate_id, edit=edit)


def _status(profile: VideoProfile | None) -> dict[str, Any]:
    if profile is None:
        return {"state": None, "label": _("Nog geen video"), "busy": False}
    data: dict[str, Any] = {
        "state": profile.state.value,
        "label": profile.state.label,
        "busy": profile.state.busy,
        "message": video.failure_message(profile.failure_code) if profile.state == VideoState.FAILED else "",
        "retryable": profile.retryable,
    }
    if profile.is_ready:
        data.update(video.video_summary(profile) or {})
    return data


def _page(candidate: Candidate, captions_form: CaptionsForm | None = None, status: int = 200):
    profile = video.profile_of(candidate)
    video.allow_media_origin()
    return render_template(
        "candidates/video_manage.html", candidate=candidate, profile=profile, status=_status(profile),
        consent=candidate.valid_consent, video_allowed=video.video_consent_ok(candidate),
        can_edit=candidate.can_edit(current_user), captions_form=captions_form or CaptionsForm(),
        confirm_form=ConfirmForm(), max_bytes=video.max_bytes(), max_mb=video.max_bytes() // (1024 * 1024),
        max_minutes=f"{video.max_seconds() / 60:g}", summary=video.video_summary(profile),
    ), status


@bp.route("/kandidaten/beheer/<int:video_candidate_id>/video")
@access(*STAFF)
def manage(video_candidate_id: int):
    return _page(_candidate(video_candidate_id))


def _json_error(exc: DomainError, status: int = 400):
    return jsonify({"error": exc.message, "field": exc.field}), status


@bp.route("/kandidaten/beheer/<int:video_candidate_id>/video/upload", methods=["POST"])
@access(*EDITORS)
@accepts_json
def start_upload(video_candidate_id: int):
    candidate = _candidate(video_candidate_id, edit=True)
    data = json_object()
    try:
        profile, ticket = video.start_upload(candidate, current_user, content_type=data.get("content_type"),
                                             size=data.get("size"))
    except DomainError as exc:
        return _json_error(exc)
    return jsonify({
        "method": ticket.method, "url": ticket.url, "fields": ticket.fields, "headers": ticket.headers,
        "file_field": ticket.file_field, "key": ticket.key, "content_type": ticket.content_type,
        "max_bytes": ticket.max_bytes, "expires_at": ticket.expires_at,
        "complete_url": url_for("video.complete_upload", video_candidate_id=candidate.id),
        "status_url": url_for("video.status", video_candidate_id=candidate.id),
    })


_UPLOAD_KEY_RE = re.compile(r"/(\d+)/video/[0-9a-f]+/original$")


def _upload_refused(message: str, status: int):
    return jsonify({"error": message}), status


@bp.route("/media/upload", methods=["PUT"])
@access(*EDITORS)
def receive_upload():
    """Local storage: stream the request body to disk in chunks, within the signed limit.

    CSRF-exempt: the signed, expiring upload token (only handed out by a CSRF-protected POST
    to a logged-in account manager) is the proof of intent; and reading a form here would
    trip the app-wide 16 MB request limit before the video limit could apply.
    """
    storage = video._storage()
    if storage.name != "local":
        abort(404)
    try:
        grant = verify_upload_token(current_app.config["SECRET_KEY"], request.headers.get(UPLOAD_TOKEN_HEADER, ""))
    except InvalidUploadToken:
        return _upload_refused(_("Deze upload is niet (meer) geldig. Begin opnieuw."), 400)
    match = _UPLOAD_KEY_RE.search(grant.key)
    profile = video.profile_of(int(match.group(1))) if match else None
    if profile is None or profile.state != VideoState.AWAITING_UPLOAD or profile.key_for(MediaRole.ORIGINAL) != grant.key or not profile.can_edit(current_user):
        return _upload_refused(_("Deze upload is niet (meer) geldig. Begin opnieuw."), 400)
    if request.mimetype != grant.content_type:
        return _upload_refused(_("Het bestandstype klopt niet met de aangevraagde upload."), 400)
    too_large = video.failure_message("too_large")
    length = request.content_length
    if length is None and not request.environ.get("wsgi.input_terminated"):
        return _upload_refused(_("De lengte van de upload ontbreekt."), 411)
    if length is not None and length > grant.max_bytes:
        return _upload_refused(too_large, 413)  # refused before a single byte is read
    request.max_content_length = grant.max_bytes
    try:
        stored = storage.receive_upload(grant.key, request.stream, grant.max_bytes, grant.content_type)
    except (UploadTooLarge, RequestEntityTooLarge):
        return _upload_refused(too_large, 413)
    except StorageError:
        current_app.logger.exception("local upload failed")
        return _upload_refused(video.failure_message("storage_unavailable"), 503)
    return jsonify({"key": stored.key, "size": stored.size}), 201


@bp.route("/kandidaten/beheer/<int:video_candidate_id>/video/upload/klaar", methods=["POST"])
@access(*EDITORS)
@accepts_json
def complete_upload(video_candidate_id: int):
    candidate = _candidate(video_candidate_id, edit=True)
    data = json_object()
    try:
        profile = video.complete_upload(candidate, current_user, key=str(data.get("key", "")))
    except DomainError as exc:
        return _json_error(exc)
    return jsonify({**_status(profile), "status_url": url_for("video.status", video_candidate_id=candidate.id)})


@bp.route("/kandidaten/beheer/<int:video_candidate_id>/video/status")
@access(*STAFF)
def status(video_candidate_id: int):
    candidate = _candidate(video_candidate_id)
    return jsonify(_status(video.profile_of(candidate)))


@bp.route("/kandidaten/beheer/<int:video_candidate_id>/video/opnieuw", methods=["POST"])
@access(*EDITORS)
def retry(video_candidate_id: int):
    candidate = _candidate(video_candidate_id, edit=True)
    profile = video.profile_of(candidate)
    if profile is None:
        abort(404)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        video.retry(profile, current_user)
    except DomainError as exc:
        flash(exc.message, "error")
        return _page(candidate, status=400)
    flash(_("De video wordt opnieuw verwerkt."), "success")
    return redirect(url_for("video.manage", video_candidate_id=candidate.id))


@bp.route("/kandidaten/beheer/<int:video_candidate_id>/video/ondertitels", methods=["POST"])
@access(*EDITORS)
def captions(video_candidate_id: int):
    candidate = _candidate(video_candidate_id, edit=True)
    profile = video.profile_of(candidate)
    form = CaptionsForm()
    if form.validate_on_submit():
        if profile is None:
            abort(404)
        try:
            video.set_captions(profile, current_user, form.captions.data.read(video_captions_limit() + 1),
                               form.language.data or "nl")
        except DomainError as exc:
            show_domain_error(form, exc)
        else:
            flash(_("De ondertitels zijn toegevoegd."), "success")
            return redirect(url_for("video.manage", video_candidate_id=candidate.id))
    return _page(candidate, form, status=400)


def video_captions_limit() -> int:
    from media.captions import MAX_CAPTION_BYTES

    return MAX_CAPTION_BYTES


@bp.route("/kandidaten/beheer/<int:video_candidate_id>/video/ondertitels/verwijderen", methods=["POST"])
@access(*EDITORS)
def delete_captions(video_candidate_id: int):
    candidate = _candidate(video_candidate_id, edit=True)
    profile = video.profile_of(candidate)
    if profile is None:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    language = request.form.get("language") or None
    video.remove_captions(profile, current_user, language)
    flash(_("De ondertitels zijn verwijderd."), "success")
    return redirect(url_for("video.manage", video_candidate_id=candidate.id))


@bp.route("/kandidaten/beheer/<int:video_candidate_id>/video/verwijderen", methods=["POST"])
@access(*EDITORS)
def delete(video_candidate_id: int):
    candidate = _candidate(video_candidate_id, edit=True)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if video.delete_video(candidate, current_user, reason="manual"):
        flash(_("De video is verwijderd."), "success")
    return redirect(url_for("video.manage", video_candidate_id=candidate.id))


# -- playback --------------------------------------------------------------------------------

_GRANT_FILES = {MediaRole.VIDEO: "video", MediaRole.POSTER: "poster", MediaRole.CAPTIONS: "captions"}
#: Playing a video or reading its captions is seeing the candidate: counted and audited for employers.
_COUNTED = {MediaRole.VIDEO: "video", MediaRole.CAPTIONS: "captions"}


def _playable_or_404(video_id: int, token: str, role: MediaRole):
    from portal.candidates.media_grants import grant_ok

    profile = db.session.get(VideoProfile, video_id)
    if profile is None or profile.token != token or not video.can_play(profile, current_user):
        abort(404)  # out of scope, consent ended, replaced video: a stale URL is simply gone
    if current_user.role == Role.EMPLOYER and not grant_ok(request.args.get("g"), video_id, token, _GRANT_FILES[role], current_user):
        abort(403)  # not this viewer's URL, not this file's, or expired: open the candidate's page again
    obj = profile.object(role)
    if obj is None:
        abort(404)
    if current_user.role == Role.EMPLOYER and role in _COUNTED:
        # Every request of the video or its captions, whatever its Range: a play may start at any
        # byte (a client that asks for bytes=1- first must not watch uncounted). Seeking within a
        # play is the same view: record_employer_view writes nothing again within the repeat window.
        from portal.candidates.employer_views import record_employer_view, ViewRateLimited

        try:
            record_employer_view(current_user, profile.candidate, via=_COUNTED[role])
        except ViewRateLimited:
            abort(429)
    return profile, obj


def _serve(video_id: int, video_token: str, role: MediaRole):
    _profile, obj = _playable_or_404(video_id, video_token, role)
    storage = video._storage()
    try:
        response = playback_response(storage, obj.key, request, obj.content_type)
    except ObjectNotFound:
        abort(404)
    # Never cached: after withdrawal the same URL must not play from a cache either.
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/video/<int:video_id>/<video_token>/video.mp4")
@access(*EVERY_ROLE)
def play(video_id: int, video_token: str):
    return _serve(video_id, video_token, MediaRole.VIDEO)


@bp.route("/video/<int:video_id>/<video_token>/poster.jpg")
@access(*EVERY_ROLE)
def poster(video_id: int, video_token: str):
    return _serve(video_id, video_token, MediaRole.POSTER)


@bp.route("/video/<int:video_id>/<video_token>/captions.vtt")
@bp.route("/video/<int:video_id>/<video_token>/captions-<caption_language>.vtt")
@access(*EVERY_ROLE)
def captions_file(video_id: int, video_token: str, caption_language: str | None = None):
    """Always through the portal (a cross-origin <track> would need CORS); small, read whole.

    ``captions.vtt`` is the first (default) track; ``captions-<language>.vtt`` one language's track.
    """
    profile, obj = _playable_or_404(video_id, video_token, MediaRole.CAPTIONS)
    if caption_language is not None:
        obj = profile.object(MediaRole.CAPTIONS, caption_language) or abort(404)
    try:
        with video._storage().open_read(obj.key) as body:
            data = body.read(obj.size + 1)
    except ObjectNotFound:
        abort(404)
    response = current_app.response_class(data, mimetype="text/vtt")
    response.charset = "utf-8"
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _register_csrf_exemption() -> None:
    from portal import csrf

    csrf.exempt(receive_upload)


_register_csrf_exemption()


@bp.app_template_global("video_profile_of")
def _video_profile_of(candidate: Candidate) -> VideoProfile | None:
    return video.profile_of(candidate)
