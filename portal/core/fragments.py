"""Rendered page fragments kept per process, for HTML that is a pure function of a few inputs.

    html = fragments.cached("gallery-filters", key_parts, lambda: render_template(...))
    {{ cached_macro("candidates/_macros.html", "profile_card", p, href=..., asked=...) }}   (templates)
    found = fragments.kept("employer-card", [key_parts, ...]); fragments.keep("employer-card", key_parts, value)

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

`kept`/`keep` hold values a page builds many of at once (the gallery's card data, under the data
token of search.freshness and the day: see portal.candidates.gallery.card_profiles).

Cards and profiles are personal data held in memory (DESIGN.md §5: erasure reaches everything). An
entry is kept at most `MAX_AGE_SECONDS` after it was rendered, and an erasure empties the erasing
process's cache once it has committed (`forget_all`, from portal.candidates.erasure). The other
processes cannot be reached from there, but nothing can look up an erased candidate's entries (the
key is the data itself, which is gone, or a data token the erasure replaced), and they expire
within `MAX_AGE_SECONDS`.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import io
import pickle  # nosec B403: only dumps (a cache key of plain data), never loads
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from flask import current_app, request
from markupsafe import Markup

MAX_ENTRIES = 2048  # a few pages of cards of many employers besides the forms' fragments
MAX_KEY_CHARS = 20000  # a nation's municipalities fit; a hostile query string is capped by the server first
#: an entry is rendered again at the latest this long after it was rendered (it holds personal data)
MAX_AGE_SECONDS = 300.0


class FragmentCache:
    def __init__(self, max_entries: int = MAX_ENTRIES, max_age: float = MAX_AGE_SECONDS,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.max_entries = max_entries
        self.max_age = max_age
        self._clock = clock
        #: key -> (value, when it was rendered)
        self._entries: OrderedDict[Hashable, tuple[Any, float]] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def values(self) -> list[Any]:
        with self._lock:
            return [value for value, _ in self._entries.values()]

    def get(self, key: Hashable, default: Any = None) -> Any:
        """The value kept under `key`, or `default` (also once it is older than `max_age`)."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                if self._clock() - entry[1] < self.max_age:
                    self._entries.move_to_end(key)
                    return entry[0]
                del self._entries[key]
        return default

    def put(self, key: Hashable, value: Any, rendered_at: float | None = None) -> None:
        with self._lock:
            self._entries[key] = (value, self._clock() if rendered_at is None else rendered_at)
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def get_or_render(self, key: Hashable, render: Callable[[], Any]) -> Any:
        missing = object()
        value = self.get(key, missing)
        if value is not missing:
            return value
        rendered_at = self._clock()
        value = render()
        self.put(key, value, rendered_at)
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def forget_all() -> None:
    """Empty this application's cache in this process (after an erasure has committed)."""
    cache = current_app.extensions.get("portal.fragments")
    if cache is not None:
        cache.clear()


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


def kept(name: str, keys: list[tuple[Hashable, ...]]) -> dict[tuple[Hashable, ...], Any]:
    """{key_parts: value} of what `keep` kept under (name, language, script root, key_parts), for
    those of `keys` that are kept: for a page that then builds all the missing ones in one go."""
    from portal.core.i18n import ui_locale

    cache, locale, root, missing = _cache(), ui_locale(), request.script_root, object()
    found = {}
    for parts in keys:
        value = cache.get((name, locale, root, parts), missing)
        if value is not missing:
            found[parts] = value
    return found


def keep(name: str, key_parts: tuple[Hashable, ...], value: Any) -> None:
    """Keep `value` under (name, language, script root, key_parts) (see `kept`)."""
    from portal.core.i18n import ui_locale

    _cache().put((name, ui_locale(), request.script_root, key_parts), value)


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
