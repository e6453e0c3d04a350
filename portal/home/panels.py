"""Start-page panels: each area registers what its users should see first.

    @panel(Role.EMPLOYER, order=20)
    def upcoming_meetings(user):
        return "events/panel_agenda.html", {"items": ...}   # or None to show nothing

The start page of a role renders its panels in order. Areas stay independent of the home page.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from portal.core.roles import Role

PanelFunc = Callable[[Any], tuple[str, dict[str, Any]] | None]


@dataclass(frozen=True)
class Panel:
    role: Role
    order: int
    func: PanelFunc


_PANELS: list[Panel] = []


def panel(role: Role, order: int = 50) -> Callable[[PanelFunc], PanelFunc]:
    def register(func: PanelFunc) -> PanelFunc:
        _PANELS.append(Panel(role, order, func))
        return func

    return register


def panels_for(user: Any) -> list[tuple[str, dict[str, Any]]]:
    rendered = []
    for item in sorted((p for p in _PANELS if p.role == user.role), key=lambda p: (p.order, p.func.__name__)):
        result = item.func(user)
        if result is not None:
            rendered.append(result)
    return rendered
