"""Production entry point: `gunicorn --workers 4 --bind 0.0.0.0:8000 portal.wsgi:app`."""
from portal import create_app

app = create_app()
