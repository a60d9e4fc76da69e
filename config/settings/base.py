"""Settings shared by every environment. Each environment module starts with
``from .base import *`` and overrides what differs."""

from pathlib import Path
from typing import Any

import dj_database_url
from corsheaders.defaults import default_headers as default_cors_headers
from whitenoise.compress import Compressor

from config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = env_str("DJANGO_SECRET_KEY", "")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "crispy_forms",
    "reversion",
    "reversion_compare",
    "adminsortable2",
    "csp",
    "axes",
    "django_ratelimit",
    "corsheaders",
    # The open data API (issue 15): its docs page's self-hosted Swagger UI.
    "ninja",
    "roles",
]

MIDDLEWARE = [
    # First: every GET route answers HEAD, as a GET without a body.
    "roles.core.middleware.HeadAsGetMiddleware",
    "roles.core.middleware.RequestIdMiddleware",
    "roles.core.middleware.RequestCharsetMiddleware",
    # One reading of the content version per request; scheduled times acted
    # on; then a cache hit is answered here, as early as its headers allow:
    # a page is stored with every header the middleware below adds to it
    # (security headers, CSP, ETag), so a hit skips all of it (one cache
    # round trip, no query). Static files, the API, the admin and /healthz/
    # are not looked up.
    "roles.publishing.cache.ContentVersionMiddleware",
    "roles.editorial.middleware.DuePublicationMiddleware",
    "roles.publishing.cache.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "roles.core.middleware.CrossOriginResourcePolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # CORS for the open data API only (CORS_URLS_REGEX), above anything that
    # can answer an API request, so a preflight and every API response get it.
    "corsheaders.middleware.CorsMiddleware",
    # whitenoise, without the manifest (staticfiles.json) in public.
    "roles.core.middleware.StaticFilesMiddleware",
    # django-csp's, with the site's policy built once per process.
    "roles.core.middleware.ContentSecurityPolicyMiddleware",
    "roles.core.middleware.HealthCheckMiddleware",
    # A page's empty 405 becomes the site's own 405 page.
    "roles.core.middleware.MethodNotAllowedPageMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "roles.core.context_processors.site",
                "roles.search.context_processors.search_box",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=600,
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database that accepts the connection but does not answer (frozen,
    # overloaded) fails the request in this many seconds, with the site's
    # 503 page, instead of holding a worker until gunicorn's timeout.
    _db_options = DATABASES["default"].setdefault("OPTIONS", {})
    _db_options.setdefault(
        "connect_timeout", env_int("DJANGO_DATABASE_CONNECT_TIMEOUT", 3)
    )
    # A connection already open (kept for CONN_MAX_AGE) to a database that
    # stops answering: a statement the server cannot finish in time (a lock
    # held elsewhere, an overloaded server) is cancelled by the server; a host
    # that is gone (unacknowledged data, silent peer) is given up by the
    # client's TCP timeouts. Either way: the 503 page, not a held worker.
    _db_options.setdefault(
        "options",
        "-c statement_timeout="
        f"{env_int('DJANGO_DATABASE_STATEMENT_TIMEOUT_MS', 10_000)}",
    )
    _db_options.setdefault("keepalives", 1)
    _db_options.setdefault("keepalives_idle", 30)
    _db_options.setdefault("keepalives_interval", 5)
    _db_options.setdefault("keepalives_count", 3)
    _db_options.setdefault("tcp_user_timeout", 10_000)  # ms
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    # django-redis, failing open: if Redis is down, slow or full, a cache read
    # is a miss and a write is dropped, so pages are rendered from the database
    # instead of failing. Short timeouts keep a hung Redis from stalling pages.
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "roleguides"),
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 0.5,
                "SOCKET_TIMEOUT": 0.5,
                "CONNECTION_POOL_KWARGS": {"health_check_interval": 30},
                # After a failure, this process leaves Redis alone for
                # CACHE_RETRY_SECONDS (reads miss, writes are dropped), so
                # an outage costs one timeout, not one per request.
                "CLIENT_CLASS": "roles.core.cache_client.RetryLaterClient",
            },
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "role-guides",
        }
    }
if not REDIS_URL:
    # The embedded default is one process: its local-memory cache is enough
    # for the rate limit there (production uses Redis, which the check accepts).
    SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]
# How long a process leaves the cache alone after it failed (see above).
CACHE_RETRY_SECONDS = env_int("DJANGO_CACHE_RETRY_SECONDS", 5)
# Errors django-redis ignores are logged - once a minute per process, not per
# request (see roles.core.logging.OncePerInterval in LOGGING).
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
DJANGO_REDIS_LOGGER = "roles.cache"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"django.contrib.auth.password_validation.{name}"}
    for name in (
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    )
]

LANGUAGE_CODE = "en-gb"
FORMAT_MODULE_PATH = ["config.formats"]  # 24-hour times (config/formats/en_GB)
TIME_ZONE = env_str("DJANGO_TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# Where collectstatic writes (and whitenoise serves from in production).
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
# static/ holds the files we write by hand; assets/build/ the stylesheet built
# from assets/scss and Bootstrap's Sass by `make css` (npm; never committed).
STATICFILES_DIRS = [
    BASE_DIR / "static",
    BASE_DIR / "assets" / "build",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "roles.core.storage.StaticFilesStorage"},
}
WHITENOISE_MAX_AGE = 3600
# Source maps (the API explorer's, ~20 MB) are for developer tools, not
# visitors: served as they are, not compressed (which was half of
# collectstatic's time, in every deploy and test run).
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "map")

# Every public form is drawn by django-crispy-forms through the site's own pack
# (templates/roleguides/, layout objects in roles.core.crispy): the design
# system's markup, and the one CSRF token of each POST form.
CRISPY_ALLOWED_TEMPLATE_PACKS = ("roleguides",)
CRISPY_TEMPLATE_PACK = "roleguides"
CRISPY_FAIL_SILENTLY = False

ADMIN_URL = env_str("DJANGO_ADMIN_URL", "admin/")
LOGIN_URL = "admin:login"
# Where a log-in without a safe ?next= lands (Django's default is
# /accounts/profile/, which this site does not have).
LOGIN_REDIRECT_URL = "admin:index"
# A staff member's session ends after this long (at most twelve hours, whatever
# the variable says); visitors' sessions keep SESSION_COOKIE_AGE.
STAFF_SESSION_SECONDS = min(
    env_int("DJANGO_STAFF_SESSION_SECONDS", 12 * 3600), 12 * 3600
)

# The client's address, for the admin lockout and the questionnaire rate limit
# (roles.core.client.client_ip). X-Forwarded-For is believed only on a request that
# comes straight from one of TRUSTED_PROXIES (addresses or networks of our own
# reverse proxies); by default none, so a spoofed header changes nothing.
# TRUSTED_PROXY_COUNT: how many of our proxies write X-Forwarded-For (the
# client is that many entries from the right).
TRUSTED_PROXIES = env_list("DJANGO_TRUSTED_PROXIES", [])
TRUSTED_PROXY_COUNT = env_int("DJANGO_TRUSTED_PROXY_COUNT", 1)
# While the cache is away, let submissions through rather than refuse all.
RATELIMIT_FAIL_OPEN = True

# Admin lockout (django-axes): five failures for a username from one address
# lock that pair out for fifteen minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "roles.core.client.client_ip"
AXES_VERBOSE = False

# Content-Security-Policy (django-csp 4): nothing by default, our own origin for
# what pages need, nothing inline.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'none'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "manifest-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
}
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "roles.core.views.csrf_failure"

# Public pages are cached for at most this long; content changes show at once
# because every key carries the content version.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 600)
# The release's name in cached pages' and data's keys (roles.core.release);
# empty: a digest of the code, templates and static manifest.
RELEASE = env_str("DJANGO_RELEASE", "")
# The content version is mirrored to the cache so that a hit needs no query;
# the mirror is trusted this long, then read again from the database. It
# bounds how long a cache restored from an older snapshot can serve old pages.
CONTENT_VERSION_MIRROR_SECONDS = env_int("DJANGO_CONTENT_VERSION_MIRROR_SECONDS", 5)
# Derived data (the questionnaire's model, the role map): rebuilt after each
# content write in the writer's process, so no visitor waits for it; workers
# that miss it together wait this long for the one building it.
DERIVED_PREBUILD = env_bool("DJANGO_DERIVED_PREBUILD", True)
# Build (or fetch) the derived data once where the WSGI application is loaded,
# before gunicorn forks its workers (config/wsgi.py): each worker starts with it.
DERIVED_WARM_AT_START = env_bool("DJANGO_DERIVED_WARM_AT_START", True)
DERIVED_BUILD_WAIT_SECONDS = env_int("DJANGO_DERIVED_BUILD_WAIT_SECONDS", 10)
# A process holding derived data in memory checks this often that the shared
# cache still has it, and puts it back after Redis lost it (a restart).
DERIVED_SHARE_AGAIN_SECONDS = 60
# What a page that needs the database says while the database is down (503).
DATABASE_RETRY_AFTER_SECONDS = 30
# How often each process acts on passed publish/unpublish times and scheduled
# drafts (roles.editorial.due); `manage.py publish_due` does it on demand.
DUE_CHECK_SECONDS = env_int("DJANGO_DUE_CHECK_SECONDS", 60)
# An edit lock not refreshed (a save, "Keep my lock", the form's keep-alive)
# for this long lapses: it is shown as lapsed and no longer blocks others.
EDITORIAL_LOCK_MINUTES = env_int("DJANGO_EDITORIAL_LOCK_MINUTES", 30)

# Quiz abuse limits.
QUIZ_MAX_BODY_BYTES = 20_000
QUIZ_RATE_LIMIT = (20, 600)  # submissions per client per ten minutes
# Simulated respondents per role behind the questionnaire's "usually about N
# questions" (built once per content version, outside visitors' requests).
QUIZ_LENGTH_PER_ROLE = 8
API_RATE_LIMIT = (300, 60)  # open data API requests per client per minute
# Searches with a query per client per minute (the empty /search/ page is not
# counted); past it, the site's 429 page with Retry-After.
SEARCH_RATE_LIMIT = (env_int("DJANGO_SEARCH_RATE_LIMIT", 120), 60)
# The open data API may be read from any origin (django-cors-headers): it is
# read-only and cookie-free, so nothing is exposed that a page would not show.
CORS_URLS_REGEX = r"^/api/v1/"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
# What a script on another site may read besides the simple headers: the
# licence (Link), the version to revalidate with (ETag, sent back as
# If-None-Match) and how long to wait when limited (Retry-After).
CORS_EXPOSE_HEADERS = ["Link", "ETag", "Retry-After"]
CORS_ALLOW_HEADERS = (*default_cors_headers, "if-none-match")
CORS_PREFLIGHT_MAX_AGE = 86_400

SITE_NAME = "Role Guides"
# The public origin (scheme and host, no path): canonical links, og:url, JSON-LD
# and the sitemap are built from it, never from the request's Host header.
SITE_URL = env_str("DJANGO_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

LOG_FORMAT = env_str("DJANGO_LOG_FORMAT", "plain")  # "json" in production
# dictConfig, then Python's warnings routed into logging (py.warnings), so they
# come out as log lines (JSON in production) rather than bare stderr text.
LOGGING_CONFIG = "roles.core.logging.configure"
LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "roles.core.logging.RequestIdFilter"},
        "once_a_minute": {"()": "roles.core.logging.OncePerInterval", "seconds": 60},
    },
    "formatters": {
        "plain": {"format": "%(levelname)s [%(request_id)s] %(name)s %(message)s"},
        "json": {"()": "roles.core.logging.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        "roles.cache": {"level": "WARNING", "filters": ["once_a_minute"]},
        "roles.health": {"level": "WARNING", "filters": ["once_a_minute"]},
    },
}

# Email (editorial notifications: submitted, rejected, published). The console
# backend by default; SMTP when DJANGO_EMAIL_HOST is set.
EMAIL_HOST = env_str("DJANGO_EMAIL_HOST", "")
EMAIL_BACKEND = env_str(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = env_int("DJANGO_EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env_str("DJANGO_DEFAULT_FROM_EMAIL", "role-guides@localhost")
