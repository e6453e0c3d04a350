"""The front page and the start page of each role."""
from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user

from portal.core.access import PUBLIC, access
from portal.core.roles import Role
from portal.home.panels import panels_for

bp = Blueprint("home", __name__)

START_PAGES = {
    Role.EMPLOYER: "home.employer",
    Role.ACCOUNT_MANAGER: "home.account_manager",
    Role.WSP: "home.wsp",
    Role.ADMIN: "home.admin",
    Role.POLICY_OFFICER: "results.dashboard",
}


@bp.route("/")
@access(PUBLIC)
def index():
    if current_user.is_authenticated:
        return redirect(url_for(START_PAGES[current_user.role]))
    return render_template("home/index.html")


def _start_page(title_template: str):
    return render_template(title_template, panels=panels_for(current_user))


@bp.route("/werkgever")
@access(Role.EMPLOYER)
def employer():
    return _start_page("home/employer.html")


@bp.route("/accountmanager")
@access(Role.ACCOUNT_MANAGER)
def account_manager():
    return _start_page("home/account_manager.html")


@bp.route("/wsp")
@access(Role.WSP)
def wsp():
    return _start_page("home/wsp.html")


@bp.route("/beheer")
@access(Role.ADMIN)
def admin():
    return _start_page("home/admin.html")
