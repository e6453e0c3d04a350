"""Access control in one place: deny by default, each view declares who may use it.

    @bp.route("/placements")
    @access(Role.EMPLOYER)
    def placement_list(): ...

`check_access` runs before every request: a view without a declaration is refused for everyone
(so a new route without a rule fails the route-by-role test), an anonymous visitor of a protected
view is sent to the login page, a user whose role is not admitted gets 403. Object-level rules live
on the models (`can_view(user)`, `can_edit(user)`); `get_visible_or_404` turns "not yours" into 404 so
that an employer cannot even learn that another organisation's record exists.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from flask import abort, current_app, redirect, request, url_for
from flask_login import current_user

from portal.core import db
from portal.core.roles import Role

PUBLIC = "public"
AUTHENTICATED = "authenticated"
#: /api/v1 views: authenticated by an API key (portal.api.v1), never by a browser session.
API_KEY = "api_key"

F = TypeVar("F", bound=Callable[..., Any])

#: Endpoints that Flask adds itself and that are public by nature.
_BUILTIN_PUBLIC = {"static"}


def access(*rules: Role | str) -> Callable[[F], F]:
    """Declare who may use a view: roles, `PUBLIC` or `AUTHENTICATED`."""
    if not rules:
        raise ValueError("declare at least one role, PUBLIC or AUTHENTICATED")
    allowed = frozenset(str(rule) for rule in rules)

    def decorate(view: F) -> F:
        view.__portal_access__ = allowed  # type: ignore[attr-defined]
        return view

    return decorate


def declared_access(endpoint: str) -> frozenset[str] | None:
    if endpoint in _BUILTIN_PUBLIC:
        return frozenset({PUBLIC})
    view = current_app.view_functions.get(endpoint)
    return getattr(view, "__portal_access__", None)


def is_allowed(rules: Iterable[str], user: Any) -> bool:
    rules = frozenset(rules)
    if PUBLIC in rules:
        return True
    if not user.is_authenticated:
        return False
    return AUTHENTICATED in rules or str(user.role) in rules


def check_access() -> Any:
    """before_request hook (registered before CSRF protection so refusals come first)."""
    if request.endpoint is None:
        return None  # no route matched: Flask answers 404/405 itself
    rules = declared_access(request.endpoint)
    if rules is None:
        current_app.logger.error("endpoint %s declares no access rule; refused", request.endpoint)
        abort(403)
    if API_KEY in rules:
        return None  # portal.api.v1 authenticates the key itself (401 problem+json without one)
    if is_allowed(rules, current_user):
        return None
    if not current_user.is_authenticated:
        return redirect(url_for("accounts.login", next=request.full_path if request.method == "GET" else None))
    abort(403)


T = TypeVar("T")


def get_visible_or_404(model: type[T], object_id: Any, *, edit: bool = False) -> T:
    """Load an object by id; 404 when missing or when the current user may not see (or edit) it."""
    obj = db.session.get(model, object_id)
    if obj is None:
        abort(404)
    check = getattr(obj, "can_edit" if edit else "can_view")
    if not check(current_user):
        abort(404)
    return obj
