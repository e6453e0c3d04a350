"""The withdrawal code's rate limits are counted and inserted under a lock (PostgreSQL)."""
from __future__ import annotations

import pytest


@pytest.mark.postgres
@pytest.mark.parametrize("database", ["postgres"], indirect=True)
@pytest.mark.parametrize("held", ["address", "code"])
def test_code_lookups_count_and_insert_under_a_lock(app, database_url, held):
    """Parallel guesses must not all read the same count: while another transaction holds the
    address's (or the code's) lock, a look-up waits for it (and gives up as busy), it does not go on."""
    from sqlalchemy import create_engine, text

    from portal.candidates import withdrawal
    from portal.core.locking import Busy, advisory_key

    code = "ABCD-EFGH"
    with app.app_context():
        key = advisory_key("withdrawal-address", "192.0.2.7") if held == "address" else \
            advisory_key("withdrawal-code", withdrawal.code_hash(withdrawal.normalise_code(code)))
    other = create_engine(database_url)
    try:
        with other.connect() as connection, connection.begin():
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
            with app.test_request_context():
                with pytest.raises(Busy):
                    withdrawal.lookup(code, "192.0.2.7")
    finally:
        other.dispose()
