"""Emails about drafts, through Django's mail framework (console backend by
default, SMTP by settings): a draft submitted (to the publishers), sent back
(to its author), and anything made live - by whatever path: a draft
published, "Save and publish" on a change form, a bulk publish, a scheduled
draft or publish time passing - to the draft's author and the other
publishers (a record published without a draft skipped review: they should
know). Sent after the change commits, so a rolled-back save sends nothing; a
mail server that is down never undoes or blocks the editorial action."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from roles.editorial.models import Draft
from roles.editorial.permissions import PUBLISH_PERMISSION

log = logging.getLogger("roles.editorial")


def _publisher_emails(*, besides=None) -> list[str]:
    """Everyone who may publish, except ``besides`` (who did it)."""
    app_label, codename = PUBLISH_PERMISSION.split(".")
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    if besides is not None:
        users = users.exclude(pk=besides.pk)
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


def notify_published(
    *, title: str, user, draft: Draft | None = None, url: str = ""
) -> None:
    """``title`` went live: published by ``user`` (None: at its scheduled
    time), from ``draft`` if it was one. The same mail on every path."""
    who = f"{user}" if user is not None else "The schedule"
    lines = [f"{who} published “{title}”: it is live now."]
    if draft is not None:
        by = f" by {draft.created_by}" if draft.created_by else ""
        lines.append(f"It was a draft{by}: {draft.get_absolute_url()}")
    if url:
        lines.append(f"The live page: {url}")
    to = set(_publisher_emails(besides=user))
    if draft is not None:
        to.update(_author_emails(draft))
    if user is not None:
        to.discard(user.email)  # not told of what they did themselves
    _send(f"Published: {title}", "\n\n".join(lines) + "\n", sorted(to))


def notify_unscheduled(*, draft: Draft, user, at, scheduled_by) -> None:
    """``user`` saved over ``draft`` while it was scheduled for ``at``: it is
    no longer scheduled. Told to whoever scheduled it (not to ``user``)."""
    if scheduled_by is None or scheduled_by == user:
        return
    when = f"{timezone.localtime(at):%d %b %Y %H:%M}" if at else "its scheduled time"
    _send(
        f"No longer scheduled: {draft.title}",
        f"{user} changed the draft of “{draft.title}” that you scheduled for "
        f"{when}, so it is no longer scheduled and will not go live then.\n\n"
        f"Look at the change and publish or schedule it again: "
        f"{draft.get_absolute_url()}\n",
        [scheduled_by.email] if scheduled_by.is_active and scheduled_by.email else [],
    )
