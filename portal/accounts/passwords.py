"""Password hashing (argon2id) and signed, single-use password-reset tokens."""
from __future__ import annotations

import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

_hasher = PasswordHasher()

#: A valid hash of a random password: verifying against it when the email is unknown costs the same
#: time as a real check, so response times do not reveal which addresses have accounts.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def _reset_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="password-reset")


def _hash_fingerprint(password_hash: str) -> str:
    return hashlib.sha256(password_hash.encode()).hexdigest()[:20]


def make_reset_token(user_id: int, password_hash: str) -> str:
    """The token carries a fingerprint of the current hash: once the password changes it is void."""
    return _reset_serializer().dumps({"u": user_id, "h": _hash_fingerprint(password_hash)})


class InvalidToken(Exception):
    def __init__(self, expired: bool = False) -> None:
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


def read_reset_token(token: str) -> tuple[int, str]:
    """Return (user id, hash fingerprint); raise InvalidToken when forged or expired."""
    try:
        data = _reset_serializer().loads(token, max_age=current_app.config["PASSWORD_RESET_MAX_AGE_SECONDS"])
    except SignatureExpired as exc:
        raise InvalidToken(expired=True) from exc
    except BadSignature as exc:
        raise InvalidToken() from exc
    if not isinstance(data, dict) or "u" not in data or "h" not in data:
        raise InvalidToken()
    return int(data["u"]), str(data["h"])


def reset_token_matches(fingerprint: str, password_hash: str) -> bool:
    return secrets.compare_digest(fingerprint, _hash_fingerprint(password_hash))


def new_invitation_token() -> tuple[str, str]:
    """Return (token for the link, sha256 to store): the database never holds a usable token."""
    token = secrets.token_urlsafe(32)
    return token, hash_invitation_token(token)


def hash_invitation_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
