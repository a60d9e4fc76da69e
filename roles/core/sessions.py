"""Session lifetimes: a staff member's session is short (the admin can publish
and unpublish the whole site); a visitor's keeps Django's default, as it holds
only which questionnaire results are theirs."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def shorten_staff_session(
    sender: Any, *, request: HttpRequest, user: Any, **kwargs: Any
) -> None:
    """user_logged_in receiver: a staff session expires STAFF_SESSION_SECONDS
    after log-in (the cookie's Max-Age follows)."""
    if user.is_staff:
        request.session.set_expiry(settings.STAFF_SESSION_SECONDS)
