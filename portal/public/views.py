"""Pages every Dutch municipal service needs, and the health check for the load balancer."""
from __future__ import annotations

from flask import Blueprint, jsonify, render_template
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
