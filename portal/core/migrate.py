"""Alembic migrations, run programmatically (CLI, `make run`, tests: never create_all)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def alembic_config(connection: Any | None = None, url: str | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if url:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def upgrade(connection: Any | None = None, url: str | None = None, revision: str = "heads") -> None:
    command.upgrade(alembic_config(connection, url), revision)


def downgrade(connection: Any | None = None, url: str | None = None, revision: str = "base") -> None:
    command.downgrade(alembic_config(connection, url), revision)
