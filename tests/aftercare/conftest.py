from tests.casefile.fixtures import case, cases  # noqa: F401  (shared fixtures)
