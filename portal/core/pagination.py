"""Pagination of a select() with safe page numbers from the query string."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import request
from sqlalchemy import Select, func, select

from portal.core import db


@dataclass(frozen=True)
class Page:
    items: list[Any]
    number: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


def page_number(arg: str = "page") -> int:
    raw = request.args.get(arg, "1")
    return int(raw) if raw.isdigit() and 0 < int(raw) < 100_000 else 1


def paginate(query: Select, per_page: int = 25) -> Page:
    number = page_number()
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    items = db.session.scalars(query.limit(per_page).offset((number - 1) * per_page)).all()
    return Page(list(items), number, per_page, total)
