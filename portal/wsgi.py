"""Production entry point: `gunicorn --workers 4 --bind 0.0.0.0:8000 portal.wsgi:app`."""
import gc

from portal import create_app

app = create_app()
# What start-up built (modules, the app, metadata, catalogues) lives as long as the process: moved out
# of the collector's generations, so a full collection during a request no longer walks it all.
gc.freeze()
