from .base import *
from .base import CACHES as BASE_CACHES

DEBUG = False
SECRET_KEY = "test-only-insecure-key"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if not REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "role-guides-test",
        }
    }
elif XDIST_WORKER := env_str("PYTEST_XDIST_WORKER", ""):
    # pytest-xdist: the tests' cache.clear() empties a whole Redis database
    # (FLUSHDB), so each worker gets its own: REDIS_URL's number plus the
    # worker's (gw0 keeps it, gw1 the next, ...).
    from urllib.parse import urlsplit, urlunsplit

    from django.core.exceptions import ImproperlyConfigured

    _url = urlsplit(REDIS_URL)
    _db = int(_url.path.strip("/") or 0) + int(XDIST_WORKER.removeprefix("gw"))
    if _db > 15:
        raise ImproperlyConfigured(
            f"xdist worker {XDIST_WORKER} would need Redis database {_db}; Redis "
            "has 16 (0-15): run fewer workers (-n) or a lower REDIS_URL number."
        )
    CACHES = {
        **BASE_CACHES,
        "default": {
            **BASE_CACHES["default"],
            "LOCATION": urlunsplit(_url._replace(path=f"/{_db}")),
        },
    }
QUIZ_RATE_LIMIT = (1000, 600)
# Fewer simulated respondents: the figure is rebuilt after every cleared cache.
QUIZ_LENGTH_PER_ROLE = 2
API_RATE_LIMIT = (100_000, 60)
SEARCH_RATE_LIMIT = (100_000, 60)
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
AXES_ENABLED = True
SITE_URL = "http://testserver"

# Redis is tried again at every request after a failure (the fault tests
# restart it and expect the next request to use it); tests of the switch
# set their own.
CACHE_RETRY_SECONDS = 0
# Tests that write content do not rebuild the questionnaire after each
# commit (tests/test_derived_data.py turns it on to test it).
DERIVED_PREBUILD = False
DERIVED_WARM_AT_START = env_bool("DJANGO_DERIVED_WARM_AT_START", False)

# Scheduled times are acted on at the first request after them.
DUE_CHECK_SECONDS = 0
