"""Public pages: privacy statement, accessibility statement, health check."""
