from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict:
    return {
        "site_name": settings.SITE_NAME,
        "canonical_url": request.build_absolute_uri(request.path),
    }
