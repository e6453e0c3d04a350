"""Rendered page fragments kept per process, for HTML that is a pure function of a few inputs.

    html = fragments.cached("gallery-filters", key_parts, lambda: render_template(...))
    {{ cached_macro("candidates/_macros.html", "profile_card", p, href=..., asked=...) }}   (templates)

A fragment is cached under (name, the page's language, the request's script root, `key_parts`):
the caller puts in `key_parts` EVERYTHING the fragment shows that can vary (the submitted values,
the choice lists of this viewer, ...). Only fragments that contain nothing personal to the viewer
or the moment (no CSRF token, no candidate data, no time) belong here: a search form's filters,
whose HTML follows from the language, the query string and the viewer's choice lists.

`macro(template, name, *args, **kwargs)` (the templates' `cached_macro`) keys a pure macro's HTML
by its arguments themselves (a pickle that admits only plain data, see `_KeyPickler`): for the
gallery cards and the candidate's profile, whose input is the employer_profile dictionary.

The cache is per application (tests build many apps in one process), a bounded LRU (hostile
query strings cannot grow it), and keys longer than `MAX_KEY_CHARS` are not cached at all.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import io
import pickle  # nosec B403: only dumps (a cache key of plain data), never loads
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from flask import current_app, request
from markupsafe import Markup

MAX_ENTRIES = 512
MAX_KEY_CHARS = 20000  # a nation's municipalities fit; a hostile query string is capped by the server first


class FragmentCache:
    def __init__(self, max_entries: int = MAX_ENTRIES) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_render(self, key: Hashable, render: Callable[[], Any]) -> Any:
        with self._lock:
            value = self._entries.get(key)
            if value is not None:
                self._entries.move_to_end(key)
                return value
        value = render()
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def _cache() -> FragmentCache:
    cache = current_app.extensions.get("portal.fragments")
    if cache is None:
        cache = current_app.extensions["portal.fragments"] = FragmentCache()
    return cache


def _key_size(parts: Any) -> int:
    if isinstance(parts, (tuple, list, frozenset)):
        return sum(_key_size(p) for p in parts) + 1
    return len(str(parts))


def cached(name: str, key_parts: tuple[Hashable, ...], render: Callable[[], Any]) -> Any:
    """`render()`'s result for (name, language, script root, key_parts), rendered once per process."""
    from portal.core.i18n import ui_locale

    if _key_size(key_parts) > MAX_KEY_CHARS:
        return render()
    key = (name, ui_locale(), request.script_root, key_parts)
    return _cache().get_or_render(key, render)


class _Unfreezable(Exception):
    pass


_PLAIN = (dt.date, dt.datetime, dt.time, Markup)


class _KeyPickler(pickle.Pickler):
    """Pickles plain data only: the builtin containers and scalars (pickled natively, with their
    exact type: True is not 1, a tuple is not a list), dates and times, Markup (not str) and frozen
    dataclasses field by field. Anything else (ORM objects, lazy strings) refuses the key."""

    def reducer_override(self, obj: Any) -> Any:
        kind = obj if type(obj) is type else type(obj)  # an allowed class itself is pickled by name
        if kind in _PLAIN or (dataclasses.is_dataclass(kind) and kind.__dataclass_params__.frozen):  # type: ignore[attr-defined]
            return NotImplemented
        raise _Unfreezable(kind.__name__)


def _frozen(value: Any) -> bytes:
    """`value` as bytes that are equal only for values a template shows the same (a C pickle of
    plain data: far cheaper than walking the tree in Python)."""
    buffer = io.BytesIO()
    try:
        _KeyPickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
    except _Unfreezable:
        raise
    except Exception as exc:  # anything that does not pickle is not a key either
        raise _Unfreezable(str(exc)) from exc
    return buffer.getvalue()


def macro(template_name: str, macro_name: str, *args: Any, **kwargs: Any) -> Any:
    """A template macro's HTML for these arguments, rendered once per (language, script root, its
    arguments frozen deep): the key is the macro's whole input, so the HTML is the one it would render
    now. For macros that read nothing but their arguments and the page's language (no request, no
    user, no clock). Arguments that cannot be frozen exactly are rendered without the cache."""
    template = current_app.jinja_env.get_template(template_name)  # in the key: a reloaded template renders anew
    render = getattr(template.module, macro_name)
    try:
        key = (template, macro_name, _frozen((args, kwargs)))
    except _Unfreezable:
        return render(*args, **kwargs)
    from portal.core.i18n import ui_locale

    return _cache().get_or_render(("macro", ui_locale(), request.script_root, key), lambda: render(*args, **kwargs))
