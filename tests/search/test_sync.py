"""Synchronisation: outbox rows from every code path, reindex with alias swap, check and repair."""
from __future__ import annotations

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from portal.core import db
from search import outbox
from tests.search.conftest import settle
from tests.search.factories import consent, levels, make_candidate


def queued(app) -> set[int]:
    with app.app_context():
        return set(db.session.scalars(select(outbox.SearchOutbox.candidate_id)))


def clear(app) -> None:
    with app.app_context():
        db.session.execute(outbox.SearchOutbox.__table__.delete())
        db.session.commit()


@pytest.fixture
def owner(factory):
    return factory.user("account_manager")


def test_every_kind_of_change_records_an_outbox_row(app, owner, factory):
    """The session listener catches changes made anywhere, not only in the domain operations."""
    from portal.candidates.models import Candidate, CandidateLanguage, CandidateSkill, Consent

    app.config["SEARCH_BACKEND"] = "database"
    cid = make_candidate(app, owner, languages={"nl": levels(1, 1, 1, 1, 1)}, skills=["occ.cook"], consents=[consent()])
    other = factory.organisation()
    changes = [
        lambda c: setattr(c, "ambitions", "anders"),
        lambda c: setattr(c.languages[0], "listening", 3),
        lambda c: c.skills.append(CandidateSkill(skill_code="occ.baker", position=5)),
        lambda c: db.session.delete(c.skills[0]),
        lambda c: setattr(c.consents[0], "withdrawn_at", db.utcnow()),
        lambda c: c.consents[0].organisations.append(db.session.merge(other)),
        lambda c: setattr(c, "status", "paused"),
        lambda c: c.languages.append(CandidateLanguage(language_code="ar", listening=5)),
    ]
    for change in changes:
        with app.app_context():
            clear(app)
            # keep the rows: record only, don't drain (the drain would delete them)
            change(db.session.get(Candidate, cid))
            db.session.flush()
            rows = set(db.session.scalars(select(outbox.SearchOutbox.candidate_id)))
            db.session.rollback()
        assert rows == {cid}, changes.index(change)
    with app.app_context():
        db.session.delete(db.session.get(Candidate, cid))
        db.session.flush()
        assert set(db.session.scalars(select(outbox.SearchOutbox.candidate_id))) == {cid}
        db.session.rollback()
    assert Consent  # imported for readers


def test_rolled_back_changes_leave_no_outbox_rows(app, owner):
    from portal.candidates.models import Candidate

    cid = make_candidate(app, owner)
    clear(app)
    with app.app_context():
        db.session.get(Candidate, cid).ambitions = "iets"
        db.session.flush()
        db.rollback()
    assert queued(app) == set()


def test_unrelated_changes_record_nothing(app, owner, factory):
    clear(app)
    factory.organisation()
    assert queued(app) == set()


@pytest.mark.elasticsearch
class TestElasticsearchMaintenance:
    @pytest.fixture
    def app_config(self, es_app_config):
        return es_app_config

    def test_reindex_swaps_the_alias_and_keeps_serving(self, app, backend, owner):
        ids = [make_candidate(app, owner, skills=["occ.cook"], consents=[consent()]) for _ in range(3)]
        settle(app, backend)
        first_index = backend.current_index()
        runner = app.test_cli_runner()
        result = runner.invoke(args=["search", "reindex"])
        assert result.exit_code == 0, result.output
        assert "Indexed 3 candidate(s)" in result.output
        assert backend.current_index() != first_index
        assert backend.all_indices() == [backend.current_index()]  # the old index is gone
        assert backend.client.count(index=backend.alias)["count"] == 3
        assert set(backend.indexed_versions()) == set(ids)

    def test_check_finds_and_repairs_drift(self, app, backend, owner):
        from portal.candidates.models import Candidate

        a = make_candidate(app, owner, consents=[consent()])
        b = make_candidate(app, owner, consents=[consent()])
        settle(app, backend)
        # drift: a document deleted behind our back, a stale one, an extra one
        backend.delete([a], refresh=True)
        backend.index([{"id": 999999, "first_name": "Spook", "status": "published"}], refresh=True)
        with app.app_context():
            db.session.get(Candidate, b).ambitions = "nieuw"
            db.session.flush()
            db.session.execute(outbox.SearchOutbox.__table__.delete())
            db.session.commit()
        runner = app.test_cli_runner()
        result = runner.invoke(args=["search", "check", "--deep"])
        assert result.exit_code == 1
        assert "1 missing from the index" in result.output and "1 in the index but not in the database" in result.output
        assert "stale" in result.output
        result = runner.invoke(args=["search", "check", "--repair"])
        assert "Repaired." in result.output
        assert runner.invoke(args=["search", "check", "--deep"]).exit_code == 0

    def test_status_shows_backlog_and_index(self, app, backend, owner):
        make_candidate(app, owner)
        result = app.test_cli_runner().invoke(args=["search", "status"])
        assert result.exit_code == 0
        assert "Backend: elasticsearch" in result.output and backend.alias in result.output and "Backlog: 0" in result.output
