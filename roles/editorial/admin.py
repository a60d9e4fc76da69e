"""The editorial workflow in the admin: drafts of live records, preview of
unsaved changes, review, publishing now or later, revert as a draft.

The record's own change form edits its draft. Staging runs the admin's normal
save (forms, inlines, validation) inside a transaction, reads the resulting
content document and rolls the transaction back: the live record is untouched
and the draft is exactly what Save would have written."""

from __future__ import annotations

from contextlib import contextmanager
from typing import TYPE_CHECKING

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import (
    ImproperlyConfigured,
    PermissionDenied,
    ValidationError,
)
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from reversion.models import Version

from roles import models as m
from roles.content_io.services import staged_primary_keys
from roles.editorial import concurrency as cc
from roles.editorial import workflow as wf
from roles.editorial.docdiff import doc_diff
from roles.editorial.merge import three_way
from roles.editorial.usage import role_usage
from roles.publishing.signals import bump_content_version, staging

STAGE_ACTIONS = {
    "_save_draft": "draft",
    "_submit_draft": "submit",
    "_preview": "preview",
}


def _consume_messages(request: HttpRequest) -> None:
    """Drop the messages of a save that was rolled back (reversion's
    "reverted", a draft that could not be applied to the form)."""
    list(messages.get_messages(request))


class RecordProblems(Exception):
    """The saved record breaks a whole-record rule (``save_related``): the
    caller rolls the save back and shows the form again with ``problems``."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


def _stage_action(request: HttpRequest) -> str | None:
    """What a POST to a change form asks for: a staging action ("draft",
    "submit", "preview"), or None for a live save (publishers only)."""
    action = next((a for key, a in STAGE_ACTIONS.items() if key in request.POST), None)
    if action is None and not wf.can_publish(request.user):
        action = "draft"
    return action


def _render(response):
    if isinstance(response, TemplateResponse) and not response.is_rendered:
        response.render()
    return response


if TYPE_CHECKING:
    # What the mixin is mixed into, so that its methods are checked against it.
    _ModelAdminBase = admin.ModelAdmin
else:
    _ModelAdminBase = object


class StartFromForm(forms.Form):
    source = forms.ModelChoiceField(
        queryset=m.Role.objects.order_by("name"),
        label="Start from",
        help_text="Its guide is copied into the new role, to change what differs.",
    )
    name = forms.CharField(max_length=100, label="Name of the new role")
    slug = forms.SlugField(
        max_length=100,
        label="Address",
        help_text="The last part of the page's address, such as “service-owner”.",
    )


class WorkflowAdminMixin(_ModelAdminBase):
    """For Role, Comparison and Question admins (with reversion's VersionAdmin)."""

    change_form_template = "admin/roles/workflow_change_form.html"
    revision_form_template = "admin/roles/revision_form.html"

    # --- helpers --------------------------------------------------------------

    def _kind(self) -> str:
        kind = wf.kind_of(self.model)
        if kind is None:  # the mixin is only for the models in wf.KIND_SPECS
            raise ImproperlyConfigured(f"{self.model.__name__} has no draft kind.")
        return kind

    def _open_draft(self, object_id) -> m.Draft | None:
        return m.Draft.objects.open().for_record(self._kind(), object_id).first()

    @contextmanager
    def _draft_applied(self, request, draft: m.Draft | None, object_id):
        """The record as its draft has it, inside the caller's transaction. A
        draft that names something deleted since (a theme, a role) cannot be
        applied: the form shows the live version and says so."""
        with staged_primary_keys():
            if draft is not None:
                spec = wf.KIND_SPECS[draft.kind]
                try:
                    with transaction.atomic():
                        live = spec.model._default_manager.get(pk=object_id)
                        # A draft may be incomplete (it lists what it lacks):
                        # written as unpublished, then given its status back.
                        status = draft.doc.get(
                            "status", getattr(live, "status", m.Status.DRAFT)
                        )
                        doc = draft.doc
                        if "status" in doc:
                            doc = {**doc, "status": m.Status.DRAFT}
                        spec.write(doc, instance=live)
                        spec.model._default_manager.filter(pk=object_id).update(
                            status=status
                        )
                except (ValidationError, KeyError, TypeError):
                    messages.error(
                        request,
                        "The open draft can no longer be applied: it names something "
                        "deleted since. The form shows the live version; saving a "
                        "draft replaces it. The old draft is on its review page.",
                    )
            yield

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        problems = getattr(request, "_workflow_problems", None)
        refusal = getattr(request, "_workflow_refusal", None)
        if not problems and not refusal:
            return form

        class Checked(form):
            def clean(self):
                cleaned = super().clean()
                if refusal:
                    self.add_error(None, refusal)
                if problems:
                    self.add_error(
                        None,
                        "A published guide must be complete. Add what is missing "
                        "below, or set the status to Draft to finish it later:",
                    )
                    for problem in problems:
                        self.add_error(None, problem)
                return cleaned

        Checked.__name__ = form.__name__
        return Checked

    def _show_problems(self, request, problems, object_id, form_url, context, draft):
        """The form again, as posted, with what the saved record broke; the
        save itself was rolled back, so nothing the editor typed is lost."""
        request._workflow_problems = problems
        with staging(), transaction.atomic():
            if object_id is None:
                response = _render(
                    super().changeform_view(request, None, form_url, context)
                )
            else:
                with self._draft_applied(request, draft, object_id):
                    response = _render(
                        super().changeform_view(request, object_id, form_url, context)
                    )
            transaction.set_rollback(True)
        return response

    def _context(self, request, object_id, draft, extra_context):
        kind = self._kind()
        object_id = int(object_id)
        version = cc.live_version(kind=kind, object_id=object_id)
        if draft is not None:
            base = draft.doc
        elif version:
            base = wf.record_doc(kind=kind, object_id=object_id)
        else:  # no such record: Django's own view says so
            base = {}
        user = request.user
        lock = cc.lock_held(kind=kind, object_id=object_id)
        return {
            **(extra_context or {}),
            "workflow_draft": draft,
            "workflow_token": wf.draft_token(draft),
            "workflow_version": version,
            "workflow_base": cc.base_sign(base),
            "workflow_stale": draft is not None and wf.draft_is_stale(draft),
            "edit_lock": lock,
            "edit_lock_since": cc.when(lock.created_at) if lock else "",
            "edit_lock_broken": cc.lock_broken_notice(
                kind=kind, object_id=object_id, user=user
            ),
            "autosaved_copies": cc.copies_for(
                kind=kind, object_id=object_id, user=user
            ),
            "can_publish": wf.can_publish(user),
            "workflow_gaps": wf.draft_gaps(kind=kind, doc=base) if draft else [],
            "role_usage": (
                role_usage(role_id=object_id)
                if kind == m.DraftKind.ROLE and version
                else None
            ),
        }

    def get_urls(self):
        info = self.model._meta.app_label, self.model._meta.model_name
        return [
            path(
                "start/",
                self.admin_site.admin_view(self.start_from_view),
                name="{}_{}_start".format(*info),
            ),
            path(
                "<int:object_id>/lock/",
                self.admin_site.admin_view(self.lock_view),
                name="{}_{}_lock".format(*info),
            ),
            *super().get_urls(),
        ]

    # --- bulk publish / unpublish (publishers only) ------------------------------

    actions = ["publish_selected", "unpublish_selected"]

    def has_publish_permission(self, request) -> bool:
        return wf.can_publish(request.user)

    def _set_live(self, request, queryset, *, live: bool) -> None:
        result = wf.records_set_live(
            kind=self._kind(), objects=list(queryset), user=request.user, live=live
        )
        verb = "Published" if live else "Unpublished"
        if result.done:
            messages.success(request, f"{verb}: {', '.join(result.done)}.")
        for refusal in result.refused:
            messages.error(request, f"Not {verb.lower()}: {refusal}")

    @admin.action(description="Publish the selected records", permissions=["publish"])
    def publish_selected(self, request, queryset) -> None:
        self._set_live(request, queryset, live=True)

    @admin.action(description="Unpublish the selected records", permissions=["publish"])
    def unpublish_selected(self, request, queryset) -> None:
        self._set_live(request, queryset, live=False)

    def start_from_view(self, request) -> HttpResponse:
        """Add a role as a copy of an existing one: a new unpublished role
        with a name and address to fill, opened in its form."""
        if self._kind() != m.DraftKind.ROLE:
            raise PermissionDenied
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = StartFromForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                role = wf.role_start_from(
                    source=form.cleaned_data["source"],
                    name=form.cleaned_data["name"],
                    slug=form.cleaned_data["slug"],
                    user=request.user,
                )
            except ValidationError as exc:
                form.add_error("slug", exc)
            else:
                messages.success(
                    request,
                    f"“{role.name}” starts as a copy of "
                    f"“{form.cleaned_data['source'].name}”. Change what differs, "
                    "then submit it for review.",
                )
                return HttpResponseRedirect(_change_url(self.model, role.pk))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Start a role from an existing one",
            "form": form,
        }
        return TemplateResponse(request, "admin/roles/start_from.html", context)

    def lock_view(self, request, object_id: int) -> HttpResponse:
        """Take, release or (publishers, with a note) break the edit lock;
        discard one of your saved copies of the form."""
        if request.method != "POST":
            return HttpResponseRedirect(_change_url(self.model, object_id))
        obj = get_object_or_404(self.model, pk=object_id)
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        kind, user = self._kind(), request.user
        try:
            if "_discard_copy" in request.POST:
                copy = get_object_or_404(
                    m.AutosavedCopy,
                    pk=request.POST["_discard_copy"],
                    kind=kind,
                    object_id=object_id,
                )
                cc.copy_discard(copy=copy, user=user)
                messages.success(request, "Saved copy discarded.")
            elif "_unlock" in request.POST:
                cc.lock_release(kind=kind, object_id=object_id, user=user)
                messages.success(request, "Unlocked: others can save it again.")
            elif "_break_lock" in request.POST:
                lock = cc.lock_break(
                    kind=kind,
                    object_id=object_id,
                    user=user,
                    note=request.POST.get("lock_note", ""),
                )
                messages.success(
                    request,
                    f"Lock of {lock.locked_by} broken; they will see your note.",
                )
            else:
                lock = cc.lock_take(kind=kind, object_id=object_id, user=user)
                messages.success(
                    request,
                    f"{cc.lock_label(lock)}: others cannot save it until you unlock it.",
                )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return HttpResponseRedirect(_change_url(self.model, object_id))

    def get_queryset(self, request):
        locks = m.EditLock.objects.held().filter(
            kind=self._kind(), object_id=OuterRef("pk")
        )
        return (
            super()
            .get_queryset(request)
            .annotate(
                lock_holder=Subquery(locks.values("locked_by__username")[:1]),
                lock_since=Subquery(locks.values("created_at")[:1]),
            )
        )

    def get_list_display(self, request):
        return [*super().get_list_display(request), "edit_lock"]

    @admin.display(description="lock")
    def edit_lock(self, obj) -> str:
        if not getattr(obj, "lock_holder", None):
            return "—"
        return f"Locked by {obj.lock_holder} since {cc.when(obj.lock_since)}"

    def update_order(self, request):
        # Reordering questions in the list changes the live questionnaire.
        if not wf.can_publish(request.user):
            raise PermissionDenied("Only publishers can reorder published content.")
        response = super().update_order(request)
        # adminsortable2 saves with bulk_update, which sends no signals.
        bump_content_version()
        transaction.on_commit(bump_content_version)
        return response

    def has_delete_permission(self, request, obj=None) -> bool:
        # Deleting takes a page offline: publishers only, like publishing.
        if not wf.can_publish(request.user):
            return False
        return super().has_delete_permission(request, obj)

    # --- views ----------------------------------------------------------------

    def save_model(self, request, obj, form, change):
        if (
            not change
            and obj.status == m.Status.PUBLISHED
            and not wf.can_publish(request.user)
        ):
            obj.status = m.Status.DRAFT
            messages.warning(
                request,
                "Saved as a draft: a publisher publishes it after review. "
                "Submit it for review from its page.",
            )
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if request.resolver_match and request.resolver_match.url_name.endswith(
            "_revision"
        ):
            return  # reverting makes a draft; publishing it checks the rules
        problems = wf.record_problems(
            kind=self._kind(),
            object_id=form.instance.pk,
            staged=_stage_action(request) is not None,
        )
        if problems:
            raise RecordProblems(problems)

    def response_change(self, request, obj):
        if _stage_action(request) is not None:
            # A staged save is rolled back: no "changed successfully".
            return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # Not VersionAdmin's change_view: its revision would outlive the rolled
        # back transaction of a staged save. A real save records its revision
        # in _save_live.
        return self.changeform_view(request, object_id, form_url, extra_context)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if (extra_context or {}).get("revert"):
            # reversion's revision_view (below) renders and saves the old
            # version through this view, marking its context "revert".
            return super().changeform_view(request, object_id, form_url, extra_context)
        if object_id is None:
            return self._add(request, form_url, extra_context)
        object_id = unquote(object_id)
        if not str(object_id).isdigit():
            # Not an id: Django's own view says the record does not exist.
            return super().changeform_view(request, object_id, form_url, extra_context)
        draft = self._open_draft(int(object_id))
        context = self._context(request, object_id, draft, extra_context)
        if request.method != "POST":
            restore = request.GET.get("restore", "")
            if restore.isdigit():
                return self._restore(
                    request, object_id, form_url, context, draft, int(restore)
                )
            if draft is None:
                return super().changeform_view(request, object_id, form_url, context)
            with staging(), transaction.atomic():
                with self._draft_applied(request, draft, object_id):
                    response = _render(
                        super().changeform_view(request, object_id, form_url, context)
                    )
                transaction.set_rollback(True)
            return response
        action = _stage_action(request)
        if action == "preview":  # saves nothing: never refused
            return self._stage(request, object_id, form_url, context, draft, action)
        with transaction.atomic():
            # Checked and saved in one transaction, the live row and the draft
            # locked: a second editor's save waits for this one, then is refused.
            refusal = cc.edit_refusal(
                kind=self._kind(),
                object_id=int(object_id),
                user=request.user,
                version=request.POST.get("_record_version"),
                token=request.POST.get("_workflow_token", "none"),
            )
            if refusal is None:
                if action is None:
                    return self._save_live(request, object_id, form_url, context, draft)
                return self._stage(request, object_id, form_url, context, draft, action)
        return self._refuse(request, refusal, object_id, form_url, extra_context)

    def _posted_doc(self, request, object_id, form_url, base) -> wf.Doc | None:
        """The record as the posted form would make it from ``base`` (the
        version the form was opened on), saved and rolled back; None when the
        form cannot be applied to it."""
        kind = self._kind()
        opened = m.Draft(kind=kind, object_id=int(object_id), doc=base)
        doc = None
        try:
            with staging(), transaction.atomic():
                with self._draft_applied(request, opened, object_id):
                    response = _render(
                        super().changeform_view(request, str(object_id), form_url, {})
                    )
                if response.status_code == 302:
                    doc = wf.record_doc(kind=kind, object_id=int(object_id))
                transaction.set_rollback(True)
        except RecordProblems:
            doc = None
        _consume_messages(request)
        return doc

    def _refuse(self, request, refusal, object_id, form_url, extra_context):
        """A refused save: the form again as posted (nothing typed is lost),
        a saved copy of it, and their change beside yours."""
        kind = self._kind()
        object_id = int(object_id)
        copy = cc.copy_keep(
            kind=kind,
            object_id=object_id,
            user=request.user,
            data=request.POST,
            reason=refusal.reason,
        )
        draft = self._open_draft(object_id)
        theirs = (
            draft.doc
            if draft is not None
            else wf.record_doc(kind=kind, object_id=object_id)
        )
        base = cc.base_read(request.POST.get("_base_doc", ""))
        yours = self._posted_doc(request, object_id, form_url, base) if base else None
        context = self._context(request, object_id, draft, extra_context)
        context["workflow_conflict"] = {
            "reason": refusal.reason,
            "copy": copy,
            "fields": three_way(base, theirs, yours) if base and yours else [],
        }
        request._workflow_refusal = (
            f"{refusal.reason} What you typed is kept in the form below and in a "
            f"saved copy ({timezone.localtime(copy.created_at):%H:%M}); "
            "saving again replaces their version with yours."
        )
        return self._rerender(request, object_id, form_url, context, draft)

    def _restore(self, request, object_id, form_url, context, draft, copy_id):
        """An autosaved copy back in the form, as if just posted; nothing is
        saved until the editor saves it."""
        copy = get_object_or_404(
            m.AutosavedCopy,
            pk=copy_id,
            user=request.user,
            kind=self._kind(),
            object_id=int(object_id),
        )
        request.POST = cc.copy_data(copy=copy)
        request.method = "POST"
        when = timezone.localtime(copy.created_at)
        request._workflow_refusal = (
            f"Your copy of {when:%d %b %Y %H:%M} is back in the form below. "
            "Check it against the current version, then save."
        )
        return self._rerender(request, object_id, form_url, context, draft)

    def _rerender(self, request, object_id, form_url, context, draft):
        """The form as posted, with the errors set on the request, over the
        record as it is now; whatever the admin saves is rolled back."""
        with staging(), transaction.atomic():
            with self._draft_applied(request, draft, object_id):
                response = _render(
                    super().changeform_view(request, str(object_id), form_url, context)
                )
            transaction.set_rollback(True)
        return response

    def _add(self, request, form_url, extra_context):
        try:
            with transaction.atomic():
                return _render(
                    super().changeform_view(request, None, form_url, extra_context)
                )
        except RecordProblems as exc:
            return self._show_problems(
                request, exc.problems, None, form_url, extra_context, None
            )

    def _save_live(self, request, object_id, form_url, context, draft):
        try:
            with transaction.atomic():
                with (
                    self.create_revision(request),
                    self._draft_applied(request, draft, object_id),
                ):
                    response = _render(
                        super().changeform_view(request, object_id, form_url, context)
                    )
                if response.status_code != 302:
                    transaction.set_rollback(True)
                elif draft is not None:
                    draft.state = m.DraftState.PUBLISHED
                    draft.published_at = timezone.now()
                    draft.reviewed_by = request.user
                    draft.save()
        except RecordProblems as exc:
            return self._show_problems(
                request, exc.problems, object_id, form_url, context, draft
            )
        return response

    def _stage(self, request, object_id, form_url, context, draft, action):
        kind = self._kind()
        page = None
        # A staged save is always rolled back (response_change sends no
        # "changed successfully" for it).
        problems: list[str] = []
        with staging(), transaction.atomic():
            try:
                with self._draft_applied(request, draft, object_id):
                    response = _render(
                        super().changeform_view(request, object_id, form_url, context)
                    )
            except RecordProblems as exc:
                problems = exc.problems
            saved = not problems and response.status_code == 302
            if saved:
                doc = wf.record_doc(kind=kind, object_id=int(object_id))
                if action == "preview":
                    self.model.objects.filter(pk=object_id).update(
                        status=m.Status.PUBLISHED, publish_at=None, unpublish_at=None
                    )
                    obj = self.model.objects.get(pk=object_id)
                    page = wf.render_public(
                        request,
                        wf.public_path(obj),
                        wf.PreviewBanner(
                            title=f"Preview of unsaved changes: {obj}",
                            note="Nothing is saved: close this tab to go on editing.",
                        ),
                    )
            transaction.set_rollback(True)
        if problems:
            return self._show_problems(
                request, problems, object_id, form_url, context, draft
            )
        if not saved:
            return response
        _consume_messages(request)
        if page is not None:
            return wf.preview_response(page)
        draft = wf.draft_save(
            kind=kind, object_id=int(object_id), doc=doc, user=request.user
        )
        gaps = wf.draft_gaps(kind=kind, doc=doc)
        if action == "submit" and not gaps:
            wf.draft_submit(draft=draft, user=request.user)
            messages.success(
                request, "Draft submitted for review. The live page is unchanged."
            )
            return HttpResponseRedirect(draft.get_absolute_url())
        if action == "submit":
            messages.error(request, wf.SUBMIT_REFUSED)
        else:
            messages.success(
                request,
                "Draft saved. The live page is unchanged until the draft is published.",
            )
        if gaps:
            # Back to the form, where the list links to each part (and the
            # draft is what the form shows), so the editor can fill it in.
            if action != "submit":
                messages.warning(
                    request,
                    f"Before it can be submitted, {len(gaps)} "
                    f"{'thing is' if len(gaps) == 1 else 'things are'} missing: "
                    "see “Still needed to publish” on the form.",
                )
            return HttpResponseRedirect(request.path)
        return HttpResponseRedirect(draft.get_absolute_url())

    def revision_view(self, request, object_id, version_id, extra_context=None):
        """Reverting restores the old version as a draft of this record only,
        to review before it is published."""
        if request.method != "POST":
            return super().revision_view(request, object_id, version_id, extra_context)
        object_id = unquote(object_id)
        with staging(), transaction.atomic():
            response = super().revision_view(
                request, object_id, version_id, extra_context
            )
            version = get_object_or_404(Version, pk=version_id, object_id=object_id)
            saved = (
                response.status_code == 302
                and self.model.objects.filter(pk=object_id).exists()
            )
            if saved:
                doc = wf.record_doc(kind=self._kind(), object_id=int(object_id))
            transaction.set_rollback(True)
        if not saved:
            return response
        _consume_messages(request)
        draft = wf.draft_save(
            kind=self._kind(), object_id=int(object_id), doc=doc, user=request.user
        )
        when = timezone.localtime(version.revision.date_created)
        messages.success(
            request,
            f"The version of {when:%d %b %Y %H:%M} is now a draft. Review it here; "
            "the live page changes only when it is published.",
        )
        return HttpResponseRedirect(draft.get_absolute_url())


@admin.register(m.Draft)
class DraftAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "state", "go_live_at", "created_by", "updated_at"]
    list_filter = ["state", "kind"]
    search_fields = ["title"]
    change_form_template = "admin/roles/draft_review.html"

    def has_add_permission(self, request) -> bool:
        return False

    def get_urls(self):
        return [
            path(
                "<int:pk>/preview/",
                self.admin_site.admin_view(self.preview_view),
                name="roles_draft_preview",
            ),
            *super().get_urls(),
        ]

    def preview_view(self, request, pk: int) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        draft = get_object_or_404(m.Draft, pk=pk)
        try:
            return wf.preview_draft(request, draft)
        except ValidationError as exc:
            # What the draft breaks (an unfinished guide, a role deleted since),
            # in the words publishing would use.
            messages.error(
                request,
                "This draft cannot be previewed as a published page yet: "
                + " ".join(exc.messages),
            )
        except (KeyError, TypeError):
            messages.error(
                request,
                "This draft cannot be previewed: it names something deleted since.",
            )
        return HttpResponseRedirect(draft.get_absolute_url())

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        draft = get_object_or_404(m.Draft, pk=unquote(object_id))
        if request.method == "POST":
            return self._act(request, draft)
        live = wf.live_record(draft)
        stale = live is not None and draft.is_open and wf.draft_is_stale(draft)
        before = (
            wf.record_doc(kind=draft.kind, object_id=draft.object_id) if live else {}
        )
        context = {
            **self.admin_site.each_context(request),
            "title": f"{draft.get_kind_display()} draft: {draft.title}",
            "opts": self.model._meta,
            "draft": draft,
            "live": live,
            "live_url": wf.public_path(live) if live else "",
            "edit_url": (
                reverse(f"admin:roles_{live._meta.model_name}_change", args=[live.pk])
                if live
                else ""
            ),
            "changes": doc_diff(before, draft.doc),
            "content_problems": wf.draft_content_problems(draft),
            "draft_token": wf.draft_token(draft),
            "stale": stale,
            "stale_note": wf.STALE_NOTE,
            "rebase_fields": wf.draft_rebase_fields(draft) if stale else [],
            "can_publish": wf.can_publish(request.user),
            "can_change": self.has_change_permission(request, draft),
            "now": timezone.localtime(),
        }
        return TemplateResponse(request, self.change_form_template, context)

    def _act(self, request, draft: m.Draft) -> HttpResponse:
        if not self.has_change_permission(request, draft):
            raise PermissionDenied
        user = request.user
        here = HttpResponseRedirect(draft.get_absolute_url())
        token = request.POST.get("_draft_token")
        if token is not None and token != wf.draft_token(draft):
            # Submit, reject, schedule or discard what the page did not show.
            messages.error(
                request,
                "The draft was saved again after you opened this page: "
                "review its changes again first.",
            )
            return here
        try:
            if "_submit" in request.POST:
                wf.draft_submit(draft=draft, user=user)
                messages.success(request, "Submitted for review.")
            elif "_reject" in request.POST:
                wf.draft_reject(
                    draft=draft, user=user, comment=request.POST.get("comment", "")
                )
                messages.success(request, "Sent back to the editor with your comment.")
            elif "_rebase" in request.POST:
                choices = {
                    key.removeprefix("choice_"): value
                    for key, value in request.POST.items()
                    if key.startswith("choice_") and value in ("theirs", "yours")
                }
                wf.draft_rebase(draft=draft, user=user, choices=choices)
                messages.success(
                    request,
                    "Rebased on the live version: fields the draft did not change "
                    "now show the live content.",
                )
            elif "_publish" in request.POST:
                obj = wf.draft_publish(
                    draft=draft, user=user, token=request.POST.get("_draft_token")
                )
                messages.success(request, f"Published: “{obj}” is live.")
            elif "_schedule" in request.POST:
                at = _parse_local(request.POST.get("go_live_at", ""))
                wf.draft_schedule(draft=draft, user=user, at=at)
                local = timezone.localtime(at)
                messages.success(
                    request,
                    f"Scheduled for {local:%d %b %Y %H:%M} ({local.tzname()}). "
                    "The live page stays as it is until then.",
                )
            elif "_discard" in request.POST:
                wf.draft_discard(draft=draft, user=user)
                messages.success(
                    request, "Draft discarded. The live page is unchanged."
                )
                return HttpResponseRedirect(reverse("admin:roles_draft_changelist"))
            else:
                messages.error(request, "Choose an action.")
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return here


def _change_url(model, object_id) -> str:
    return reverse(f"admin:roles_{model._meta.model_name}_change", args=[object_id])


def _parse_local(value: str):
    """A datetime-local input's value, in the site's time zone."""
    try:
        parsed = parse_datetime(value.strip()) if value else None
    except ValueError:
        parsed = None
    if parsed is None:
        raise ValidationError("Give the date and time to publish at.")
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed
