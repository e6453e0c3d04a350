"""Pages every Dutch municipal service needs, and the health check for the load balancer."""
from __future__ import annotations

from pathlib import Path

from flask import Blueprint, current_app, jsonify, render_template, send_file
from sqlalchemy import text

from portal.core import db
from portal.core.access import PUBLIC, access
from portal.core.services import search_backend, storage

bp = Blueprint("public", __name__)


@bp.route("/privacy")
@access(PUBLIC)
def privacy():
    return render_template("public/privacy.html")


@bp.route("/toegankelijkheid")
@access(PUBLIC)
def accessibility():
    return render_template("public/accessibility.html")


STATIC = Path(__file__).resolve().parent.parent / "static"


@bp.route("/favicon.ico")
@access(PUBLIC)
def favicon():
    return send_file(STATIC / "favicon.ico", mimetype="image/vnd.microsoft.icon", max_age=7 * 24 * 3600)


@bp.route("/huisstijl.css")
@access(PUBLIC)
def theme_css():
    """The house style: one file of design tokens (THEME_CSS), or the neutral Werkportaal theme."""
    configured = current_app.config.get("THEME_CSS") or ""
    path = Path(configured) if configured else STATIC / "css" / "theme.css"
    if not path.is_file():
        current_app.logger.error("THEME_CSS %s is not a file; serving the neutral theme", path)
        path = STATIC / "css" / "theme.css"
    return send_file(path, mimetype="text/css", max_age=3600)


def _probe(check) -> str:
    """'up' unless the check raises or answers False (storage pings raise, search pings answer)."""
    try:
        return "down" if check() is False else "up"
    except Exception:
        return "down"


@bp.route("/healthz")
@access(PUBLIC)
def healthz():
    """200 while the database answers (search and storage may degrade), 503 otherwise."""
    states = {
        "database": _probe(lambda: db.session.execute(text("SELECT 1")).scalar() == 1),
        "search": _probe(lambda: search_backend().ping()),
        "storage": _probe(lambda: storage().ping()),
    }
    status = 200 if states["database"] == "up" else 503
    return jsonify(status="ok" if status == 200 else "unavailable", **states), status
