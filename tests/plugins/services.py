"""Pytest fixtures for the real services (PostgreSQL, Elasticsearch, S3, SMTP, Chromium)."""
