"""Application administration: users and roles, audit log, mail log."""
