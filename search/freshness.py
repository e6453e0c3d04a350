"""A token that changes whenever the data candidate searches (and the gallery's cards) read changes.

The database backend counts a search's matches with SQL over the live tables. For the employer
gallery that count is the page's biggest cost: every published candidate is checked against the
visibility rule (a consent probe each), some 3 ms at 10,000 candidates and growing with them,
while the page of ids stops after a dozen. The count changes only when (a) a candidate, or a row
its search reads (the outbox's TRACKED tables: languages, skills, sectors, experience, consents),
is written, or (b) a consent starts or ends by the clock. So `search.db_backend` remembers a total
under the current token and until the next consent moment (`next_consent_moment`), and counts
again after either. The employer gallery keeps its cards' data under the token the same way
(portal.candidates.gallery), so the video tables change the token too (`CARD_TABLES`), and its
"Woonplaats" choices (the municipalities of the candidates an organisation may see).

The token is one row (`search_data_version`). A SQLAlchemy `after_flush` listener sets it to a new
random value, through the flush's own connection, whenever the flush wrote a tracked row; a bulk
UPDATE or DELETE through the session on a tracked table does the same before it runs. So the new
token commits or rolls back with the change:

- a reader that sees token t sees the data of t or newer (PostgreSQL reads committed data
  statement by statement, so a total computed under t may be newer than t: harmless, the next
  reader sees the next token and counts again); never older;
- a rolled-back change leaves a token that no committed state has, so what was remembered under
  it is never found again (a counter could come back to the same value with other data).

Only totals are remembered: the ids of a page and everything shown are still selected with the
visibility rule on every request, so a wrong total could never show a candidate. Writes that
bypass the session (raw SQL in a migration) are followed by a restart of the processes, which
starts with nothing remembered.
"""
from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable, Hashable
from functools import cache
from typing import Any, TypeVar

from sqlalchemy import BigInteger, event, func, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from portal.core import db
from search.outbox import TRACKED, changed_candidate_ids

#: Tables whose change changes what an employer's card shows besides what a search reads: the video.
CARD_TABLES = frozenset({"video_profiles", "media_objects"})
#: Tables whose change can change a search's total or a card: the outbox's, who a consent names, the video.
TABLES = frozenset(TRACKED) | {"consent_organisations"} | CARD_TABLES
ROW_ID = 1

T = TypeVar("T")


class SearchDataVersion(db.Base):
    """The one row whose `token` is new after every committed change to searched candidate data."""

    __tablename__ = "search_data_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[int] = mapped_column(BigInteger)


def new_token() -> int:
    return secrets.randbits(62)


@cache
def _bump_statement() -> Any:
    from sqlalchemy import bindparam

    table = SearchDataVersion.__table__
    return update(table).where(table.c.id == ROW_ID).values(token=bindparam("token"))


#: Where `current_token` keeps the token it read in this session's transaction.
TOKEN_KEY = "search_data_token"


def _bump(session: Session) -> None:
    token = new_token()
    session.connection().execute(_bump_statement(), {"token": token})
    session.info[TOKEN_KEY] = token  # what this transaction reads from now on


@event.listens_for(Session, "after_transaction_end")
def _forget_token(session: Session, _transaction: Any) -> None:
    session.info.pop(TOKEN_KEY, None)


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _flush_context: Any) -> None:
    if changed_candidate_ids(session) or _card_data_changed(session):  # the outbox's rule, and the video
        _bump(session)


def _card_data_changed(session: Session) -> bool:
    for collection, check_modified in ((session.new, False), (session.dirty, True), (session.deleted, False)):
        for obj in collection:
            if getattr(type(obj), "__tablename__", None) in CARD_TABLES and (
                    not check_modified or session.is_modified(obj, include_collections=True)):
                return True
    return False


@event.listens_for(Session, "do_orm_execute")
def _bulk_statement(state: Any) -> None:
    """A bulk UPDATE or DELETE on a tracked table: a new token in the same transaction."""
    if not (state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    if getattr(table, "name", None) in TABLES:
        _bump(state.session)


@cache
def _token_statement() -> Any:
    table = SearchDataVersion.__table__
    return select(table.c.token).where(table.c.id == ROW_ID)


def current_token() -> int | None:
    """The token of the data this transaction reads; None when the row is missing (then nothing is
    remembered). Read once per transaction (a page asks for it more than once); a write in the
    transaction that changes the token sets the new one, and the end of the transaction forgets it.
    On PostgreSQL a later statement of the same transaction may read newer committed data than the
    token it read first: what is remembered under the token is then newer than it, as above."""
    info = db.session.info
    if TOKEN_KEY not in info:
        info[TOKEN_KEY] = db.session.execute(_token_statement()).scalar()
    return info[TOKEN_KEY]


@cache
def _moment_statement() -> Any:
    from sqlalchemy import bindparam

    from portal.candidates.models import Consent

    now = bindparam("now", type_=Consent.expires_at.type)
    open_consent = (Consent.withdrawn_at.is_(None), Consent.superseded_at.is_(None))
    ends = select(func.min(Consent.expires_at)).where(Consent.expires_at > now, *open_consent).scalar_subquery()
    starts = select(func.min(Consent.recorded_at)).where(Consent.recorded_at > now, *open_consent).scalar_subquery()
    return select(ends, starts)


def next_consent_moment(now: dt.datetime) -> dt.datetime | None:
    """The first moment after `now` at which a consent becomes valid or expires by the clock alone
    (a consent recorded ahead of time, an expiry); None when there is none. Until then, no consent's
    validity changes without a write (which changes the token)."""
    ends, starts = db.session.execute(_moment_statement(), {"now": now}).one()
    moments = [m for m in (ends, starts) if m is not None]
    return min(moments) if moments else None


def remembered(get: Callable[[Hashable], Any], put: Callable[[Hashable, Any], None], key: Hashable,
               now: dt.datetime | None, compute: Callable[[], T]) -> T:
    """`compute()`, or what it gave for `key` under the current data token and, with `now`, before
    the next consent moment after it was computed: the data it read has not changed, nor has any
    consent started or ended. `now=None` is for an answer no consent decides (it runs out only with
    the token). `get`/`put` are the caller's store (its own bound and life time); what is kept is
    (value, valid until). Without a token (the row is missing) it always computes."""
    token = current_token()
    if token is None:
        return compute()
    full_key = (token, key)
    kept = get(full_key)
    if kept is not None and (kept[1] is None or (now is not None and now < kept[1])):
        return kept[0]
    value = compute()
    put(full_key, (value, next_consent_moment(now) if now is not None else None))
    return value
