import re

import psycopg


def test_connect_and_version(postgres_url):
    dsn = re.sub(r"^postgresql\+\w+://", "postgresql://", postgres_url)
    with psycopg.connect(dsn) as conn:
        version = conn.execute("select version()").fetchone()[0]
        assert version.startswith("PostgreSQL ")
        # the role may create databases (tests create throwaway ones)
        assert conn.execute("select rolcreatedb from pg_roles where rolname = current_user").fetchone()[0] is True
