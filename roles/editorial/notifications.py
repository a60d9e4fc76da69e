"""Emails about drafts, through Django's mail framework (console backend by
default, SMTP by settings): a draft submitted (to the publishers), sent back or
published (to its author). Sent after the change commits; a mail server that
is down never undoes or blocks the editorial action."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q

from roles.editorial.models import Draft
from roles.editorial.permissions import PUBLISH_PERMISSION

log = logging.getLogger("roles.editorial")


def _publisher_emails() -> list[str]:
    app_label, codename = PUBLISH_PERMISSION.split(".")
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    users = users.filter(
        Q(is_superuser=True)
        | Q(
            user_permissions__content_type__app_label=app_label,
            user_permissions__codename=codename,
        )
        | Q(
            groups__permissions__content_type__app_label=app_label,
            groups__permissions__codename=codename,
        )
    )
    return sorted(set(users.values_list("email", flat=True)))


def _author_emails(draft: Draft) -> list[str]:
    people = [draft.created_by, draft.submitted_by]
    return sorted(
        {p.email for p in people if p is not None and p.is_active and p.email}
    )


def _send(subject: str, body: str, to: list[str]) -> None:
    if not to:
        return

    def send() -> None:
        try:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to)
        except OSError:
            log.warning("Could not send the email %r", subject, exc_info=True)

    transaction.on_commit(send)


def notify_submitted(*, draft: Draft, user) -> None:
    _send(
        f"For review: {draft.title}",
        f"{user} submitted a draft of “{draft.title}” for review.\n\n"
        f"Review it: {draft.get_absolute_url()}\n",
        _publisher_emails(),
    )


def notify_rejected(*, draft: Draft, user) -> None:
    _send(
        f"Changes requested: {draft.title}",
        f"{user} sent your draft of “{draft.title}” back with this comment:\n\n"
        f"{draft.review_comment}\n\nThe draft: {draft.get_absolute_url()}\n",
        _author_emails(draft),
    )


def notify_published(*, draft: Draft, user) -> None:
    who = f"{user}" if user is not None else "The schedule"
    _send(
        f"Published: {draft.title}",
        f"{who} published your draft of “{draft.title}”: it is live now.\n",
        _author_emails(draft),
    )
