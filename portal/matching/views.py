"""Account-manager candidate search (with facets and saved searches) and matching pages.

Every page that needs search still renders when the search backend is down: it shows
"Zoeken is tijdelijk niet beschikbaar" instead of results (status 200; saving data elsewhere in
the portal goes on, and the outbox catches up later).
"""
from __future__ import annotations

import math
from functools import cache
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import bindparam, or_, select
from sqlalchemy.orm import selectinload

import search.outbox  # noqa: F401  (registers the outbox listener and the periodic drain)
from portal.core.i18n import ui_locale
from portal import reference
from portal.core import audit, availability, db, fragments, navigation
from portal.core.access import access, get_visible_or_404
from portal.core.pagination import Page
from portal.core.roles import Role
from portal.core.views import render_form
from portal.home.panels import panel
from portal.matching import operations
from portal.matching.forms import DEFAULT_PER_PAGE, CandidateSearchForm, DeleteForm, SaveSearchForm
from portal.matching.models import SavedSearch
from search import LanguageRequirement, Near, SearchQuery, SearchUnavailable, geo
from search import run as run_search
from search.query import MAX_OFFSET

bp = Blueprint("matching", __name__, url_prefix="/zoeken")

STAFF = (Role.ACCOUNT_MANAGER, Role.WSP)
UNAVAILABLE = _l("Zoeken is tijdelijk niet beschikbaar. Probeer het over een paar minuten opnieuw; "
                 "wijzigingen die u nu opslaat, worden daarna alsnog verwerkt.")

navigation.nav_item("matching.search", _l("Kandidaten zoeken"), set(STAFF), order=30)


@panel(Role.ACCOUNT_MANAGER, order=40)
def _open_placements_panel(user: Any) -> tuple[str, dict[str, Any]] | None:
    """Start page: the newest open placements, each with a link to its ranked candidates."""
    from sqlalchemy import func
    from sqlalchemy.orm import contains_eager

    from portal.placements.models import Placement

    # One statement: the newest eight with their organisation, and the total as a window count.
    query = (operations.open_placements_query().add_columns(func.count().over().label("total"))
             .options(contains_eager(Placement.organisation))
             .order_by(func.coalesce(Placement.published_at, Placement.created_at).desc(), Placement.id.desc()).limit(8))
    rows = db.session.execute(query).all()
    if not rows:
        return None
    return "matching/panel_placements.html", {"placements": [row[0] for row in rows], "total": int(rows[0].total)}


def _page_number(per_page: int) -> tuple[int, str | None]:
    raw = request.args.get("page", "1").strip()
    last = MAX_OFFSET // per_page
    if not raw.isdigit() or int(raw) < 1:
        return 1, _("Ongeldig paginanummer; de eerste pagina wordt getoond.")
    number = int(raw)
    if number > last:
        return last, _("Er zijn hoogstens %(n)d pagina's; de laatste wordt getoond.", n=last)
    return number, None


def build_query(form: CandidateSearchForm, number: int, per_page: int) -> SearchQuery:
    languages = tuple(
        LanguageRequirement.of(row.code.data, **row.levels) for row in form.language_rows if row.code.data
    )
    near = None
    if form.postcode.data:
        area = geo.postcode_area(form.postcode.data)
        lat, lon = geo.centroid(area)
        near = Near(area, float(form.km.data) if form.km.data else None, lat, lon)
    consent = {"yes": True, "no": False}.get(form.consent.data or "")
    municipalities = tuple(form.municipality.data or ())
    from flask_login import current_user

    if getattr(current_user, "role", None) == Role.ACCOUNT_MANAGER:
        # Full files of the account manager's own municipality only (purpose limitation).
        own = current_user.municipality or ""
        if municipalities:
            municipalities = tuple(m for m in municipalities if m.strip().lower() == own.strip().lower()) or ("\u2205",)
        else:
            municipalities = (own,)
    return SearchQuery(
        text=form.q.data or "", skills=tuple(form.skill.data or ()), sectors=tuple(form.sector.data or ()),
        languages=languages, days=tuple(form.day.data or ()), municipalities=municipalities,
        statuses=tuple(form.status.data or ()), consent_valid=consent, near=near,
        sort=form.sort.data if form.sort.data in ("relevance", "recent", "distance") else "relevance",
        offset=(number - 1) * per_page, limit=per_page,
    )


def load_candidates(ids: list[int]) -> list[Any]:
    """Staff pages: load the hits in the order the backend ranked them (missing ids are skipped)."""
    from portal.candidates.models import Candidate, Consent

    if not ids:
        return []
    from flask_login import current_user

    from portal.candidates.visibility import full_file_clause

    rows = db.session.scalars(select(Candidate).where(Candidate.id.in_(ids), full_file_clause(current_user)).options(
        selectinload(Candidate.languages), selectinload(Candidate.skills),
        selectinload(Candidate.consents).selectinload(Consent.organisations),
    )).all()
    by_id = {c.id: c for c in rows}
    return [by_id[i] for i in ids if i in by_id]


def _facet_items(result: Any, name: str, label: Any) -> list[tuple[str, str, int]]:
    counts = (result.facets or {}).get(name, {}) if result else {}
    return sorted(((value, label(value), n) for value, n in counts.items()), key=lambda item: (-item[2], item[1]))


def _labels() -> dict[str, Any]:
    def skill_label(code: str) -> str:
        return reference.skill(code).label(ui_locale()) if reference.is_skill(code) else code

    def sector_label(code: str) -> str:
        return reference.sector(code).label(ui_locale()) if reference.is_sector(code) else code

    statuses = {"intake": _("Intake"), "ready": _("Klaar voor publicatie"), "published": _("Gepubliceerd"),
                "placed": _("Geplaatst"), "paused": _("Gepauzeerd")}
    return {
        "skills": skill_label, "sectors": sector_label,
        "days": lambda d: str(availability.DAY_LABELS.get(d, d)), "municipalities": lambda m: m,
        "statuses": lambda s: statuses.get(s, s),
    }


def _query_string_without(*keys: str) -> str:
    args = [(k, v) for k, v in request.args.items(multi=True) if k not in keys]
    return urlencode(args)


@bp.route("")
@access(*STAFF)
def search():
    form = CandidateSearchForm(request.args)
    per_page = int(form.per_page.data) if (form.per_page.data or "").isdigit() and int(form.per_page.data) in (10, 20, 50, 100) else DEFAULT_PER_PAGE
    number, page_notice = _page_number(per_page)
    searched = bool(request.args)
    valid = form.validate() if searched else True
    result, candidates, unavailable = None, [], False
    if valid:
        query = build_query(form, number, per_page)
        try:
            result = run_search(query)
        except SearchUnavailable:
            unavailable = True
        else:
            candidates = load_candidates(result.ids)
    origin = None
    if valid and form.postcode.data:
        origin = geo.postcode_area(form.postcode.data)
    labels = _labels()
    facets = {name: _facet_items(result, name, labels[name]) for name in labels} if result else {}
    page = Page(candidates, number, per_page, min(result.total, MAX_OFFSET) if result else 0)
    context = dict(
        form=form, result=result, candidates=candidates, page=page, unavailable=unavailable,
        unavailable_message=UNAVAILABLE, page_notice=page_notice, origin=origin, geo=geo,
        save_search_fields=_save_search_fields(_query_string_without("page")), searched=searched,
        search_form=_search_form(form, searched, facets, result.facets.get("consent_valid") if result else None),
        levels=reference.LANGUAGE_SKILLS, skill_label=reference.skill_label, level_code=reference.level_code,
        saved=_saved_search_links(limit=10),
    )
    status = 400 if not valid else 200
    return render_template("search/search.html", **context), status


def _search_form(form: CandidateSearchForm, searched: bool, facets: dict[str, list[tuple[str, str, int]]],
                 consent_valid: dict[str, int] | None) -> Markup:
    """The filter form's HTML, rendered once per (language, query string, facets) (portal.core.fragments).

    Rendering it is most of the page's work (a few hundred language options, the level selects, the
    facet lists). It shows nothing of the viewer or of a candidate: the submitted values and their
    refusals follow from the query string (validated only when there is one: `searched`; the page
    number is not part of the form), the rest from the result's facet counts, which are in the key."""
    template = current_app.jinja_env.get_template("search/_form.html")
    submitted = tuple((k, v) for k, v in request.args.items(multi=True) if k != "page")
    shown_facets = tuple((name, tuple(items)) for name, items in facets.items())
    key = (template, submitted, searched, shown_facets, tuple(sorted((consent_valid or {}).items())))
    return fragments.cached("search-form", key, lambda: Markup(template.render(  # nosec B704: a rendered (autoescaped) template
        form=form, facets=facets, consent_valid=consent_valid,
        language_rows=form.language_rows + [form.blank_language_row()], levels=reference.LANGUAGE_SKILLS,
        skill_label=reference.skill_label)))


def _save_search_fields(query_string: str) -> Markup:
    """The "save this search" form's fields, rendered once per (language, query string): building
    the FlaskForm on every page costs more than the lookup. Its CSRF token, the session's, is not
    part of them (the page renders it)."""
    template = current_app.jinja_env.get_template("search/_save_search.html")
    return fragments.cached("save-search-fields", (template, query_string), lambda: Markup(template.render(  # nosec B704: a rendered (autoescaped) template
        form=SaveSearchForm(query_string=query_string))))


# -- saved searches ----------------------------------------------------------------------------
def _visible_saved_searches(query: Any) -> Any:
    """`query` narrowed to the viewer's own (parameter `owner_id`) and the shared saved searches, newest
    first. On the table's columns, so that a select of columns only stays a Core statement."""
    saved = SavedSearch.__table__.c
    return (query.where(or_(saved.owner_id == bindparam("owner_id"), saved.shared.is_(True)))
            .order_by(saved.updated_at.desc(), saved.id.desc()))


# Built once per process (SQLAlchemy then computes their cache keys once), as the search page lists
# saved searches on every request.
@cache
def _saved_searches_statement() -> Any:
    return _visible_saved_searches(select(SavedSearch))


@cache
def _saved_search_links_statement() -> Any:
    from portal.accounts.models import User

    saved, users = SavedSearch.__table__, User.__table__
    columns = select(saved.c.id, saved.c.name, saved.c.shared, users.c.name.label("owner_name"))
    return _visible_saved_searches(columns.join_from(saved, users, users.c.id == saved.c.owner_id)).limit(bindparam("limit"))


def _saved_searches() -> list[SavedSearch]:
    return list(db.session.scalars(_saved_searches_statement(), {"owner_id": current_user.id}))


def _saved_search_links(limit: int) -> list[Any]:
    """The search page's list: the newest `limit` as rows of what it shows (id, name, shared,
    owner_name), the owner's name joined rather than loaded per shared search; Core rows, as the ORM
    costs more in Python than the query in the database."""
    return list(db.session.execute(_saved_search_links_statement(), {"owner_id": current_user.id, "limit": limit}))


@bp.route("/opgeslagen", methods=["GET", "POST"])
@access(*STAFF)
def saved_searches():
    form = SaveSearchForm()
    if request.method == "POST":
        if form.validate_on_submit():
            saved = SavedSearch(name=form.name.data, shared=bool(form.shared.data),
                                query_string=_clean_query_string(form.query_string.data or ""), owner_id=current_user.id)
            db.session.add(saved)
            db.session.flush()
            audit.record("search.saved", saved, shared=saved.shared)
            flash(_("Zoekopdracht “%(name)s” is opgeslagen.", name=saved.name), "success")
            return redirect(url_for("matching.saved_searches"))
        return render_form("search/saved.html", form, saved=_saved_searches(), delete_form=DeleteForm())
    return render_form("search/saved.html", form, saved=_saved_searches(), delete_form=DeleteForm())


def _clean_query_string(raw: str) -> str:
    """Keep only the search's own parameters (the string is re-validated when opened)."""
    from urllib.parse import parse_qsl

    allowed = {"q", "skill", "sector", "day", "municipality", "status", "consent", "postcode", "km", "sort", "per_page"}
    pairs = [(k, v) for k, v in parse_qsl(raw, keep_blank_values=False)
             if k in allowed or (k.startswith("lang") and "-" in k and len(k) < 40)]
    return urlencode(pairs)[:2000]


@bp.route("/opgeslagen/<int:saved_search_id>")
@access(*STAFF)
def open_saved_search(saved_search_id: int):
    saved = get_visible_or_404(SavedSearch, saved_search_id)
    target = url_for("matching.search")
    return redirect(f"{target}?{saved.query_string}" if saved.query_string else target)


@bp.route("/opgeslagen/<int:saved_search_id>/verwijderen", methods=["POST"])
@access(*STAFF)
def delete_saved_search(saved_search_id: int):
    saved = get_visible_or_404(SavedSearch, saved_search_id, edit=True)
    form = DeleteForm()
    if not form.validate_on_submit():
        abort(400)
    audit.record("search.saved_deleted", saved)
    db.session.delete(saved)
    flash(_("Zoekopdracht verwijderd."), "success")
    return redirect(url_for("matching.saved_searches"))


# -- matching ----------------------------------------------------------------------------------
@bp.route("/plek/<int:placement_id>")
@access(*STAFF)
def placement_matches(placement_id: int):
    from portal.placements.models import Placement

    placement = get_visible_or_404(Placement, placement_id)
    result, unavailable = None, False
    try:
        result = operations.candidates_for_placement(placement)
    except SearchUnavailable:
        unavailable = True
    return render_template(
        "matching/placement.html", placement=placement, result=result, unavailable=unavailable,
        unavailable_message=UNAVAILABLE, support_allowed=operations.support_allowed(placement),
        levels=placement.dutch_levels, skill_label=reference.skill_label, level_code=reference.level_code,
        full=_is_full(placement), propose_problems=_propose_problems(result, placement),
    )


def _propose_problems(result: Any, placement: Any) -> dict[int, str | None]:
    """Per matched candidate: why they cannot be proposed for this placement (None: they can)."""
    from portal.trajects.operations import why_not_proposable_many

    return why_not_proposable_many([candidate for candidate, _ex in result.matches], placement) if result else {}


def _is_full(placement: Any) -> bool:
    from portal.trajects.operations import places_remaining

    return places_remaining(placement) == 0


@bp.route("/kandidaat/<int:candidate_id>")
@access(*STAFF)
def candidate_matches(candidate_id: int):
    from portal.candidates.models import Candidate

    candidate = get_visible_or_404(Candidate, candidate_id)
    matches, suggestions = operations.placements_for_candidate(candidate)
    return render_template("matching/candidate.html", candidate=candidate, matches=matches[:50],
                           suggestions=suggestions[:20], skill_label=reference.skill_label,
                           level_code=reference.level_code, levels=reference.LANGUAGE_SKILLS)


def candidate_url(candidate: Any) -> str | None:
    """Link to the candidates area's staff page of a candidate, if that area offers one."""
    from flask import current_app

    for endpoint in ("candidates.detail", "candidates.candidate_detail", "candidates.view"):
        if endpoint in current_app.view_functions:
            try:
                return url_for(endpoint, candidate_id=candidate.id)
            except Exception:  # noqa: BLE001
                continue
    return None


@bp.app_template_global("matching_candidate_url")
def _candidate_url_global(candidate: Any) -> str | None:
    return candidate_url(candidate)


@bp.app_template_filter("skill_name")
def _skill_name(code: str) -> str:
    return reference.skill(code).label(ui_locale()) if reference.is_skill(code) else code


@bp.app_template_filter("km")
def _km(value: float | None) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{value:.0f} km" if value >= 10 else f"{value:.1f} km".replace(".", ",")
