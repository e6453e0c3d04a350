"""Small helpers shared by all views: form pages with the right status, safe redirects."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from flask import flash, redirect, render_template
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from portal.core.errors import DomainError


def render_form(template: str, form: FlaskForm, **context: Any) -> tuple[str, int]:
    """Render a form page; 400 when it carries errors, so the request transaction rolls back."""
    status = 400 if form.errors or getattr(form, "form_errors", None) else 200
    return render_template(template, form=form, **context), status


def show_domain_error(form: FlaskForm, error: DomainError) -> None:
    """Put a domain refusal next to its field, or at the top of the form."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message] if isinstance(field.errors, list) else [error.message]
    else:
        form.form_errors.append(error.message)


def submit_form(form: FlaskForm, action: Callable[[], Any], message: str | Callable[[], str],
                target: str | Callable[[], str]) -> Response | None:
    """The usual shape of a form view: on a valid POST run the domain operation, flash `message` and
    redirect to `target`; a refusal goes next to its field. None: show the form again (render_form).

    `message` and `target` may be callables, evaluated after the operation succeeded.
    """
    if not form.validate_on_submit():
        return None
    try:
        action()
    except DomainError as exc:
        show_domain_error(form, exc)
        return None
    flash(message() if callable(message) else message, "success")
    return redirect(target() if callable(target) else target)


def safe_next(target: str | None, default: str) -> str:
    """Only follow redirects to paths on this site (no open redirect)."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target
