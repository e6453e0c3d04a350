"""Users, organisations, login, invitations and employer approval."""
