"""The WSGI entry point: gunicorn 'stvos_portal.wsgi:app'."""
from stvos_shared.observability import configure_logging

from .app import create_app
from .config import Settings

settings = Settings.from_env()
configure_logging(settings.log_level)
app = create_app(settings)
