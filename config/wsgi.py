"""The WSGI application. gunicorn loads it once, in its master (preload_app),
then forks the workers: what each worker would otherwise load on its first
request is loaded here, once, and shared - the URLconf with every view module
(about 0.2 s a worker), the release id that keys cached pages, and the current
content version's derived data (the questionnaire's model: seconds to build;
DJANGO_DERIVED_WARM_AT_START)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

application = get_wsgi_application()

from django.conf import settings  # noqa: E402
from django.urls import get_resolver  # noqa: E402 - needs the app set up

from roles.core.release import release_id  # noqa: E402
from roles.publishing.cache import warm_process  # noqa: E402

get_resolver().url_patterns  # noqa: B018 - imports the URLconf and its views
release_id()
if settings.DERIVED_WARM_AT_START:
    warm_process()
