from django.core.exceptions import ImproperlyConfigured

from .base import *

DEBUG = env_bool("DJANGO_DEBUG", False)
if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure"):
    raise ImproperlyConfigured(
        "Set DJANGO_SECRET_KEY to a random value of at least 50 characters."
    )
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("Set DJANGO_ALLOWED_HOSTS (comma-separated).")
if any("*" in host for host in ALLOWED_HOSTS):
    raise ImproperlyConfigured(
        "DJANGO_ALLOWED_HOSTS must name the site's hosts; wildcards are refused."
    )

# Behind a TLS-terminating proxy that sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
# Probes reach the container directly over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
LOGGING["handlers"]["console"]["formatter"] = env_str("DJANGO_LOG_FORMAT", "json")
SECURE_HSTS_SECONDS = 31_536_000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"
# Origins a form may be posted from: by default the public origin
# (DJANGO_SITE_URL, port included) and HTTPS on each allowed host.
CSRF_TRUSTED_ORIGINS = env_list(
    "DJANGO_CSRF_TRUSTED_ORIGINS",
    [SITE_URL, *(f"https://{host}" for host in ALLOWED_HOSTS)],
)
WHITENOISE_MAX_AGE = 31_536_000
