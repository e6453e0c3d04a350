"""The main menu: each area registers its entries for the roles that use them."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import request, url_for

from portal.core.roles import Role


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: Any  # lazy string
    roles: frozenset[Role]
    order: int


_ITEMS: list[NavItem] = []


def nav_item(endpoint: str, label: Any, roles: set[Role] | frozenset[Role], order: int = 50) -> None:
    if any(item.endpoint == endpoint for item in _ITEMS):
        return
    _ITEMS.append(NavItem(endpoint, label, frozenset(roles), order))


def items_for(user: Any) -> list[dict[str, Any]]:
    """The menu of `user` on this page; the entries per role and language are built once per app."""
    if not user.is_authenticated:
        return []
    from flask import current_app
    from flask_babel import get_locale

    cache = current_app.extensions.setdefault("portal.navigation", {})
    key = (user.role, str(get_locale()), request.script_root, len(_ITEMS))
    entries = cache.get(key)
    if entries is None:
        entries = cache[key] = tuple(
            (i.endpoint, url_for(i.endpoint), str(i.label))
            for i in sorted(_ITEMS, key=lambda i: (i.order, i.endpoint))
            if user.role in i.roles
        )
    current = request.endpoint or ""
    return [{"url": url, "label": label, "current": current == endpoint} for endpoint, url, label in entries]
