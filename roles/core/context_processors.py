from django.conf import settings
from django.http import HttpRequest

from roles.core.http import LICENCE_URL
from roles.core.seo import absolute_url


def site(request: HttpRequest) -> dict:
    return {
        "site_name": settings.SITE_NAME,
        "canonical_url": absolute_url(request.path),
        "licence_url": LICENCE_URL,
    }
