"""Werkportaal: employer portal and vacancy marketplace for Dutch municipalities.

`create_app()` builds the Flask app: configuration, database transaction per request, access
control, CSRF, languages, blueprints per area and the CLI.
"""
from __future__ import annotations

import secrets
import threading
from collections.abc import Mapping
from typing import Any

from flask import Flask, current_app, g, has_request_context, render_template, request
from flask_babel import Babel
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager
from flask_wtf.csrf import CSRFError, CSRFProtect
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from werkzeug.exceptions import HTTPException

from config.settings import DEMO_EMAIL_DOMAIN, INSTANCE_PATH, PROJECT_ROOT, UnsafeConfiguration, check_production_config, load_config
from portal.core import access, db, hardening, i18n, jobs, navigation, widgets
from portal.core.roles import Role

csrf = CSRFProtect()
babel = Babel()
login_manager = LoginManager()

#: The areas of the portal, in menu order. Each module defines `bp` and registers its models,
#: jobs, navigation entries and start-page panels on import.
AREAS = (
    "portal.public.views",
    "portal.accounts.views",
    "portal.home.views",
    "portal.wsp.views",
    "portal.admin.views",
    "portal.events.views",
    "portal.placements.views",
    "portal.candidates.views",
    "portal.candidates.region_views",
    "portal.candidates.video_views",
    "portal.candidates.withdrawal_views",
    "portal.candidates.caption_views",
    "portal.meetings.views",
    "portal.matching.views",
    "portal.trajects.views",
    "portal.casefile.views",
    "portal.aftercare.views",
    "portal.results.views",
    "portal.api.views",
    "portal.api.routes",
)


def _user_statement() -> Any:
    """The signed-in user with its organisation (employers' pages all ask for it): one statement, built
    once per app so SQLAlchemy does not compute its cache key again on every request."""
    from sqlalchemy import bindparam, select
    from sqlalchemy.orm import joinedload

    from portal.accounts.models import User

    return select(User).options(joinedload(User.organisation)).where(User.id == bindparam("user_id"))


def _register_navigation() -> None:
    staff = {Role.WSP, Role.ADMIN}
    navigation.nav_item("wsp.organisations", _l("Organisaties"), staff, order=80)
    navigation.nav_item("wsp.invitations", _l("Uitnodigen"), staff, order=85)
    navigation.nav_item("wsp.own_organisation", _l("Mijn organisatie"), {Role.EMPLOYER}, order=90)
    navigation.nav_item("admin.users", _l("Gebruikers"), {Role.ADMIN}, order=91)
    navigation.nav_item("admin.audit_log", _l("Auditlog"), {Role.ADMIN}, order=92)
    navigation.nav_item("admin.mail_log", _l("Maillog"), {Role.ADMIN}, order=93)


def _security_headers(response: Any) -> Any:
    storage_origin = g.get("csp_media_origin", "")
    media = f"'self' blob: {storage_origin}".strip()
    response.headers.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; script-src 'self'; style-src 'self'; object-src 'none'; base-uri 'self'; "
        f"frame-ancestors 'none'; form-action 'self'; img-src 'self' data: {media}; media-src {media}; "
        f"connect-src 'self' {storage_origin}".strip(),
    )
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    max_age = int(current_app.config.get("HSTS_MAX_AGE_SECONDS") or 0)
    if max_age and (request.is_secure or current_app.config.get("PREFERRED_URL_SCHEME") == "https"):
        response.headers.setdefault("Strict-Transport-Security", f"max-age={max_age}; includeSubDomains")
    if request.endpoint not in (None, "static"):
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def _refuse_demo_accounts_in_production(app: Flask) -> None:
    from portal.accounts.models import User

    with app.app_context():
        try:
            count = db.session.scalar(select(func.count(User.id)).where(User.email.like(f"%@{DEMO_EMAIL_DOMAIN}")))
        except OperationalError as exc:
            db.session.rollback()
            if _no_schema_yet(exc):
                return  # `flask db upgrade` comes first; it runs with this very check
            raise UnsafeConfiguration(
                "Refusing to start in production: the database cannot be reached to check for demo accounts "
                f"({type(exc.orig).__name__ if exc.orig is not None else type(exc).__name__})"
            ) from exc
        except SQLAlchemyError:
            db.session.rollback()
            return  # no schema yet (no users table): `flask db upgrade` comes first
        finally:
            db.session.remove()
    if count:
        raise UnsafeConfiguration(
            f"Refusing to start in production: {count} demo account(s) (@{DEMO_EMAIL_DOMAIN}) exist; "
            "remove them with `flask demo remove`"
        )


def _no_schema_yet(exc: OperationalError) -> bool:
    """SQLite says "no such table" with an OperationalError; a refused connection is something else."""
    return "no such table" in str(exc).lower()


def _error_handlers(app: Flask) -> None:
    from portal.api.problems import ApiProblem, is_api_request, problem_for_exception

    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError):
        if is_api_request():
            return problem_for_exception(exc)
        return render_template("errors/error.html", code=400, title=_l("Formulier verlopen"),
                               message=_l("Het formulier was verlopen of onvolledig. Laad de pagina opnieuw en probeer het nog eens.")), 400

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        if exc.code is None or exc.code < 400:
            return exc
        if is_api_request():
            return problem_for_exception(exc)
        titles = {
            400: _l("Ongeldig verzoek"), 403: _l("Geen toegang"), 404: _l("Pagina niet gevonden"),
            405: _l("Methode niet toegestaan"), 413: _l("Bestand te groot"), 429: _l("Te veel verzoeken"),
        }
        messages = {
            403: _l("U heeft geen toegang tot deze pagina."),
            404: _l("Deze pagina bestaat niet (meer), of u heeft er geen toegang toe."),
            429: _l("U heeft te veel verzoeken gedaan. Wacht even en probeer het opnieuw."),
        }
        response = exc.get_response()
        response.data = render_template(
            "errors/error.html", code=exc.code, title=titles.get(exc.code, _l("Er ging iets mis")),
            message=getattr(exc, "portal_message", None) or messages.get(exc.code, _l("Het verzoek kon niet worden verwerkt.")),
        )
        response.content_type = "text/html; charset=utf-8"
        return response

    @app.errorhandler(OperationalError)
    def database_busy(exc: OperationalError):
        """A lock wait gave up (many simultaneous bookings): "busy, try again", nothing saved."""
        from portal.core.locking import is_lock_error

        if not is_lock_error(exc):
            raise exc
        app.logger.warning("database busy: %s", exc)
        db.rollback()
        if is_api_request():
            return problem_for_exception(ApiProblem("service-unavailable", headers={"Retry-After": "5"}))
        if "_login_user" not in g:  # the user could not even be loaded: render without touching the database
            g._login_user = login_manager.anonymous_user()
        return render_template("errors/error.html", code=503, title=_l("Even druk"),
                               message=_l("Het is op dit moment erg druk. Probeer het over een paar seconden opnieuw.")), 503

    @app.errorhandler(500)
    def server_error(exc: Exception):
        if is_api_request():
            return problem_for_exception(exc)
        return render_template("errors/error.html", code=500, title=_l("Er ging iets mis"),
                               message=_l("Er ging aan onze kant iets mis. Uw wijziging is niet opgeslagen. Probeer het later opnieuw.")), 500


class PortalFlask(Flask):
    """Flask whose views run through `portal.core.db.dispatch`: a request that began as a read
    and was refused the upgrade to a write runs once more as a write request (SQLite)."""

    request_class = i18n.PortalRequest

    def dispatch_request(self) -> Any:
        return db.dispatch(self.preprocess_request, super().dispatch_request)


def create_app(overrides: Mapping[str, Any] | None = None, *, environ: Mapping[str, str] | None = None,
               db_bind: Any | None = None) -> Flask:
    config = load_config(environ, overrides)
    check_production_config(config)
    app = PortalFlask(
        __name__,
        instance_path=str(INSTANCE_PATH),
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder="static",
    )
    app.config.from_mapping(config)
    hardening.init_app(app)  # before the blueprints: the bounded `int` converter and the request guard
    hops = int(app.config.get("TRUSTED_PROXY_HOPS") or 0)
    if hops > 0:  # the client address, scheme and host as the trusted reverse proxies saw them
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]
    INSTANCE_PATH.mkdir(parents=True, exist_ok=True)

    i18n.compile_catalogues()
    babel.init_app(app, locale_selector=i18n.select_locale)
    i18n.install_request_translations(babel, app)
    app.config["WTF_I18N_ENABLED"] = True
    db.init_app(app, bind=db_bind)

    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Log in om deze pagina te bekijken.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    _USER_STATEMENT = _user_statement()

    @login_manager.user_loader
    def load_user(value: str):
        user_id, _sep, fingerprint = value.partition(":")
        if not user_id.isdigit():
            return None
        # with the user's organisation (employers' pages all ask for it): one statement, not two
        user = db.session.scalars(_USER_STATEMENT, {"user_id": int(user_id)}).first()
        if user is None or not user.active or not secrets.compare_digest(fingerprint, user.session_fingerprint):
            return None
        return user

    # Order matters: refuse by access rule first, then check CSRF.
    app.before_request(access.check_access)
    csrf.init_app(app)
    widgets.install()
    app.after_request(_security_headers)
    _error_handlers(app)

    for module_name in AREAS:
        module = __import__(module_name, fromlist=["bp"])
        app.register_blueprint(module.bp)
    _register_navigation()

    _template_helpers(app)

    @app.context_processor
    def _template_globals() -> dict[str, Any]:
        from flask_login import current_user

        from portal.accounts.forms import LocaleForm

        if not has_request_context():  # mails rendered by the worker or the CLI
            return {"Role": Role}
        return {
            "nav_items": navigation.items_for(current_user),
            # formdata=None: a display-only form never reads the request body (which may be refused, 413)
            "locale_form": _LocaleSwitch(lambda: LocaleForm(formdata=None, locale=i18n.select_locale(),
                                                            next=request.full_path if request else "/")),
            "current_locale": i18n.select_locale(),
            "Role": Role,
            "ui_vendor_css": _vendor_css_present(app),
        }

    from portal import cli

    cli.register(app)

    if config["PORTAL_ENV"] == "production":
        _refuse_demo_accounts_in_production(app)

    if config["BACKGROUND_MODE"] == "thread":
        _start_worker_on_first_request(app)
    return app


class _LocaleSwitch:
    """The layout's language switch and log-out forms: `csrf_token(id=False)` renders the token input
    as WTForms would (the same HTML), without building a LocaleForm on every page; anything else
    builds the form."""

    def __init__(self, factory: Any) -> None:
        self._factory = factory
        self._form: Any = None

    def csrf_token(self, **kwargs: Any) -> Any:
        from flask_wtf.csrf import generate_csrf
        from markupsafe import Markup, escape

        name = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
        if kwargs != {"id": False} or name != "csrf_token":
            return self.__getattr__("csrf_token")(**kwargs)
        return Markup(f'<input name="csrf_token" type="hidden" value="{escape(generate_csrf())}">')  # nosec B704: the only interpolated value is the CSRF token, escaped

    def __getattr__(self, name: str) -> Any:
        if self._form is None:
            self._form = self._factory()
        return getattr(self._form, name)


def _vendor_css_present(app: Flask) -> bool:
    """Whether `make install` copied the NL Design System CSS from npm into static/vendor/.

    Without it (npm missing, install step skipped) pages keep their own layout CSS and a warning
    is logged once, instead of every page asking for stylesheets that 404."""
    present = app.extensions.get("portal.vendor_css")
    if present is None:
        from pathlib import Path

        vendor = Path(app.static_folder or "") / "vendor"
        present = all((vendor / name).is_file() for name in ("utrecht-tokens.css", "utrecht-components.css"))
        if not present:
            app.logger.warning("NL Design System CSS missing in %s: run `make install` (needs npm)", vendor)
        app.extensions["portal.vendor_css"] = present
    return present


def _template_helpers(app: Flask) -> None:
    from portal.core.i18n import register_filters, ui_locale
    from portal import reference

    register_filters(app)
    from portal.core import fragments

    # a pure macro's HTML once per its arguments and language (portal.core.fragments.macro)
    app.jinja_env.globals["cached_macro"] = fragments.macro
    app.jinja_env.globals["sector_label"] = (
        lambda code: reference.sector(code).label(ui_locale()) if reference.is_sector(code) else code
    )
    app.jinja_env.globals["ui_locale"] = ui_locale

    def language_label(code: str | None) -> str:
        """A language code as its name in the page's language ("ar" -> "Arabisch"/"Arabic")."""
        if not code:
            return ""
        return reference.language(code).label(ui_locale()) if reference.is_language(code) else code

    def skill_label(code: str | None) -> str:
        """A skill or occupation code as its name ("occ.cashier" -> "Kassamedewerker")."""
        if not code:
            return ""
        return reference.skill(code).label(ui_locale()) if reference.is_skill(code) else code

    def language_list(codes) -> str:
        return ", ".join(language_label(c) for c in (codes or []) if c)

    from portal.core import labels

    app.jinja_env.globals["mail_state_label"] = labels.mail_state_label
    app.jinja_env.globals["mail_state_tone"] = lambda state: labels.MAIL_STATE_TONES.get(state or "", "neutral")
    for name, fn in (("language_label", language_label), ("skill_label", skill_label), ("language_list", language_list)):
        app.jinja_env.globals[name] = fn
        app.jinja_env.filters[name] = fn


def _start_worker_on_first_request(app: Flask) -> None:
    """The embedded default runs background work in a thread of the web process (not in CLI runs)."""
    lock = threading.Lock()

    @app.before_request
    def _ensure_worker() -> None:
        if "portal.worker" in app.extensions:
            return
        with lock:
            if "portal.worker" not in app.extensions:
                app.extensions["portal.worker"] = jobs.start_thread_worker(app)
