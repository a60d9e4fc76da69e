"""The editorial workflow: drafts of live records, review, publishing now or at
a set time, and reverting to an old version as a draft.

A draft is the record's content document (the JSON export and import use); it
is published by the same writers import uses, so validation is written once.
Scheduled drafts need no cron job: the first request after their time
publishes them (``caching.ContentVersionMiddleware``), before any page is read."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import reversion
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.urls import resolve, reverse
from django.utils import timezone

from roles.catalogue.models import Role
from roles.comparisons.models import Comparison, ComparisonRole, comparison_rules
from roles.content_io import schema as cd
from roles.content_io import services
from roles.content_io.services import staged_primary_keys
from roles.editorial import notifications
from roles.editorial.completeness import PARTS, Gap, guide_gaps
from roles.editorial.content_check import draft_problems
from roles.editorial.merge import FieldMerge, Side, rebase, three_way
from roles.editorial.models import OPEN_STATES, Draft, DraftKind, DraftState, EditLock
from roles.editorial.permissions import PUBLISH_PERMISSION
from roles.publishing.models import Status
from roles.publishing.signals import staging
from roles.publishing.version import schedule_changed
from roles.questionnaire.models import Question

Doc = dict[str, Any]

SUBMIT_REFUSED = (
    "Not submitted: a publisher could not publish it yet. "
    "The draft is saved; add what is missing, then submit again."
)


@dataclass(frozen=True)
class KindSpec:
    model: type[Model]
    serialise: Callable[[Any], Doc]
    #: ``write(doc, instance=live)``: the import's one write path for a record
    #: (``content_io.services.write_record``), its links to other records included.
    write: Callable[..., Any]
    prefetch: tuple[str, ...]
    title_field: str


KIND_SPECS: dict[str, KindSpec] = {
    DraftKind.ROLE: KindSpec(
        Role,
        cd.role_doc,
        partial(services.write_record, DraftKind.ROLE),
        ("responsibilities__theme", "sources", "dimension_values__dimension"),
        "name",
    ),
    DraftKind.COMPARISON: KindSpec(
        Comparison,
        cd.comparison_doc,
        partial(services.write_record, DraftKind.COMPARISON),
        ("comparison_roles__role", "context_notes__factor"),
        "title",
    ),
    DraftKind.QUESTION: KindSpec(
        Question,
        cd.question_doc,
        partial(services.write_record, DraftKind.QUESTION),
        ("options__points__role", "statement_points__role"),
        "text",
    ),
}


def kind_of(model: type[Model]) -> str | None:
    for kind, spec in KIND_SPECS.items():
        if spec.model is model:
            return kind
    return None


def can_publish(user) -> bool:
    return bool(user and user.has_perm(PUBLISH_PERMISSION))


# --- edit locks, as every write of a record or its draft sees them ----------------


def when(value) -> str:
    """A time as locks show it: 10:32 today, with the date otherwise."""
    local = timezone.localtime(value)
    if local.date() == timezone.localdate():
        return f"{local:%H:%M}"
    return f"{local:%d %b %Y %H:%M}"


def lock_label(lock: EditLock) -> str:
    """ "Locked by ana since 10:32", or "Lock by ana lapsed at 11:02"."""
    if lock.has_lapsed():
        return f"Lock by {lock.locked_by} lapsed at {when(lock.lapses_at)}"
    return f"Locked by {lock.locked_by} since {when(lock.created_at)}"


def lock_in_the_way(*, kind: str, object_id: int, user) -> EditLock | None:
    """Someone else's lock in force on the record: while it holds, only its
    holder changes the record or its draft (``concurrency`` takes and breaks
    locks). A scheduled publication (``user`` None) is not stopped by one."""
    if user is None:
        return None
    return (
        EditLock.objects.in_force()
        .filter(kind=kind, object_id=object_id)
        .exclude(locked_by=user)
        .select_related("locked_by")
        .first()
    )


def _refuse_if_locked(*, kind: str, object_id: int, user) -> None:
    """Every action on a draft or a record other than its lock holder's save
    (publish, schedule, send back, discard, restore, rebase, bulk publish)
    asks this first: it would change what the holder is typing over, and
    their next save would be refused without a word of why."""
    lock = lock_in_the_way(kind=kind, object_id=object_id, user=user)
    if lock is None:
        return
    raise ValidationError(
        f"{lock_label(lock)}: nothing was changed. "
        + (
            f"Break the lock with a note for {lock.locked_by} first, "
            "or ask them to unlock it."
            if can_publish(user)
            else "Ask them to unlock it, or ask a publisher to break the lock."
        ),
        code="locked",
    )


def record_doc(*, kind: str, object_id: int) -> Doc:
    """The record's content document as the database holds it now."""
    spec = KIND_SPECS[kind]
    obj = spec.model._default_manager.prefetch_related(*spec.prefetch).get(pk=object_id)
    return spec.serialise(obj)


def record_in_memory(*, kind: str, live: Model, doc: Doc) -> Any:
    """``live`` (the record as the database holds it) changed in memory into
    the record ``doc`` makes it, written by nothing: its fields take the
    document's values and each related manager's ``all()`` is the document's
    rows - live rows it keeps with their keys, new rows unsaved (with the
    keys ``staged_primary_keys`` gives them, when on) - as the kind's writer
    would write them (``services.in_memory``). Raises what the writer raises
    for a document that names something deleted since (ValidationError,
    KeyError, TypeError)."""
    spec = KIND_SPECS[kind]
    # A draft may be incomplete (it lists what it lacks): built as
    # unpublished, as it would be written, then given its status back.
    status = doc.get("status", getattr(live, "status", Status.DRAFT))
    if "status" in doc:
        doc = {**doc, "status": Status.DRAFT}
    with services.in_memory():
        obj = spec.write(doc, instance=live)
    obj.status = status
    return obj


def record_problems(*, kind: str, object_id: int, staged: bool = False) -> list[str]:
    """``doc_problems`` of the record as the database holds it now."""
    if kind != DraftKind.ROLE:
        return []  # comparisons and questions: their formsets check the rules
    return doc_problems(
        kind=kind, doc=record_doc(kind=kind, object_id=object_id), staged=staged
    )


def doc_problems(*, kind: str, doc: Doc, staged: bool = False) -> list[str]:
    """What the import would refuse in the record ``doc``: the rules that
    need the whole record at once (duplicates, a role related to itself,
    ``content_doc.role_guide_problems``) and, for a published guide saved
    live, what it lacks (in the form's words). A staged save (a draft) may be
    incomplete: ``draft_gaps`` lists what it lacks."""
    if kind == DraftKind.COMPARISON:
        # Their formsets check the rules too, but a form's document moved
        # onto another editor's (``rebase``) is only checked here.
        return comparison_rules(doc.get("roles") or [], suits=doc.get("suits") or {})
    if kind != DraftKind.ROLE:
        return []  # questions: their formsets check the rules
    record = cd.normalise({kind: [doc]})[kind][0]
    problems = cd.role_guide_problems({**record, "status": Status.DRAFT})
    if staged or record.get("status") != Status.PUBLISHED:
        return problems
    return problems + [str(gap) for gap in guide_gaps(record)]


MERGE_CLASH = "Their change and yours, taken together, break a rule:"


def merged_problems(*, kind: str, base: Doc, theirs: Doc, yours: Doc) -> list[str]:
    """What ``yours`` (an edit of ``base``) moved onto ``theirs`` would break
    - each side valid on its own (three roles added to a comparison of
    three, by each of two editors) - said as the clash it is: not saved
    until the editor settles it."""
    merged = rebase(base, theirs, yours)
    return [
        f"{MERGE_CLASH} {problem}"
        for problem in doc_problems(kind=kind, doc=merged, staged=True)
    ]


def draft_gaps(*, kind: str, doc: Doc) -> list[Gap]:
    """What the record in ``doc`` still lacks to be published, in the form's
    words (roles only: comparisons and questions are checked by their forms)."""
    if kind != DraftKind.ROLE:
        return []
    slugs = [p.get("to") for p in doc.get("career_paths") or [] if p.get("to")]
    names = dict(Role.objects.filter(slug__in=slugs).values_list("slug", "name"))
    return guide_gaps(doc, names)


def live_record(draft: Draft):
    return (
        KIND_SPECS[draft.kind].model._default_manager.filter(pk=draft.object_id).first()
    )


def draft_token(draft: Draft | None) -> str:
    """The open draft's version, as a change form and the review page carry
    it: a save or publish from a page opened on another version is refused."""
    if draft is None:
        return "none"
    return f"{draft.pk}:{draft.updated_at.timestamp()}"


# --- stale drafts -------------------------------------------------------------

STALE_NOTE = "The live page changed after this draft was started."


def draft_is_stale(draft: Draft) -> bool:
    """The live record was saved (published, imported) after the draft was
    started from it. Drafts from before drafts remembered that are not."""
    if draft.base_version is None or draft.base_doc is None:
        return False
    live = _updated_at(draft.kind, draft.object_id)
    return live is not None and live != draft.base_version


def _updated_at(kind: str, object_id: int) -> dt.datetime | None:
    """When the live record was last saved: its version."""
    return (
        KIND_SPECS[kind]
        .model._default_manager.filter(pk=object_id)
        .values_list("updated_at", flat=True)
        .first()
    )


def draft_rebase_fields(draft: Draft) -> list[FieldMerge]:
    """Field by field: what the draft changed, what changed live since it was
    started, and where both did (to choose)."""
    if draft.base_doc is None:
        return []
    live = record_doc(kind=draft.kind, object_id=draft.object_id)
    return three_way(draft.base_doc, live, draft.doc)


def draft_rebase(*, draft: Draft, user, choices: dict[str, Side]) -> Draft:
    """Move the draft onto the live record as it is now: fields the draft did
    not touch take the live value, fields only the draft changed keep the
    draft's, and where both changed ``choices`` says which (the draft's when
    not chosen). The draft then starts from the live version of now."""
    _require_state(draft, *OPEN_STATES)
    spec = KIND_SPECS[draft.kind]
    with transaction.atomic():
        # The draft first, then the live row: the order every save, publish
        # and scheduled publish takes them in, so none waits on another.
        draft = Draft.objects.select_for_update().get(pk=draft.pk)
        live = (
            spec.model._default_manager.select_for_update()
            .filter(pk=draft.object_id)
            .first()
        )
        if live is None:
            raise ValidationError("The record this draft changes has been deleted.")
        _refuse_if_locked(kind=draft.kind, object_id=draft.object_id, user=user)
        live_doc = record_doc(kind=draft.kind, object_id=draft.object_id)
        draft.doc = rebase(draft.base_doc or live_doc, live_doc, draft.doc, choices)
        draft.saved_at = timezone.now()
        draft.title = _title(draft.kind, draft.doc)
        draft.base_doc = live_doc
        draft.base_version = _updated_at(draft.kind, draft.object_id)
        draft.full_clean()
        draft.save()
    return draft


def _title(kind: str, doc: Doc) -> str:
    return str(doc.get(KIND_SPECS[kind].title_field, ""))[:200]


# --- writes -------------------------------------------------------------------


def draft_save(
    *,
    kind: str,
    object_id: int,
    doc: Doc,
    user,
    started_from: tuple[dt.datetime, Doc] | None = None,
) -> Draft:
    """Stage ``doc`` as the record's draft: the open draft is updated (and goes
    back to Draft if it was submitted, scheduled or sent back), or one is made.
    A new draft starts from the live record of now, or from ``started_from``
    (the live version and document ``doc`` was typed on, for a form restored
    from a saved copy): if the record moved on since, the draft is stale and
    is rebased, instead of quietly undoing what changed meanwhile."""
    with transaction.atomic():
        draft = (
            Draft.objects.select_for_update().open().for_record(kind, object_id).first()
        )
        if draft is None:
            draft = Draft(kind=kind, object_id=object_id, created_by=user)
            # What the draft starts from, to tell later when the live page
            # changed after it (a stale draft) and what to rebase.
            draft.base_version = _updated_at(kind, object_id)
            if draft.base_version is not None:
                draft.base_doc = record_doc(kind=kind, object_id=object_id)
                if started_from is not None:
                    draft.base_version, draft.base_doc = started_from
        was_scheduled = draft.state == DraftState.SCHEDULED
        scheduled_at, scheduled_by = draft.go_live_at, draft.reviewed_by
        draft.doc = doc
        draft.saved_at = timezone.now()
        draft.title = _title(kind, doc)
        draft.state = DraftState.DRAFT
        draft.go_live_at = None
        draft.full_clean()
        draft.save()
    # Set on this object only: the schedule the save took the draft off (what
    # goes live must be what a publisher saw), for the caller to say so.
    draft.unscheduled_at = None
    if was_scheduled:
        schedule_changed()
        draft.unscheduled_at = scheduled_at
        notifications.notify_unscheduled(
            draft=draft, user=user, at=scheduled_at, scheduled_by=scheduled_by
        )
    return draft


def revert_refusal(*, kind: str, object_id: int, user) -> list[str]:
    """Why restoring an old version of the record as its draft is refused
    now (someone else's lock in force), in the words every refused write
    uses; empty when it may go ahead."""
    try:
        _refuse_if_locked(kind=kind, object_id=object_id, user=user)
    except ValidationError as exc:
        return exc.messages
    return []


def draft_revert(*, kind: str, object_id: int, doc: Doc, user) -> Draft:
    """An old version of the record (``doc``) as its draft, as "Revert to
    this version" makes it: refused while someone else's lock is in force,
    checked in the transaction that writes, since the draft it replaces may
    be the lock holder's."""
    with transaction.atomic():
        _refuse_if_locked(kind=kind, object_id=object_id, user=user)
        return draft_save(kind=kind, object_id=object_id, doc=doc, user=user)


def unscheduled_note(at: dt.datetime) -> str:
    """What the editor whose save took a draft off its schedule is told."""
    return (
        f"Draft saved. It is no longer scheduled for "
        f"{timezone.localtime(at):%d %b %Y %H:%M}: it changed after a publisher "
        "scheduled it, so it goes live only once a publisher has seen your change "
        "and publishes or schedules it again. The publisher who scheduled it has "
        "been told."
    )


def _require_state(draft: Draft, *states: str) -> None:
    """Each action is allowed from the listed states only (a published or
    discarded draft is history)."""
    if draft.state not in states:
        raise ValidationError(
            f"This draft is {draft.get_state_display().lower()}; "
            "it cannot be changed that way."
        )


def draft_submit(*, draft: Draft, user) -> Draft:
    """Hand the draft to the publishers: refused while it is incomplete, so a
    publisher is never handed a guide that cannot be published."""
    _require_state(draft, DraftState.DRAFT, DraftState.REJECTED)
    _refuse_if_locked(kind=draft.kind, object_id=draft.object_id, user=user)
    gaps = draft_gaps(kind=draft.kind, doc=draft.doc)
    if gaps:
        raise ValidationError(
            [SUBMIT_REFUSED] + [str(gap) for gap in gaps], code="incomplete"
        )
    draft.state = DraftState.IN_REVIEW
    draft.submitted_by = user
    draft.save(update_fields=["state", "submitted_by", "updated_at"])
    notifications.notify_submitted(draft=draft, user=user)
    return draft


def draft_reject(*, draft: Draft, user, comment: str) -> Draft:
    if not can_publish(user):
        raise PermissionDenied("Only publishers can review drafts.")
    _require_state(draft, DraftState.IN_REVIEW, DraftState.SCHEDULED)
    _refuse_if_locked(kind=draft.kind, object_id=draft.object_id, user=user)
    comment = comment.strip()
    if not comment:
        raise ValidationError("Say what needs to change, so the editor knows.")
    if draft.state == DraftState.SCHEDULED:
        schedule_changed()
    draft.state = DraftState.REJECTED
    draft.go_live_at = None
    draft.reviewed_by = user
    draft.review_comment = comment
    draft.save()
    notifications.notify_rejected(draft=draft, user=user)
    return draft


def can_discard(*, draft: Draft, user) -> bool:
    """Its author or a publisher may discard a draft, or restore it: a plain
    editor never throws away someone else's work."""
    mine = draft.created_by_id is not None and draft.created_by_id == user.pk
    return mine or can_publish(user)


def draft_discard_check(*, draft: Draft, user) -> None:
    """Raise what ``draft_discard`` would refuse with, writing nothing: the
    confirmation step asks only when discarding could go ahead."""
    if not can_discard(draft=draft, user=user):
        raise PermissionDenied("Only its author or a publisher can discard a draft.")
    _require_state(draft, *OPEN_STATES)
    _refuse_if_locked(kind=draft.kind, object_id=draft.object_id, user=user)


def draft_discard(*, draft: Draft, user) -> Draft:
    """Close the draft without publishing it. It is kept, with who discarded
    it and when, and can be restored (``draft_restore``)."""
    with transaction.atomic():
        draft = Draft.objects.select_for_update().get(pk=draft.pk)
        draft_discard_check(draft=draft, user=user)
        if draft.state == DraftState.SCHEDULED:
            schedule_changed()
        draft.state = DraftState.DISCARDED
        draft.go_live_at = None
        draft.discarded_by = user
        draft.discarded_at = timezone.now()
        draft.save()
    return draft


def draft_restore(*, draft: Draft, user) -> Draft:
    """Reopen a discarded draft as a draft (not scheduled, not submitted),
    unless another draft of the record is open: a record has one open draft."""
    if not can_discard(draft=draft, user=user):
        raise PermissionDenied("Only its author or a publisher can restore a draft.")
    with transaction.atomic():
        draft = Draft.objects.select_for_update().get(pk=draft.pk)
        _require_state(draft, DraftState.DISCARDED)
        _refuse_if_locked(kind=draft.kind, object_id=draft.object_id, user=user)
        if live_record(draft) is None:
            raise ValidationError("The record this draft changes has been deleted.")
        other = Draft.objects.open().for_record(draft.kind, draft.object_id).first()
        if other is not None:
            raise ValidationError(
                f"Another draft of this record is open (started by "
                f"{other.created_by or 'someone'}, {other.get_state_display().lower()}):"
                " publish or discard it first."
            )
        draft.state = DraftState.DRAFT
        draft.restored_by = user
        draft.restored_at = timezone.now()
        try:
            with transaction.atomic():
                draft.save()
        except IntegrityError as exc:  # another draft was opened meanwhile
            raise ValidationError(
                "Another draft of this record is open: publish or discard it first."
            ) from exc
    return draft


def draft_schedule(*, draft: Draft, user, at: dt.datetime) -> Draft:
    """The draft replaces the live version at ``at``; until then the live
    version keeps serving."""
    if not can_publish(user):
        raise PermissionDenied("Only publishers can schedule content.")
    _require_state(draft, DraftState.DRAFT, DraftState.IN_REVIEW, DraftState.SCHEDULED)
    _refuse_if_locked(kind=draft.kind, object_id=draft.object_id, user=user)
    if at <= timezone.now():
        raise ValidationError("Choose a time in the future, or publish now.")
    draft.state = DraftState.SCHEDULED
    draft.go_live_at = at
    draft.reviewed_by = user
    draft.save()
    schedule_changed()
    return draft


def draft_publish(*, draft: Draft, user, token: str | None = None) -> Any:
    """Write the draft over the live record with the import's writers, as one
    history revision of that record. Returns the live record.

    ``token`` is the draft's version the publisher reviewed: publishing is
    refused when the draft was saved since. A stale draft (the live page
    changed after it was started) is refused too, to be rebased first; a
    scheduled one (``user`` None) is rebased on its own, keeping the draft's
    value where both changed - never reverting a newer live field the draft
    did not touch."""
    if user is not None and not can_publish(user):
        raise PermissionDenied("Only publishers can publish content.")
    spec = KIND_SPECS[draft.kind]
    with transaction.atomic():
        # The draft, then the live row (see draft_rebase).
        draft = Draft.objects.select_for_update().get(pk=draft.pk)
        live = (
            spec.model._default_manager.select_for_update()
            .filter(pk=draft.object_id)
            .first()
        )
        _require_state(
            draft, DraftState.DRAFT, DraftState.IN_REVIEW, DraftState.SCHEDULED
        )
        if token is not None and token != draft_token(draft):
            raise ValidationError(
                "The draft was saved again after you opened this page: "
                "review its changes again, then publish."
            )
        if live is None:
            raise ValidationError("The record this draft changes has been deleted.")
        _refuse_if_locked(kind=draft.kind, object_id=draft.object_id, user=user)
        content = draft.doc
        if draft_is_stale(draft):
            if user is not None:
                raise ValidationError(
                    f"{STALE_NOTE} Publishing it would undo those changes: "
                    "rebase it on the live version below, then publish."
                )
            live_doc = record_doc(kind=draft.kind, object_id=draft.object_id)
            content = rebase(draft.base_doc or live_doc, live_doc, draft.doc)
        doc = {**content, "status": Status.PUBLISHED, "publish_at": None}
        with reversion.create_revision():
            reversion.set_comment(
                "Published a scheduled draft" if user is None else "Published a draft"
            )
            if user is not None:
                reversion.set_user(user)
            obj = spec.write(doc, instance=live)
            reversion.add_to_revision(obj)
        draft.doc = content
        draft.state = DraftState.PUBLISHED
        draft.published_at = timezone.now()
        if user is not None:
            draft.reviewed_by = user
        draft.save()
        notify_live(obj=obj, user=user, draft=draft)
    schedule_changed()
    return obj


def notify_live(*, obj, user, draft: Draft | None = None) -> None:
    """Mail that ``obj`` is live now (every path that publishes calls it
    once, inside its transaction: a rolled-back publish sends nothing)."""
    url = obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else ""
    notifications.notify_published(
        title=draft.title if draft is not None else str(obj),
        user=user,
        draft=draft,
        url=url,
    )


def drafts_publish_due(now: dt.datetime | None = None) -> int:
    """Publish every scheduled draft whose time has come. Called by
    ``caching.current_version`` when the next scheduled change (kept with the
    content version, in the database) has passed - so nothing is looked up in
    the cache, and a flushed or restored cache cannot hold a draft back."""
    now = now or timezone.now()
    published = 0
    with transaction.atomic():
        ready = list(
            Draft.objects.select_for_update(skip_locked=True)
            .filter(state=DraftState.SCHEDULED, go_live_at__lte=now)
            .order_by("go_live_at")
        )
        for draft in ready:
            try:
                with transaction.atomic():
                    draft_publish(draft=draft, user=None)
                published += 1
            except ValidationError as exc:
                Draft.objects.filter(pk=draft.pk).update(
                    state=DraftState.REJECTED,
                    go_live_at=None,
                    review_comment="Could not publish at the scheduled time: "
                    + " ".join(exc.messages),
                )
    if ready:
        schedule_changed()
    return published


# --- previews -----------------------------------------------------------------


def public_path(obj) -> str:
    if isinstance(obj, Question):
        # Every question, drafts included, on one page (the start page shows
        # none of them): the previewed one among them.
        return "/quiz/all/?preview=1"
    return obj.get_absolute_url()


@dataclass(frozen=True)
class PreviewBanner:
    """What the banner over a previewed page says, and where it leads back."""

    title: str
    note: str
    back_url: str = ""
    back_label: str = ""
    # The editors' accessibility checker on a draft's preview: what the
    # Markdown checker found (linked to the fields at ``edit_url``); the
    # browser adds axe-core's check of the rendered page
    # (static/js/preview-check.js). ``checks`` None: no checker on this preview.
    checks: tuple[ContentProblem, ...] | None = None
    edit_url: str = ""


def render_public(
    request: HttpRequest, path: str, banner: PreviewBanner | None = None
) -> HttpResponse:
    """Render a public page for the editor, in this transaction (so what it
    shows can be rolled back afterwards). ``banner`` marks it as a preview."""
    route, _, query = path.partition("?")
    match = resolve(route)
    preview = HttpRequest()
    preview.method = "GET"
    preview.path = preview.path_info = route
    preview.META = {**request.META, "REQUEST_METHOD": "GET", "QUERY_STRING": query}
    if query:
        preview.GET = preview.GET.copy()
        for pair in query.split("&"):
            key, _, value = pair.partition("=")
            preview.GET[key] = value
    preview.user = request.user
    # base.html draws it as the banner over the page. An attribute of our own,
    # so not in HttpRequest's stubs; a typed subclass would make GET immutable.
    preview.editor_preview = banner  # type: ignore[attr-defined]
    session = getattr(request, "session", None)
    if session is not None:
        preview.session = session
    preview.COOKIES = request.COOKIES
    for attr in ("csp_nonce", "_csp_nonce", "request_id"):
        if hasattr(request, attr):
            setattr(preview, attr, getattr(request, attr))
    response = match.func(preview, *match.args, **match.kwargs)
    if hasattr(response, "render") and not getattr(response, "is_rendered", True):
        response.render()
    return response


def preview_draft(request: HttpRequest, draft: Draft) -> HttpResponse:
    """The public page as it will look once the draft is published, rendered
    by the site's own view and templates, then rolled back."""
    spec = KIND_SPECS[draft.kind]
    doc = {**draft.doc, "status": Status.PUBLISHED, "publish_at": None}
    stale = (
        f" {STALE_NOTE} Rebase it before publishing." if draft_is_stale(draft) else ""
    )
    with staging(), staged_primary_keys(), transaction.atomic():
        live = spec.model._default_manager.get(pk=draft.object_id)
        obj = spec.write(doc, instance=live)
        banner = PreviewBanner(
            title=f"Preview of a draft: {draft.title}",
            note=f"{draft.get_state_display()}. The public sees the live version "
            f"until this draft is published.{stale}",
            back_url=draft.get_absolute_url(),
            back_label="Back to the draft",
            checks=tuple(draft_content_problems(draft)),
            edit_url=reverse(
                f"admin:roles_{spec.model._meta.model_name}_change",
                args=[draft.object_id],
            ),
        )
        response = render_public(request, public_path(obj), banner)
        transaction.set_rollback(True)
    return preview_response(response)


def preview_doc(
    request: HttpRequest, *, kind: str, object_id: int, doc: Doc, title: str, note: str
) -> HttpResponse:
    """The public page as ``doc`` (an unsaved form's document) would make
    the record, marked as a preview. A rendering, not a staging: the site's
    own view and templates read the database, so ``doc`` is written over the
    live record in a transaction that is always rolled back (as in
    ``preview_draft``); the draft itself is built without writing
    (``roles.editorial.staged``). Raises ValidationError when ``doc`` cannot
    be written (it names something deleted since)."""
    spec = KIND_SPECS[kind]
    with staging(), staged_primary_keys(), transaction.atomic():
        live = spec.model._default_manager.get(pk=object_id)
        # Written as it is (a draft may be unfinished), then shown as published.
        spec.write({**doc, "status": Status.DRAFT}, instance=live)
        spec.model._default_manager.filter(pk=object_id).update(
            status=Status.PUBLISHED, publish_at=None, unpublish_at=None
        )
        obj = spec.model._default_manager.get(pk=object_id)
        # The checker as on a draft's preview; this tab is not the form, so
        # its findings name their fields without linking (no edit_url).
        banner = PreviewBanner(
            title=title,
            note=note,
            checks=tuple(doc_content_problems(kind=kind, doc=doc)),
        )
        response = render_public(request, public_path(obj), banner)
        transaction.set_rollback(True)
    return response


def preview_response(response: HttpResponse) -> HttpResponse:
    out = HttpResponse(
        response.content,
        status=response.status_code,
        content_type=response.get("Content-Type", "text/html; charset=utf-8"),
    )
    out["Cache-Control"] = "private, no-store"
    out["X-Robots-Tag"] = "noindex"
    return out


# --- the editors' dashboard ----------------------------------------------------


@dataclass(frozen=True)
class DashboardItem:
    label: str
    url: str
    note: str = ""


@dataclass(frozen=True)
class Dashboard:
    my_drafts: list[DashboardItem]
    awaiting_review: list[DashboardItem]
    scheduled: list[DashboardItem]
    expiring: list[DashboardItem]
    not_reviewed: list[DashboardItem]
    # Curated comparisons published in their own right but offline because
    # one of their roles is (unpublished or expired).
    dark_comparisons: list[DashboardItem] = field(default_factory=list)


DASHBOARD_LIMIT = 10
EXPIRY_WINDOW = dt.timedelta(days=30)
REVIEW_AGE = dt.timedelta(days=365)


def _when(value: dt.datetime) -> str:
    local = timezone.localtime(value)
    return f"{local:%d %b %Y %H:%M} ({local.tzname()})"


def _draft_item(draft: Draft, note: str = "") -> DashboardItem:
    return DashboardItem(
        f"{draft.get_kind_display()}: {draft.title}", draft.get_absolute_url(), note
    )


def _change_url(obj) -> str:
    from django.urls import reverse

    return reverse(f"admin:roles_{obj._meta.model_name}_change", args=[obj.pk])


def dashboard(*, user, now: dt.datetime | None = None) -> Dashboard:
    """What needs an editor's attention, in a fixed number of queries."""
    from django.db.models import Q

    now = now or timezone.now()
    drafts = Draft.objects.open().select_related("created_by", "submitted_by")
    mine = [
        _draft_item(d, d.get_state_display())
        for d in drafts.filter(created_by=user)[:DASHBOARD_LIMIT]
    ]
    review = [
        _draft_item(d, f"submitted by {d.submitted_by}" if d.submitted_by else "")
        for d in drafts.filter(state=DraftState.IN_REVIEW).order_by("updated_at")[
            :DASHBOARD_LIMIT
        ]
    ]
    scheduled = [
        (d.go_live_at, _draft_item(d, f"goes live {_when(d.go_live_at)}"))
        for d in drafts.filter(state=DraftState.SCHEDULED).order_by("go_live_at")[
            :DASHBOARD_LIMIT
        ]
    ]
    expiring = []
    stale = []
    cutoff = (now - REVIEW_AGE).date()
    for model in (Role, Comparison, Question):
        label = str(model._meta.verbose_name).capitalize()
        for obj in model.objects.filter(
            status=Status.PUBLISHED, publish_at__gt=now
        ).order_by("publish_at")[:DASHBOARD_LIMIT]:
            scheduled.append(
                (
                    obj.publish_at,
                    DashboardItem(
                        f"{label}: {obj}",
                        _change_url(obj),
                        f"goes live {_when(obj.publish_at)}",
                    ),
                )
            )
        soon = list(
            model.objects.filter(
                unpublish_at__gt=now, unpublish_at__lte=now + EXPIRY_WINDOW
            ).order_by("unpublish_at")[:DASHBOARD_LIMIT]
        )
        taken = _comparisons_taken_offline(soon, now) if model is Role else {}
        for obj in soon:
            note = f"goes offline {_when(obj.unpublish_at)}"
            if titles := taken.get(obj.pk):
                note += "; takes offline with it " + ", ".join(titles)
            expiring.append(
                (
                    obj.unpublish_at,
                    DashboardItem(f"{label}: {obj}", _change_url(obj), note),
                )
            )
        if model is not Question:
            for obj in (
                model.objects.published(now)
                .filter(Q(last_reviewed__isnull=True) | Q(last_reviewed__lt=cutoff))
                .order_by("last_reviewed")[:DASHBOARD_LIMIT]
            ):
                stale.append(
                    DashboardItem(
                        f"{label}: {obj}",
                        _change_url(obj),
                        f"last reviewed {obj.last_reviewed:%d %b %Y}"
                        if obj.last_reviewed
                        else "never reviewed",
                    )
                )
    return Dashboard(
        my_drafts=mine,
        awaiting_review=review,
        scheduled=[item for _, item in sorted(scheduled, key=lambda p: p[0])][
            :DASHBOARD_LIMIT
        ],
        expiring=[item for _, item in sorted(expiring, key=lambda p: p[0])][
            :DASHBOARD_LIMIT
        ],
        not_reviewed=stale[: DASHBOARD_LIMIT * 2],
        dark_comparisons=_dark_comparisons(now),
    )


def _comparisons_taken_offline(roles, now: dt.datetime) -> dict[int, list[str]]:
    """The public comparisons each of these roles will take offline with it
    (one query)."""
    taken: dict[int, list[str]] = {}
    members = (
        ComparisonRole.objects.filter(
            role__in=roles, comparison__in=Comparison.objects.published(now)
        )
        .values_list("role_id", "comparison__title")
        .order_by("comparison__title")
    )
    for role_pk, title in members:
        taken.setdefault(role_pk, []).append(title)
    return taken


def _dark_comparisons(now: dt.datetime) -> list[DashboardItem]:
    """Two queries: the comparisons, then their roles."""
    items = []
    for comparison in Comparison.objects.dark(now).with_roles()[:DASHBOARD_LIMIT]:
        offline = [
            f"{member.role} ({member.role.state.lower()})"
            for member in comparison.comparison_roles.all()
            if not member.role.is_published(now)
        ]
        items.append(
            DashboardItem(
                comparison.title,
                _change_url(comparison),
                "offline with " + ", ".join(offline),
            )
        )
    return items


def role_start_from(*, source: Role, name: str, slug: str, user) -> Role:
    """A new, unpublished role that starts as a copy of ``source``'s guide
    (its parts, sources, related roles and career paths), named ``name`` at
    ``slug``: the quick way to add a role, to edit and submit for review."""
    doc = record_doc(kind=DraftKind.ROLE, object_id=source.pk)
    doc.update(
        slug=slug,
        name=name,
        also_known_as=[],
        last_reviewed=None,
        map_x=None,
        map_y=None,
        status=Status.DRAFT,
        publish_at=None,
        unpublish_at=None,
    )
    # The new role is related to the one it started from, not to itself.
    doc["related_roles"] = [s for s in doc["related_roles"] if s != slug]
    doc["career_paths"] = [p for p in doc["career_paths"] if p["to"] != slug]
    if Role.objects.filter(slug=slug).exists():
        raise ValidationError(f"A role already has the address “{slug}”.")
    record = cd.normalise({DraftKind.ROLE: [doc]})[DraftKind.ROLE][0]
    with transaction.atomic(), reversion.create_revision():
        reversion.set_comment(f"Started from {source.name}")
        if user is not None:
            reversion.set_user(user)
        role = services.write_record(DraftKind.ROLE, record)
        reversion.add_to_revision(role)
    return role


@dataclass(frozen=True)
class BulkResult:
    done: list[str]
    refused: list[str]  # "<record>: why", in words


def records_set_live(*, kind: str, objects, user, live: bool) -> BulkResult:
    """Publish (``live``) or unpublish each record, as one history revision of
    that record each: a record with an open draft publishes the draft (through
    ``draft_publish``, so a stale draft is refused there); an incomplete guide
    is refused with what it lacks. Publishers only."""
    if not can_publish(user):
        raise PermissionDenied("Only publishers can publish or unpublish content.")
    spec = KIND_SPECS[kind]
    done: list[str] = []
    refused: list[str] = []
    for obj in objects:
        draft = Draft.objects.open().for_record(kind, obj.pk).first()
        try:
            _refuse_if_locked(kind=kind, object_id=obj.pk, user=user)
            if live and draft is not None:
                draft_publish(draft=draft, user=user)
            else:
                was_live = obj.is_published()
                doc = record_doc(kind=kind, object_id=obj.pk)
                if live:
                    gaps = draft_gaps(kind=kind, doc=doc)
                    if gaps:
                        raise ValidationError([str(gap) for gap in gaps])
                doc = {
                    **doc,
                    "status": Status.PUBLISHED if live else Status.DRAFT,
                    "publish_at": None,
                }
                with transaction.atomic(), reversion.create_revision():
                    reversion.set_comment("Published" if live else "Unpublished")
                    reversion.set_user(user)
                    record = spec.write(doc, instance=obj)
                    reversion.add_to_revision(record)
                    if live and record.is_published() and not was_live:
                        notify_live(obj=record, user=user)
        except ValidationError as exc:
            refused.append(f"{obj}: {' '.join(exc.messages)}")
        else:
            done.append(str(obj))
    schedule_changed()
    return BulkResult(done, refused)


@dataclass(frozen=True)
class ContentProblem:
    where: str  # the field as the form labels it
    message: str
    anchor: str  # the id on the record's change form


NOT_PROSE = frozenset({"slug", "key", "url", "status", "publish_at", "unpublish_at"})


def draft_content_problems(draft: Draft) -> list[ContentProblem]:
    """The editors' accessibility checker (``content_check``) over the draft's
    text fields, each finding with where it is on the change form."""
    return doc_content_problems(kind=draft.kind, doc=draft.doc)


def doc_content_problems(*, kind: str, doc: Doc) -> list[ContentProblem]:
    """``draft_content_problems`` over a record's document (a draft's, or an
    unsaved form's)."""
    model = KIND_SPECS[kind].model
    labels = {
        f.name: str(getattr(f, "verbose_name", f.name))
        for f in model._meta.get_fields()
    }
    fields: dict[str, str] = {}
    where: dict[str, tuple[str, str]] = {}
    for key, value in doc.items():
        if isinstance(value, str) and key not in NOT_PROSE:
            fields[key] = value
            where[key] = (labels.get(key, key).capitalize(), f"id_{key}")
        elif isinstance(value, list):
            part = PARTS.get(key)
            for i, item in enumerate(value):
                if not isinstance(item, dict):
                    continue
                for sub, text in item.items():
                    if isinstance(text, str) and sub not in NOT_PROSE:
                        name = f"{key}.{i}.{sub}"
                        fields[name] = text
                        label = (
                            part.label if part else key.replace("_", " ").capitalize()
                        )
                        where[name] = (
                            f"{label}, item {i + 1}",
                            part.anchor if part else "",
                        )
    return [
        ContentProblem(where[f.field][0], f.message, where[f.field][1])
        for f in draft_problems(fields)
    ]
