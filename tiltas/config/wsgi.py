import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tiltas.config.settings")
application = get_wsgi_application()

from tiltas.config.startup import assert_production_ready  # noqa: E402 - needs Django set up

assert_production_ready()
