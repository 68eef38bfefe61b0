"""WSGI entry point for production servers: gunicorn 'redline.wsgi:app'."""

from redline.app import build_runtime, create_app, freeze_startup_heap
from redline.config import Settings
from redline.logs import configure_logging

configure_logging()
app = create_app(build_runtime(Settings.from_env()))
freeze_startup_heap()
