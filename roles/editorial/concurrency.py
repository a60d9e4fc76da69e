"""Editors never overwrite each other without a word.

Optimistic concurrency: a change form carries the live record's version (its
``updated_at``) and the open draft's token as they were when it was opened;
a save or publish checks both inside its transaction, with the live row and
the draft locked (``select_for_update``), and is refused when the record moved
on. A refused save keeps what the editor typed in an ``AutosavedCopy``.

Edit locks: an editor can lock a record ("Locked by ana since 10:32"); others
cannot save it until the lock is released, broken by a publisher with a note
for its holder, or lapses: a lock its holder has not refreshed (a save, "Keep
my lock", the form's keep-alive) for ``EDITORIAL_LOCK_MINUTES`` is shown as
lapsed ("Lock by ana lapsed at 11:02"), blocks no one, and can be taken over
by anyone, which is recorded on it for its holder to see.

Why not django-concurrency: its version field is bumped and checked in
``Model.save()``, but here a save of the change form is first staged (built
in memory, never saved) to make a draft, the record's children and its open draft
move on without the parent's row, and CLI imports write the same rows - so the
check belongs to the admin's save and the draft's save, where the transaction
is, not to the model; ``updated_at`` already moves on with every write."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import QueryDict
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from roles.editorial.models import AutosavedCopy, Draft, EditLock
from roles.editorial.workflow import (
    KIND_SPECS,
    can_publish,
    draft_token,
    lock_in_the_way,
    lock_label,
)
from roles.editorial.workflow import (
    when as when,  # re-exported: the admin shows lock times with it
)

Doc = dict[str, Any]
BASE_SALT = "roles.editorial.base-doc"
COPIES_SHOWN = 5
#: Posted fields that are not what the editor typed.
NOT_TYPED = {
    "csrfmiddlewaretoken",
    "_base_doc",
    "lock_note",
    "_restored_base",
    "_restored_version",
}
OPENED_ON, OPENED_VERSION = "_opened_on", "_opened_version"


def live_version(*, kind: str, object_id: int) -> str:
    """The live record's version, as a change form carries it."""
    value = (
        KIND_SPECS[kind]
        .model._default_manager.filter(pk=object_id)
        .values_list("updated_at", flat=True)
        .first()
    )
    return value.isoformat() if value else ""


def base_sign(doc: Doc) -> str:
    """The document a form was opened on, for the form to carry (signed, so
    the side-by-side of a refused save compares with what was really shown)."""
    return signing.dumps(doc, salt=BASE_SALT, compress=True)


def base_read(token: str) -> Doc | None:
    try:
        value = signing.loads(token, salt=BASE_SALT)
    except signing.BadSignature:
        return None
    return value if isinstance(value, dict) else None


@dataclass(frozen=True)
class Refusal:
    """Why a save was refused, in words for the editor."""

    reason: str
    lock: EditLock | None = None


def saved_again_as_draft(*, opened: Doc | None, current: Doc) -> bool:
    """Whether saving a form opened on ``opened`` saves a draft whatever its
    button says: the record (its open draft, or the live record: ``current``)
    moved on since. Published, the form would put back every field as it
    was opened; staged, their changes stay and yours go on top, for review
    (the change form's save does this)."""
    return opened is not None and opened != current


def edit_refusal(
    *, kind: str, object_id: int, user, version: str | None, token: str
) -> Refusal | None:
    """Whether a save of a form opened at ``version`` (the live record's) and
    ``token`` (the open draft's) must be refused. Call it inside the
    transaction that saves: the live row and the open draft stay locked until
    it ends, so a second editor's save waits, then sees the first one's."""
    # The draft, then the live row: the order publishing takes them in.
    draft = Draft.objects.select_for_update().open().for_record(kind, object_id).first()
    live = (
        KIND_SPECS[kind]
        .model._default_manager.select_for_update()
        .filter(pk=object_id)
        .values_list("updated_at", flat=True)
        .first()
    )
    lock = lock_in_the_way(kind=kind, object_id=object_id, user=user)
    if lock is not None:
        return Refusal(
            f"{lock_label(lock)}: nothing was saved. Ask them to unlock it"
            + (", or break the lock." if can_publish(user) else " or ask a publisher."),
            lock,
        )
    moved = version is not None and version != (live.isoformat() if live else "")
    if moved or token != draft_token(draft):
        who = draft.created_by if draft is not None and draft.created_by else None
        return Refusal(
            "Someone saved this record after you opened it"
            + (f" (the draft was last saved by {who})" if who else "")
            + ". Nothing was saved: compare their change with yours below."
        )
    return None


# --- autosaved copies ------------------------------------------------------------


def copy_keep(
    *, kind: str, object_id: int, user, data: QueryDict, reason: str
) -> AutosavedCopy:
    """Keep what the editor typed (the posted form) when a save is refused."""
    typed = {key: data.getlist(key) for key in data if key not in NOT_TYPED}
    # What the typing was done on (a form restored from a copy says so), so a
    # draft saved from the copy later starts from it - and is a stale draft,
    # to rebase, if the record moved on meanwhile.
    typed[OPENED_ON] = [data.get("_restored_base") or data.get("_base_doc", "")]
    typed[OPENED_VERSION] = [
        data.get("_restored_version") or data.get("_record_version", "")
    ]
    copy = AutosavedCopy(
        kind=kind, object_id=object_id, user=user, data=typed, reason=reason[:200]
    )
    copy.full_clean()
    copy.save()
    return copy


def copies_for(*, kind: str, object_id: int, user) -> list[AutosavedCopy]:
    return list(
        AutosavedCopy.objects.filter(
            kind=kind, object_id=object_id, user=user, restored_at__isnull=True
        )[:COPIES_SHOWN]
    )


def copy_data(*, copy: AutosavedCopy) -> QueryDict:
    """The copy as posted form data, to show in the form again."""
    data = QueryDict(mutable=True)
    for key, values in copy.data.items():
        data.setlist(key, [str(v) for v in values])
    return data


@dataclass(frozen=True)
class OpenedOn:
    """The version a form was opened on: the live record's version and the
    (signed) document the form showed."""

    version: str
    base: str


def copy_opened_on(*, copy: AutosavedCopy) -> OpenedOn:
    def first(key: str) -> str:
        values = copy.data.get(key) or [""]
        return str(values[0])

    return OpenedOn(first(OPENED_VERSION), first(OPENED_ON))


def restored_start(data: QueryDict) -> tuple[dt.datetime, Doc] | None:
    """What a draft saved from a restored copy starts from: the live version
    and document the copy was typed on (None when the form was not restored
    or carries nothing usable)."""
    version = parse_datetime(data.get("_restored_version", "") or "")
    doc = base_read(data.get("_restored_base", "") or "")
    if version is None or doc is None:
        return None
    return version, doc


def copy_discard(*, copy: AutosavedCopy, user) -> None:
    if copy.user_id != user.pk:
        raise PermissionDenied("Only its editor can discard a saved copy.")
    copy.restored_at = timezone.now()
    copy.save(update_fields=["restored_at", "updated_at"])


# --- edit locks --------------------------------------------------------------------


def lock_held(*, kind: str, object_id: int) -> EditLock | None:
    """The record's lock, in force or lapsed (not taken over yet)."""
    return (
        EditLock.objects.held()
        .filter(kind=kind, object_id=object_id)
        .select_related("locked_by")
        .first()
    )


def lock_take(*, kind: str, object_id: int, user) -> EditLock:
    """Lock the record for ``user``, or refresh their lock; refused while
    someone else's lock is in force. A lapsed lock is taken over: released,
    with when it lapsed and who took over recorded for its holder."""
    try:
        with transaction.atomic():
            held = (
                EditLock.objects.select_for_update()
                .held()
                .filter(kind=kind, object_id=object_id)
                .select_related("locked_by")
                .first()
            )
            if held is not None and held.locked_by_id == user.pk:
                return _lock_refresh(held)
            if held is not None and not held.has_lapsed():
                raise ValidationError(f"{lock_label(held)}.")
            if held is not None:
                held.lapsed_at = held.lapses_at
                held.released_at = timezone.now()
                held.broken_by = user
                held.save(
                    update_fields=[
                        "lapsed_at",
                        "released_at",
                        "broken_by",
                        "updated_at",
                    ]
                )
            lock = EditLock(kind=kind, object_id=object_id, locked_by=user)
            lock.save()
    except IntegrityError as exc:  # two editors at once: the other one won
        held = lock_held(kind=kind, object_id=object_id)
        raise ValidationError(f"{lock_label(held)}." if held else "Try again.") from exc
    return lock


def _lock_refresh(lock: EditLock) -> EditLock:
    lock.active_at = timezone.now()
    lock.save(update_fields=["active_at", "updated_at"])
    return lock


def lock_keep_alive(*, kind: str, object_id: int, user) -> EditLock | None:
    """The holder is still at work (a save, the form's keep-alive): their
    lock, in force or lapsed but not taken over, holds for another
    ``EDITORIAL_LOCK_MINUTES``. None when they hold no lock on the record."""
    with transaction.atomic():
        lock = (
            EditLock.objects.select_for_update()
            .held()
            .filter(kind=kind, object_id=object_id, locked_by=user)
            .first()
        )
        return _lock_refresh(lock) if lock is not None else None


def lock_release(*, kind: str, object_id: int, user) -> None:
    lock = lock_held(kind=kind, object_id=object_id)
    if lock is None:
        return
    if lock.locked_by_id != user.pk:
        raise PermissionDenied(
            "Only its holder can unlock it; a publisher can break it."
        )
    lock.released_at = timezone.now()
    lock.save(update_fields=["released_at", "updated_at"])


def lock_break(*, kind: str, object_id: int, user, note: str) -> EditLock:
    """A publisher frees a record someone else locked, saying why."""
    if not can_publish(user):
        raise PermissionDenied("Only publishers can break a lock.")
    note = note.strip()
    if not note:
        raise ValidationError(
            "Say why you break the lock, for the editor who holds it."
        )
    with transaction.atomic():
        lock = (
            EditLock.objects.select_for_update()
            .held()
            .filter(kind=kind, object_id=object_id)
            .first()
        )
        if lock is None:
            raise ValidationError("The record is not locked.")
        lock.released_at = timezone.now()
        lock.broken_by = user
        lock.break_note = note
        lock.save()
    return lock


def lock_broken_notice(*, kind: str, object_id: int, user) -> EditLock | None:
    """The user's last lock on the record if a publisher broke it, or if it
    lapsed and was taken over (the taker's is the only lock since);
    ``lapsed_at`` tells which. Shown until the record is locked again."""
    locks = EditLock.objects.filter(kind=kind, object_id=object_id)
    last, before = [*locks.select_related("broken_by")[:2], None, None][:2]
    if last is not None and last.broken_by_id and last.locked_by_id == user.pk:
        return last
    if (
        last is not None
        and before is not None
        and before.locked_by_id == user.pk
        and before.lapsed_at is not None
        and before.broken_by_id == last.locked_by_id
    ):
        return before
    return None
