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
    if not user.is_authenticated:
        return []
    current = request.endpoint or ""
    return [
        {"url": url_for(i.endpoint), "label": str(i.label), "current": current == i.endpoint}
        for i in sorted(_ITEMS, key=lambda i: (i.order, i.endpoint))
        if user.role in i.roles
    ]
