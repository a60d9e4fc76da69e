"""The editorial workflow in the admin: drafts of live records, preview of
unsaved changes, review, publishing now or later, revert as a draft.

The record's own change form edits its draft. Staging ("Save draft", "Submit
for review", preview of unsaved changes) validates the posted form and its
inlines the way the admin's own view does, then builds the draft's content
document from them in memory (``roles.editorial.staged``): the admin's save
(save_model, save_related, the history) never runs and the live record is
never written, and the draft is exactly what Save would have written.

A form over a record's open draft (the change form's GET, and staging or
re-showing a form posted over a draft) is made over the record as the draft
has it, built in memory once (``wf.record_in_memory``) and passed to the
admin's own hooks as their ``obj`` (``get_fieldsets``, ``get_form``,
``get_formsets_with_inlines``; the formsets' ``get_queryset`` gives the
draft's rows): nothing is written or locked to show it, and no state is
kept beside the call.

What still writes over the live record in a transaction that is always rolled
back: the rendering of a preview (the site's own views read the database),
and reverting to an old version (reversion's revert). A live save over an
open draft ("Save", a publisher's) writes the draft, then the form, for real."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.options import IS_POPUP_VAR
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.core.exceptions import (
    FieldDoesNotExist,
    ImproperlyConfigured,
    ObjectDoesNotExist,
    PermissionDenied,
    ValidationError,
)
from django.db import transaction
from django.db.models import (
    DateTimeField,
    Model,
    OuterRef,
    ProtectedError,
    Subquery,
)
from django.forms.formsets import all_valid
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    JsonResponse,
    QueryDict,
)
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.html import format_html
from reversion.errors import RevertError
from reversion.models import Version

from roles import models as m
from roles.content_io.services import staged_primary_keys
from roles.core.params import plain_int
from roles.editorial import concurrency as cc
from roles.editorial import staged, times
from roles.editorial import workflow as wf
from roles.editorial.admin_common import (
    PublishersReorderMixin,
    ScheduleTimeField,
    script_free,
)
from roles.editorial.docdiff import doc_diff
from roles.editorial.merge import rebase, three_way, untouched_rows_theirs
from roles.editorial.models import lock_lifetime
from roles.editorial.usage import role_usage
from roles.editorial.version_doc import row_changes
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


@dataclass
class _Bound:
    """The change form and its inline formsets, bound to the POST and
    validated (``WorkflowAdminMixin._bound_form``), or unbound to show a
    record over its open draft; ``editable`` are the formsets of the inlines
    the editor may change."""

    obj: Any
    form: forms.ModelForm
    formsets: list[Any]
    inlines: list[Any]
    editable: list[Any]
    fieldsets: Any
    valid: bool


class _DraftRowField(forms.ModelChoiceField):
    """The hidden key of an inline row of a form bound over a draft: one of
    the draft's rows, in memory (a row new in the draft has no live row to be
    looked up in the database, a row it deleted is not one)."""

    def __init__(self, rows, field: forms.ModelChoiceField):
        super().__init__(
            field.queryset,
            required=field.required,
            widget=field.widget,
            initial=field.initial,
        )
        self.rows = {str(row.pk): row for row in rows}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        row = self.rows.get(str(getattr(value, "pk", value)))
        if row is None:
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return row


def _sort_value(row, path: str):
    value = row
    for part in path.split("__"):
        if value is None:
            break
        value = getattr(value, part)
    if isinstance(value, Model):
        value = value.pk
    return (value is None, value)


def _in_order(rows: list, queryset) -> list:
    """``rows`` in the order ``queryset`` (an inline's) would give them."""
    ordering = list(queryset.query.order_by or queryset.model._meta.ordering or [])
    out = list(rows)
    for term in reversed([*ordering, "pk"]):
        if isinstance(term, str):
            name = term.lstrip("-")
            out.sort(key=lambda row: _sort_value(row, name), reverse=term[0] == "-")
    return out


def _rows_over(formset_class, record):
    """``formset_class`` over the rows ``record`` (in memory) has in its
    relation: the draft's rows in the inline's order, the live rows it keeps
    with their keys and its values, its new rows with the keys a live save
    over the draft gives them (``staged_primary_keys``); the rows it deleted
    are not there. None when the record was not built with that relation."""
    accessor = formset_class.fk.remote_field.get_accessor_name()
    cache = getattr(record, "_prefetched_objects_cache", {})
    if accessor not in cache:
        return None
    rows = list(cache[accessor])
    for row in rows:
        # Rows of the draft: the form names them by their key.
        row._state.adding = False

    class OverDraftRows(formset_class):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            if self.is_bound:
                _keys_by_position(self, self.get_queryset())

        def get_queryset(self):
            if not hasattr(self, "_draft_rows"):
                self._draft_rows = _in_order(rows, self.queryset)
            return self._draft_rows

        def add_fields(self, form, index):
            super().add_fields(form, index)
            name = self.model._meta.pk.name
            field = form.fields.get(name)
            if isinstance(field, forms.ModelChoiceField):
                form.fields[name] = _DraftRowField(rows, field)

    OverDraftRows.__name__ = OverDraftRows.__qualname__ = formset_class.__name__
    return OverDraftRows


def _keys_by_position(formset, rows: list) -> None:
    """A posted form's rows named by position when its row keys are not the
    in-memory record's: the form was shown over this same document, row for
    row in this order, but its rows were built then with other keys (a live
    row renamed or deleted since, stand-in keys numbered otherwise), so a key
    would match no row - or the wrong one. Left alone when every key matches,
    or when the counts differ (not the document the form was shown over)."""
    name = formset.model._meta.pk.name
    try:
        count = formset.initial_form_count()
    except ValidationError:
        return  # no management form: the formset says so itself
    if count != len(rows):
        return
    fields = [f"{formset.add_prefix(i)}-{name}" for i in range(count)]
    keys = [str(row.pk) for row in rows]
    if [formset.data.get(field) for field in fields] == keys:
        return
    data = formset.data.copy()
    for field, key in zip(fields, keys, strict=True):
        data[field] = key
    formset.data = data


def _problem_errors(problems: list[str]) -> list[str]:
    """What a staged or saved record breaks, as the form's errors."""
    return [
        "A published guide must be complete. Add what is missing "
        "below, or set the status to Draft to finish it later:",
        *problems,
    ]


def _clash_errors(problems: list[str]) -> list[str]:
    """What your change and theirs, taken together, break, as the form's
    errors: neither is wrong alone, so the editor settles it."""
    return [
        *(f"{wf.MERGE_CLASH} {p}" for p in problems),
        "Nothing was saved: change the form so that your change and theirs "
        "fit together, then save again.",
    ]


class RecordProblems(Exception):
    """The saved record breaks a whole-record rule (``save_related``): the
    caller rolls the save back and shows the form again with ``problems``."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


MOVED_ON_DRAFT = (
    "The record changed after you opened it, so your changes are saved as a "
    "draft on top of theirs rather than published over them: review the "
    "draft, then publish it."
)


def _theirs_where_untouched(posted: QueryDict, fields, model) -> QueryDict:
    """The refused form's data with their text in the text fields and the
    rows of lists (inlines) you left alone, so the form shows what saving it
    again stores (the save itself moves only your changes onto theirs,
    whatever the form shows; choices and rows' links are left as posted)."""
    data = posted.copy()
    for merge in fields:
        if not merge.theirs_changed:
            continue
        if isinstance(merge.theirs, str):
            if not merge.yours_changed and merge.field in data:
                data[merge.field] = merge.theirs
            continue
        rows = untouched_rows_theirs(merge.field, merge.base, merge.theirs, merge.yours)
        if rows:
            _rows_theirs(data, posted, model, merge.field, rows, merge.base)
    return data


def _rows_theirs(
    data: QueryDict, posted: QueryDict, model, field: str, rows, base: list
) -> None:
    """Their text in the posted rows of the inline over the relation
    ``field`` (its formset's prefix): the form was opened on the version
    ``base``, whose rows are its first forms - in the inline's order, which
    need not be the document's (responsibilities are listed under their
    themes), so ``rows[i]`` goes to the posted row that holds the text of
    ``base[i]`` (``_posted_row``). Text only: a row's links (a theme) are
    posted as keys, not as the document's slugs. Left alone when the form
    is not the one opened on that version."""
    try:
        related = model._meta.get_field(field).related_model
    except FieldDoesNotExist:
        return
    if related is None or data.get(f"{field}-INITIAL_FORMS") != str(len(base)):
        return
    columns = {f.name for f in related._meta.concrete_fields if not f.is_relation}
    taken: set[int] = set()
    for i, row in rows.items():
        texts = {
            k: v for k, v in base[i].items() if k in columns and isinstance(v, str)
        }
        at = _posted_row(posted, field, texts, i, len(base), taken)
        if at is None:
            continue
        taken.add(at)
        for name, value in row.items():
            key = f"{field}-{at}-{name}"
            if name in columns and isinstance(value, str) and key in data:
                data[key] = value


def _posted_row(
    posted: QueryDict, field: str, texts: dict, place: int, count: int, taken
) -> int | None:
    """Which of the ``count`` posted forms of the inline ``field`` holds
    ``texts`` (a row's text fields as it was opened): the one at the same
    ``place`` when it does, else the first other; None when none does."""

    def holds(at: int) -> bool:
        return at not in taken and all(
            posted.get(f"{field}-{at}-{name}") == value for name, value in texts.items()
        )

    if not texts:
        return None
    return next((at for at in [place, *range(count)] if holds(at)), None)


def _stage_action(request: HttpRequest) -> str | None:
    """What a POST to a change form asks for: a staging action ("draft",
    "submit", "preview"), or None for a live save (publishers only)."""
    action = next((a for key, a in STAGE_ACTIONS.items() if key in request.POST), None)
    if action is None and not wf.can_publish(request.user):
        action = "draft"
    return action


def _say_draft_not_applied(request: HttpRequest) -> None:
    messages.error(
        request,
        "The open draft can no longer be applied: it names something "
        "deleted since. The form shows the live version; saving a "
        "draft replaces it. The old draft is on its review page.",
    )


def _doc(draft: m.Draft | None) -> wf.Doc | None:
    """The document a change form is over: its open draft's, if any."""
    return None if draft is None else draft.doc


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


@dataclass(frozen=True)
class _Section:
    """A heading on reversion's comparison page, read like a model field."""

    verbose_name: str
    help_text: str = ""


ROW_CHANGES = _Section(
    "Changes inside rows",
    "Each field that changed inside a row (an option, a responsibility, a "
    "source...) between the two versions.",
)


class WorkflowAdminMixin(PublishersReorderMixin, _ModelAdminBase):
    """For Role, Comparison and Question admins (with reversion's VersionAdmin)."""

    change_form_template = "admin/roles/workflow_change_form.html"
    revision_form_template = "admin/roles/revision_form.html"

    # --- helpers --------------------------------------------------------------

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        # Every time typed on a record's form is a schedule (publish from,
        # unpublish at): read by the one rule, as a draft's "Schedule" is.
        if isinstance(db_field, DateTimeField) and db_field.editable:
            kwargs["form_class"] = ScheduleTimeField
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_formsets_with_inlines(self, request, obj=None):
        """Each inline's formset as editors without JavaScript can use it
        (``admin_common.script_free``): the admin's own view and staging
        both build their formsets from here."""
        for formset, inline in super().get_formsets_with_inlines(request, obj):
            yield script_free(formset), inline

    def compare(self, obj, version1, version2):
        """reversion's field-by-field comparison, and a section naming each
        field that changed inside a row (an option's points, a
        responsibility's theme), which reversion lists by row name only."""
        diff, has_unfollowed_fields = super().compare(obj, version1, version2)
        changes = row_changes(kind=self._kind(), before=version1, after=version2)
        if changes:
            html = render_to_string(
                "admin/roles/_row_changes.html", {"changes": changes}
            )
            diff.append(
                {
                    "field": ROW_CHANGES,
                    "is_related": False,
                    "follow": True,
                    "diff": html,
                }
            )
        return diff, has_unfollowed_fields

    def _kind(self) -> str:
        kind = wf.kind_of(self.model)
        if kind is None:  # the mixin is only for the models in wf.KIND_SPECS
            raise ImproperlyConfigured(f"{self.model.__name__} has no draft kind.")
        return kind

    def _open_draft(self, object_id) -> m.Draft | None:
        return m.Draft.objects.open().for_record(self._kind(), object_id).first()

    @contextmanager
    def _draft_applied(self, request, draft: m.Draft | None, object_id):
        """The record as its draft has it, written inside the caller's
        transaction: a live save (``_save_live``) writes the draft, then the
        form posted over it (its rows have the keys the form names). A draft
        that names something deleted since (a theme, a role) cannot be
        applied: the form is saved over the live version and says so."""
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
                    _say_draft_not_applied(request)
            yield

    # --- the change form, bound and validated without saving ----------------

    def _bound_form(
        self,
        request,
        object_id=None,
        data: QueryDict | None = None,
        *,
        over: wf.Doc | None = None,
        bind: bool = True,
    ) -> _Bound | None:
        """The change (or add) form and its inline formsets bound to the
        POST - or to ``data``, a form's fields from elsewhere (a saved copy),
        with no files - and validated the way the admin's own view does it
        (``get_form``, ``save_form`` - that is ``form.save(commit=False)`` -,
        ``get_formsets_with_inlines``, ``get_formset_kwargs``, ``all_valid``),
        without saving anything; with ``bind=False``, unbound and not
        validated (the form as first shown). ``over``: the document the form
        is over (the record's open draft, or the version a posted form was
        opened on): the hooks are given the record as it makes it, built in
        memory (``_record_over``), and the inlines its rows. None when there
        is no such record to change (the admin's own view says so)."""
        add = object_id is None
        obj = None
        in_memory = False
        if not add:
            obj = self.get_object(request, str(object_id))
            # Shown (not bound), a record may be the editor's to view only.
            allowed = obj is not None and (
                self.has_change_permission(request, obj)
                or (not bind and self.has_view_permission(request, obj))
            )
            if not allowed:
                return None
            if over is not None:
                obj, in_memory = self._record_over(request, obj, over)
        fieldsets = self.get_fieldsets(request, obj)
        form_class = self.get_form(
            request, obj, change=not add, fields=flatten_fieldsets(fieldsets)
        )
        posted = request.POST if data is None else data
        files = request.FILES if data is None else MultiValueDict()
        form = (
            form_class(posted, files, instance=obj)
            if bind
            else form_class(instance=obj)
        )
        formsets, inlines = [], []
        prefixes: dict[str, int] = {}
        args = [] if add else [form.instance]
        for formset_class, inline in self.get_formsets_with_inlines(request, *args):
            if in_memory:
                formset_class = _rows_over(formset_class, obj) or formset_class
            prefix = formset_class.get_default_prefix()
            prefixes[prefix] = prefixes.get(prefix, 0) + 1
            if prefixes[prefix] != 1 or not prefix:
                prefix = f"{prefix}-{prefixes[prefix]}"
            kwargs = self.get_formset_kwargs(request, form.instance, inline, prefix)
            if not bind:
                for key in ("data", "files", "save_as_new"):
                    kwargs.pop(key, None)
            elif data is not None:
                kwargs.update(data=data.copy(), files=files, save_as_new=False)
            formsets.append(formset_class(**kwargs))
            inlines.append(inline)
        if not bind:
            return _Bound(obj, form, formsets, inlines, [], fieldsets, False)
        form_valid = form.is_valid()
        parent = (
            self.save_form(request, form, change=not add)
            if form_valid
            else form.instance
        )
        # Rows of an inline the editor may only view are not theirs to change.
        editable = [
            formset
            for formset, inline in zip(formsets, inlines, strict=True)
            if inline.has_change_permission(request, None if add else parent)
        ]
        valid = all_valid(editable) and form_valid
        return _Bound(parent, form, formsets, inlines, editable, fieldsets, valid)

    def _bound_doc(self, request, bound: _Bound) -> wf.Doc:
        """The record's document as the valid bound form would save it,
        built in memory (``roles.editorial.staged``): nothing is written."""
        staged.stage_forms(bound.form, bound.editable)
        self.stage_related(request, bound.form, bound.editable)
        return staged.doc_from_forms(self._kind(), bound.form, bound.editable)

    def stage_related(self, request, form, formsets) -> None:
        """``save_related`` for a staged draft: what saving the related
        objects would add beyond the forms, set in memory on ``form.instance``
        (``staged.set_related``). Nothing by default."""

    def _render_bound(self, request, bound: _Bound, form_url, context, errors=()):
        """The bound form again with its errors and ``errors`` (said at the
        top of the form, as non-field errors), rendered through
        ``render_change_form`` as the admin's own view renders it."""
        form, obj = bound.form, bound.obj
        for error in errors:
            form.add_error(None, error)
        add = obj.pk is None
        # As the admin's own view: a record the editor may only view is all
        # read-only, with nothing prepopulated.
        changes = add or self.has_change_permission(request, obj)
        admin_form = helpers.AdminForm(
            form,
            list(bound.fieldsets),
            self.get_prepopulated_fields(request, obj) if changes else {},
            self.get_readonly_fields(request, obj)
            if changes
            else flatten_fieldsets(bound.fieldsets),
            model_admin=self,
        )
        media = self.media + admin_form.media
        inline_formsets = self.get_inline_formsets(
            request, bound.formsets, bound.inlines, None if add else obj
        )
        for inline_formset in inline_formsets:
            media += inline_formset.media
        opts = self.model._meta
        title = "Add %s" if add else "Change %s"
        return self.render_change_form(
            request,
            {
                **self.admin_site.each_context(request),
                "title": title % opts.verbose_name,
                "subtitle": None if add else str(obj),
                "adminform": admin_form,
                "object_id": None if add else obj.pk,
                "original": None if add else obj,
                "is_popup": IS_POPUP_VAR in form.data,
                "to_field": None,
                "media": media,
                "inline_admin_formsets": inline_formsets,
                "errors": helpers.AdminErrorList(form, bound.formsets),
                "preserved_filters": self.get_preserved_filters(request),
                **(context or {}),
            },
            add=add,
            change=not add,
            obj=None if add else obj,
            form_url=form_url,
        )

    def _record_over(self, request, obj, doc: wf.Doc) -> tuple[Any, bool]:
        """``obj`` as ``doc`` has it, built in memory from the live record
        (nothing is written), and True; ``obj`` itself and False when it
        cannot be built: a draft that names something deleted since (a
        theme, a role) - the form shows the live version and says so."""
        record = self._built_over(obj.pk, doc)
        if record is None:
            _say_draft_not_applied(request)
            return obj, False
        return record, True

    def _built_over(self, object_id, doc: wf.Doc) -> Any | None:
        """The record as ``doc`` has it, built in memory from the live one;
        None when it cannot be (``doc`` names something deleted since)."""
        try:
            with staged_primary_keys():
                live = self.model._default_manager.get(pk=object_id)
                return wf.record_in_memory(kind=self._kind(), live=live, doc=doc)
        except (ValidationError, KeyError, TypeError, ObjectDoesNotExist):
            return None

    def _show_problems(self, request, problems, object_id, form_url, context, draft):
        """The form again, as posted, with what the saved record broke; the
        save itself was rolled back, so nothing the editor typed is lost."""
        bound = self._bound_form(request, object_id, over=_doc(draft))
        if bound is None:
            raise PermissionDenied
        return _render(
            self._render_bound(
                request, bound, form_url, context, _problem_errors(problems)
            )
        )

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
        broken = cc.lock_broken_notice(kind=kind, object_id=object_id, user=user)
        posted = request.POST if request.method == "POST" else {}
        restored = (
            cc.OpenedOn(posted["_restored_version"], posted["_restored_base"])
            if "_restored_version" in posted and "_restored_base" in posted
            else None
        )
        gaps = wf.draft_gaps(kind=kind, doc=base) if draft else []
        return {
            **(extra_context or {}),
            "workflow_draft": draft,
            "workflow_token": wf.draft_token(draft),
            "workflow_version": version,
            "workflow_base": cc.base_sign(base),
            "workflow_stale": draft is not None and wf.draft_is_stale(draft),
            "edit_lock": lock,
            "edit_lock_since": cc.when(lock.created_at) if lock else "",
            "edit_lock_lapsed": lock is not None and lock.has_lapsed(),
            "edit_lock_lapses": cc.when(lock.lapses_at) if lock else "",
            "edit_lock_seconds_left": (
                int((lock.lapses_at - timezone.now()).total_seconds()) if lock else 0
            ),
            "edit_lock_minutes": settings.EDITORIAL_LOCK_MINUTES,
            "edit_lock_broken": broken,
            "edit_lock_broken_lapsed": (
                cc.when(broken.lapsed_at) if broken and broken.lapsed_at else ""
            ),
            "autosaved_copies": cc.copies_for(
                kind=kind, object_id=object_id, user=user
            ),
            "can_publish": wf.can_publish(user),
            "workflow_gaps": gaps,
            # A form restored from a saved copy: the version it was typed on.
            "workflow_restored": restored,
            "role_usage": (
                role_usage(role_id=object_id)
                if kind == m.DraftKind.ROLE and version
                else None
            ),
        }

    def render_change_form(
        self, request, context, add=False, change=False, form_url="", obj=None
    ):
        """A gap in one field of one row ("career path 2: new
        responsibilities") is said beside that field, in its help text - which
        the field's input is described by, so a screen reader says it too."""
        gaps = {g.field: g.hint for g in context.get("workflow_gaps") or [] if g.field}
        if gaps:
            for inline in context.get("inline_admin_formsets") or []:
                for form in inline.formset.forms:
                    for name, field in form.fields.items():
                        hint = gaps.get(form.add_prefix(name))
                        if hint:
                            field.help_text = format_html(
                                '{} <strong class="workflow-field-gap">'
                                "Still needed to publish: {}</strong>",
                                field.help_text,
                                hint,
                            )
        return super().render_change_form(request, context, add, change, form_url, obj)

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
        if "_keep_alive" in request.POST:
            return self._keep_alive(kind=kind, object_id=object_id, user=user)
        if "_discard_copy" not in request.POST:
            self._keep_typing(request, object_id)
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
                before = cc.lock_held(kind=kind, object_id=object_id)
                lock = cc.lock_take(kind=kind, object_id=object_id, user=user)
                if before is not None and before.locked_by_id != user.pk:
                    taken = f"{cc.lock_label(before)}; you took the record over. "
                else:
                    taken = ""
                messages.success(
                    request,
                    f"{taken}You hold the lock until {cc.when(lock.lapses_at)}: "
                    "others cannot save it until you unlock it, and saving "
                    "keeps it.",
                )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return HttpResponseRedirect(_change_url(self.model, object_id))

    def _keep_typing(self, request, object_id: int) -> None:
        """The lock buttons sit in the change form, so without JavaScript
        they post the whole form and leave the page: what was typed and not
        saved is kept as a saved copy (restored from the form) - nothing is
        lost by pressing "Keep my lock" or "Unlock"."""
        base = cc.base_read(request.POST.get("_base_doc", ""))
        if base is None:
            return  # not posted from the change form
        yours = self._posted_doc(request, object_id, "", base)
        if yours is None or yours == base:
            return
        copy = cc.copy_keep(
            kind=self._kind(),
            object_id=int(object_id),
            user=request.user,
            data=request.POST,
            reason="Kept when you used the lock buttons before saving.",
        )
        # A warning: the form comes back without it until it is restored.
        messages.warning(
            request,
            "What you had typed is not saved yet: it is kept as a saved copy "
            f"({timezone.localtime(copy.created_at):%H:%M}) - restore it below.",
        )

    def _keep_alive(self, *, kind: str, object_id: int, user) -> JsonResponse:
        """The change form's keep-alive (static/js/admin-edit-lock.js), sent
        while its editor types: their lock holds on; says until when."""
        lock = cc.lock_keep_alive(kind=kind, object_id=object_id, user=user)
        if lock is None:
            held = cc.lock_held(kind=kind, object_id=object_id)
            return JsonResponse(
                {"held": False, "label": cc.lock_label(held) if held else ""}
            )
        left = (lock.lapses_at - timezone.now()).total_seconds()
        return JsonResponse(
            {"held": True, "until": cc.when(lock.lapses_at), "seconds_left": left}
        )

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
                lock_active=Subquery(locks.values("active_at")[:1]),
            )
        )

    def get_list_display(self, request):
        return [*super().get_list_display(request), "edit_lock"]

    @admin.display(description="lock")
    def edit_lock(self, obj) -> str:
        if not getattr(obj, "lock_holder", None):
            return "—"
        lapses = obj.lock_active + lock_lifetime()
        if lapses <= timezone.now():
            return f"Lock by {obj.lock_holder} lapsed at {cc.when(lapses)}"
        return f"Locked by {obj.lock_holder} since {cc.when(obj.lock_since)}"

    def update_order(self, request):
        # Reordering questions in the list changes the live questionnaire
        # (publishers only: PublishersReorderMixin.update_order).
        response = super().update_order(request)
        # adminsortable2 saves with bulk_update, which sends no signals.
        bump_content_version()
        transaction.on_commit(bump_content_version)
        return response

    def recover_view(self, request, version_id, extra_context=None):
        # Recovering a deleted record puts it back live: publishers only,
        # like deleting it.
        if not wf.can_publish(request.user):
            raise PermissionDenied("Only publishers can recover deleted content.")
        return super().recover_view(request, version_id, extra_context)

    def recoverlist_view(self, request, extra_context=None):
        if not wf.can_publish(request.user):
            raise PermissionDenied("Only publishers can recover deleted content.")
        return super().recoverlist_view(request, extra_context)

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

    def response_add(self, request, obj, post_url_continue=None):
        # Added as published by a publisher: live at once, like a live save.
        if obj.is_published():
            wf.notify_live(obj=obj, user=request.user)
        return super().response_add(request, obj, post_url_continue)

    def add_view(self, request, form_url="", extra_context=None):
        """Django's add view (reversion records the new record), in one
        transaction: a record whose saved parts break a rule is rolled back
        and the form shown again with what to fix."""
        try:
            with transaction.atomic():
                return _render(super().add_view(request, form_url, extra_context))
        except RecordProblems as exc:
            return self._show_problems(
                request, exc.problems, None, form_url, extra_context, None
            )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The change form with the workflow: shown over the record's open
        draft; Save draft, Submit and Preview build the draft in memory
        (``_stage``); a save checked against what the editor opened
        (``edit_refusal``) and written with its revision (``_save_live``).
        Reverting an old version is reversion's revision view, which renders
        through Django's own form view, not this one."""
        object_id = unquote(object_id)
        if plain_int(object_id) is None:
            # Not an id we write: the record does not exist, as Django says.
            # (Not Django's own view: it reads "１" as 1 and would show that
            # record's form without its draft and lock.)
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        draft = self._open_draft(int(object_id))
        context = self._context(request, object_id, draft, extra_context)
        if request.method != "POST":
            restore = request.GET.get("restore")
            if restore is not None:
                if (copy := plain_int(restore)) is None:
                    raise Http404("No such saved copy.")
                return self._restore(request, object_id, form_url, context, draft, copy)
            # The form shows the open draft, built in memory: its rows have
            # the ids a form posted over the draft names.
            bound = (
                None
                if draft is None
                else self._bound_form(request, object_id, over=draft.doc, bind=False)
            )
            if bound is None:  # no draft, or not the editor's to change
                return super().change_view(request, object_id, form_url, context)
            return _render(self._render_bound(request, bound, form_url, context))
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
                # A save is a sign of life: the editor's lock holds on.
                cc.lock_keep_alive(
                    kind=self._kind(), object_id=int(object_id), user=request.user
                )
                if action is None and self._moved_on(request, object_id, draft):
                    # Written live, the form would put back every field as it
                    # was opened: staged, only yours change.
                    return self._stage(
                        request,
                        object_id,
                        form_url,
                        context,
                        draft,
                        "draft",
                        note=MOVED_ON_DRAFT,
                    )
                if action is None:
                    return self._save_live(request, object_id, form_url, context, draft)
                return self._stage(request, object_id, form_url, context, draft, action)
        return self._refuse(request, refusal, object_id, form_url, extra_context)

    def _posted_doc(self, request, object_id, form_url, base) -> wf.Doc | None:
        """The record as the posted form would make it from ``base`` (the
        version the form was opened on), built in memory - over ``base``,
        built in memory too, when it is not the live version; None when the
        form cannot be applied to it."""
        kind = self._kind()
        # Opened on the live version (no draft then), the form's rows are the
        # live rows: nothing to apply, nothing written.
        live = wf.record_doc(kind=kind, object_id=int(object_id))
        doc = None
        bound = self._bound_form(
            request, object_id, over=None if base == live else base
        )
        if bound is not None and bound.valid:
            doc = self._bound_doc(request, bound)
            if wf.doc_problems(kind=kind, doc=doc, staged=True):
                doc = None
        _consume_messages(request)
        return doc

    def _form_over(self, data, object_id, draft) -> wf.Doc | None:
        """The document a posted form (or a saved copy of one) is bound over:
        the one it was opened on, whose rows its row keys name. A form opened
        before someone else saved (saved again after a refusal, or restored
        from a copy) names rows the current draft may not have - a row they
        renamed is a new row there - and bound over the draft it was refused
        for ever, with the error on a hidden field. What it makes is then
        moved onto the current version (``_onto_current``). The current
        document (its open draft's, or None: the live record) otherwise."""
        current = _doc(draft)
        opened = cc.base_read(
            data.get("_restored_base")
            or data.get("_base_doc")
            or data.get(cc.OPENED_ON)
            or ""
        )
        if opened is None or opened == current:
            return current
        live = wf.record_doc(kind=self._kind(), object_id=int(object_id))
        if opened == live:
            return None
        return opened if self._built_over(object_id, opened) is not None else current

    def _opened_on(self, request) -> wf.Doc | None:
        """The document the posted form was opened on (a form restored from a
        saved copy: the one the copy was typed on), None when unreadable."""
        posted = request.POST
        return cc.base_read(posted.get("_restored_base") or posted.get("_base_doc", ""))

    def _moved_on(self, request, object_id, draft) -> bool:
        """Whether the record changed after the posted form was opened on it:
        only a form saved again after a refusal, or restored from a copy, gets
        this far (any other is refused)."""
        opened = self._opened_on(request)
        # Read the current document only for such a form: a record that does
        # not exist is the admin's own answer, not a 500 here.
        return opened is not None and cc.saved_again_as_draft(
            opened=opened, current=self._current_doc(object_id, draft)
        )

    def _current_doc(self, object_id, draft) -> wf.Doc:
        if draft is not None:
            return draft.doc
        return wf.record_doc(kind=self._kind(), object_id=int(object_id))

    def _onto_current(self, request, object_id, draft, doc: wf.Doc) -> wf.Doc:
        """Your document moved onto the current one when the form was opened
        on an older version: the fields you did not change keep what was saved
        meanwhile (your change wins where you both changed a field). A copy
        restored with no draft open starts a stale draft instead, rebased
        field by field on its review page."""
        opened = self._opened_on(request)
        if opened is None or (draft is None and "_restored_base" in request.POST):
            return doc
        current = self._current_doc(object_id, draft)
        return doc if opened == current else rebase(opened, current, doc)

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
        fields = three_way(base, theirs, yours) if base and yours else []
        context["workflow_conflict"] = {
            "reason": refusal.reason,
            "copy": copy,
            "fields": fields,
            # Refused for a lock alone, nobody else saved: no "theirs" to show.
            "theirs_saved": any(f.theirs_changed for f in fields),
            "problems": (
                wf.merged_problems(kind=kind, base=base, theirs=theirs, yours=yours)
                if base and yours
                else []
            ),
        }
        if base is not None:
            # The form goes on carrying what it was opened on, so saving it
            # again applies only what you changed (``_onto_current``): the
            # fields you left alone keep their change.
            context["workflow_base"] = request.POST["_base_doc"]
        # What saving the form again will do, said before it is pressed: a
        # draft, whatever the button, once the record moved on (``_moved_on``).
        as_draft = cc.saved_again_as_draft(opened=base, current=theirs)
        context["workflow_saves_draft"] = as_draft
        merges = (
            "Saving again keeps their changes and adds yours, as a draft to "
            "review and publish (not published over theirs); where you both "
            "changed a field, yours replaces theirs."
        )
        after = (
            "You can save once the lock is released or lapses "
            f"({cc.when(refusal.lock.lapses_at)})." + (f" {merges}" if as_draft else "")
            if refusal.lock is not None
            else merges
        )
        # Said once, in the conflict box (it was said above it too, and by
        # the copy just kept, in the list of saved copies).
        context["workflow_conflict"]["after"] = after
        context["autosaved_copies"] = [
            c for c in context.get("autosaved_copies", []) if c.pk != copy.pk
        ]
        notice = (
            f"{refusal.reason} What you typed is kept in the form below and in a "
            f"saved copy ({timezone.localtime(copy.created_at):%H:%M}). {after}"
        )
        return self._rerender(
            request,
            object_id,
            form_url,
            context,
            draft,
            notice,
            data=_theirs_where_untouched(request.POST, fields, self.model),
        )

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
        # The copy's fields bind the form as a POST of them would; the request
        # itself stays the GET it is.
        data = cc.copy_data(copy=copy)
        # Saved as a draft, it starts from the version it was typed on.
        context["workflow_restored"] = cc.copy_opened_on(copy=copy)
        when = timezone.localtime(copy.created_at)
        notice = (
            f"Your copy of {when:%d %b %Y %H:%M} is back in the form below. "
            "Check it against the current version, then save."
        )
        return self._rerender(
            request, object_id, form_url, context, draft, notice, data=data
        )

    def _rerender(
        self, request, object_id, form_url, context, draft, notice, data=None
    ):
        """The form as posted (or bound to ``data``), with ``notice`` at its
        top, over the record as it is now (its open draft, in memory); nothing
        is saved."""
        bound = self._bound_form(
            request,
            object_id,
            data,
            over=self._form_over(
                request.POST if data is None else data, object_id, draft
            ),
        )
        if bound is None:
            return super().change_view(request, str(object_id), form_url, context)
        # Said above the form, not as an error in it: nothing typed is wrong.
        context = {**context, "workflow_notice": notice}
        return _render(self._render_bound(request, bound, form_url, context))

    def _save_live(self, request, object_id, form_url, context, draft):
        kind = self._kind()
        live = self.model._default_manager.filter(pk=object_id).first()
        # What the public saw: a save that changes nothing public sends no mail.
        before = (
            wf.record_doc(kind=kind, object_id=int(object_id))
            if live is not None and live.is_published()
            else None
        )
        try:
            with transaction.atomic():
                with (
                    self.create_revision(request),
                    self._draft_applied(request, draft, object_id),
                ):
                    response = _render(
                        super().change_view(request, object_id, form_url, context)
                    )
                if response.status_code != 302:
                    transaction.set_rollback(True)
                else:
                    if draft is not None:
                        draft.state = m.DraftState.PUBLISHED
                        draft.published_at = timezone.now()
                        draft.reviewed_by = request.user
                        draft.save()
                    obj = self.model._default_manager.filter(pk=object_id).first()
                    if (
                        obj is not None
                        and obj.is_published()
                        and (before != wf.record_doc(kind=kind, object_id=obj.pk))
                    ):
                        wf.notify_live(obj=obj, user=request.user, draft=draft)
        except RecordProblems as exc:
            return self._show_problems(
                request, exc.problems, object_id, form_url, context, draft
            )
        return response

    def _stage(self, request, object_id, form_url, context, draft, action, note=""):
        """Save draft, submit, preview: the posted form and its inlines are
        validated and turned into the draft's document in memory - the
        admin's save (save_model, save_related, the history) never runs and
        the live record is not written. A record with an open draft binds the
        form over the draft, built in memory (``_record_over``)."""
        kind = self._kind()
        page = None
        bound = self._bound_form(
            request, object_id, over=self._form_over(request.POST, object_id, draft)
        )
        if bound is None:
            return super().change_view(request, object_id, form_url, context)
        if not bound.valid:
            return _render(self._render_bound(request, bound, form_url, context))
        typed = self._bound_doc(request, bound)
        doc = self._onto_current(request, object_id, draft, typed)
        problems = wf.doc_problems(kind=kind, doc=doc, staged=True)
        if problems:
            errors = (
                _problem_errors(problems)
                if doc == typed
                else _clash_errors(problems)  # valid alone, not with theirs
            )
            return _render(
                self._render_bound(request, bound, form_url, context, errors)
            )
        if action == "preview":
            try:
                page = wf.preview_doc(
                    request,
                    kind=kind,
                    object_id=int(object_id),
                    doc=doc,
                    title=f"Preview of unsaved changes: {bound.obj}",
                    note="Nothing is saved: close this tab to go on editing.",
                )
            except ValidationError as exc:
                return _render(
                    self._render_bound(request, bound, form_url, context, exc.messages)
                )
        _consume_messages(request)
        if page is not None:
            return wf.preview_response(page)
        draft = wf.draft_save(
            kind=kind,
            object_id=int(object_id),
            doc=doc,
            user=request.user,
            started_from=cc.restored_start(request.POST),
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
        elif note:
            messages.warning(request, note)
        elif draft.unscheduled_at is not None:
            messages.warning(request, wf.unscheduled_note(draft.unscheduled_at))
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
        to review before it is published - refused, like every other write of
        the record or its draft, while someone else's lock is in force (the
        draft it would replace may be theirs): the form comes back as posted,
        saying why, and a publisher can break the lock there."""
        object_id = unquote(object_id)
        if plain_int(object_id) is None:
            return super().revision_view(request, object_id, version_id, extra_context)
        if request.method == "POST" and "_break_lock" in request.POST:
            return self._revert_break_lock(request, int(object_id))
        context = {
            **(extra_context or {}),
            **self._revert_lock_context(request, int(object_id)),
        }
        if request.method != "POST":
            return super().revision_view(request, object_id, version_id, context)
        refused = wf.revert_refusal(
            kind=self._kind(), object_id=int(object_id), user=request.user
        )
        if refused:
            context["revert_refused"] = refused
            return self._revert_refused(request, object_id, version_id, context)
        with staging(), transaction.atomic():
            response = super().revision_view(request, object_id, version_id, context)
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
        try:
            draft = wf.draft_revert(
                kind=self._kind(), object_id=int(object_id), doc=doc, user=request.user
            )
        except ValidationError as exc:  # locked since the form was posted
            messages.error(request, " ".join(exc.messages))
            return HttpResponseRedirect(request.path)
        when = timezone.localtime(version.revision.date_created)
        messages.success(
            request,
            f"The version of {when:%d %b %Y %H:%M} is now a draft. Review it here; "
            "the live page changes only when it is published.",
        )
        if draft.unscheduled_at is not None:
            messages.warning(request, wf.unscheduled_note(draft.unscheduled_at))
        return HttpResponseRedirect(draft.get_absolute_url())

    def _revert_refused(self, request, object_id, version_id, context):
        """The revert form again as posted, with why it was refused, over the
        old version as reversion's own view shows it (reverted in a
        transaction that is always rolled back): nothing is saved."""
        version = get_object_or_404(Version, pk=version_id, object_id=object_id)
        try:
            with staging(), transaction.atomic():
                version.revision.revert(delete=True)
                bound = self._bound_form(request, object_id)
                if bound is None:
                    raise PermissionDenied
                response = self._render_bound(
                    request,
                    bound,
                    request.path,
                    {
                        "title": f"Revert {version.object_repr}",
                        "revert": True,
                        **context,
                    },
                )
                response.template_name = self.revision_form_template
                response.render()
                transaction.set_rollback(True)
        except (RevertError, ProtectedError) as exc:  # as reversion's view
            messages.error(request, str(exc))
            return HttpResponseRedirect(
                reverse(
                    f"admin:roles_{self.model._meta.model_name}_history",
                    args=[object_id],
                )
            )
        return response

    def _revert_lock_context(self, request, object_id: int) -> dict[str, Any]:
        """Someone else's lock in force, as the revert page shows it."""
        lock = wf.lock_in_the_way(
            kind=self._kind(), object_id=object_id, user=request.user
        )
        return {
            "revert_lock": lock,
            "revert_lock_label": cc.lock_label(lock) if lock else "",
            "revert_lock_lapses": cc.when(lock.lapses_at) if lock else "",
            "can_publish": wf.can_publish(request.user),
        }

    def _revert_break_lock(self, request, object_id: int) -> HttpResponse:
        """A publisher breaks the lock from the revert page, with a note for
        its holder (as on the record's form and the draft's page)."""
        obj = get_object_or_404(self.model, pk=object_id)
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        try:
            lock = cc.lock_break(
                kind=self._kind(),
                object_id=object_id,
                user=request.user,
                note=request.POST.get("lock_note", ""),
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request, f"Lock of {lock.locked_by} broken; they will see your note."
            )
        return HttpResponseRedirect(request.path)


@admin.register(m.Draft)
class DraftAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "state", "go_live_at", "created_by", "saved_at"]
    list_filter = ["state", "kind"]
    search_fields = ["title"]
    change_form_template = "admin/roles/draft_review.html"

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        """Deleting a draft loses it and its history: publishers only (its
        author or a publisher discards it instead, which can be undone)."""
        return wf.can_publish(request.user) and super().has_delete_permission(
            request, obj
        )

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
        return self._review_page(request, draft)

    def _review_page(
        self, request, draft: m.Draft, *, refused: list[str] | None = None
    ) -> HttpResponse:
        """The draft's page; ``refused``: why the action just posted was not
        taken, shown with what the reviewer typed (comment, time) kept."""
        live = wf.live_record(draft)
        stale = live is not None and draft.is_open and wf.draft_is_stale(draft)
        lock = cc.lock_held(kind=draft.kind, object_id=draft.object_id)
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
            "can_discard": wf.can_discard(draft=draft, user=request.user),
            # Someone else's lock in force stops every action below until it
            # is released or a publisher breaks it here, with a note.
            "edit_lock": lock,
            "edit_lock_label": cc.lock_label(lock) if lock else "",
            "edit_lock_lapses": cc.when(lock.lapses_at) if lock else "",
            "edit_lock_in_the_way": lock is not None
            and not lock.has_lapsed()
            and lock.locked_by_id != request.user.pk,
            "now": timezone.localtime(),
            "refused": refused or [],
            "posted_comment": request.POST.get("comment", "") if refused else "",
            "posted_time": request.POST.get("go_live_at") if refused else None,
        }
        return TemplateResponse(request, self.change_form_template, context)

    def _discard_confirmation(self, request, draft: m.Draft) -> HttpResponse:
        context = {
            **self.admin_site.each_context(request),
            "title": "Discard this draft?",
            "opts": self.model._meta,
            "draft": draft,
            "draft_token": request.POST.get("_draft_token", ""),
        }
        return TemplateResponse(request, "admin/roles/draft_discard.html", context)

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
            if "_break_lock" in request.POST:
                lock = cc.lock_break(
                    kind=draft.kind,
                    object_id=draft.object_id,
                    user=user,
                    note=request.POST.get("lock_note", ""),
                )
                messages.success(
                    request,
                    f"Lock of {lock.locked_by} broken; they will see your note.",
                )
            elif "_submit" in request.POST:
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
                at = times.parse_local(request.POST.get("go_live_at", ""))
                wf.draft_schedule(draft=draft, user=user, at=at)
                local = timezone.localtime(at)
                messages.success(
                    request,
                    f"Scheduled for {local:%d %b %Y %H:%M} ({local.tzname()}). "
                    "The live page stays as it is until then.",
                )
            elif "_discard" in request.POST:
                # Asked first, on a page of its own (no JavaScript needed).
                wf.draft_discard_check(draft=draft, user=user)
                return self._discard_confirmation(request, draft)
            elif "_discard_confirmed" in request.POST:
                draft = wf.draft_discard(draft=draft, user=user)
                self.log_change(request, draft, "Discarded.")
                messages.success(
                    request,
                    "Draft discarded. The live page is unchanged; the draft "
                    "can be restored from its page.",
                )
                return HttpResponseRedirect(reverse("admin:roles_draft_changelist"))
            elif "_restore" in request.POST:
                draft = wf.draft_restore(draft=draft, user=user)
                self.log_change(request, draft, "Restored after it was discarded.")
                messages.success(
                    request,
                    "Draft restored: it is open again as a draft (not submitted, "
                    "not scheduled).",
                )
            else:
                # Nothing done and nothing wrong: asked again, as Django's own
                # "No action selected." asks.
                messages.warning(request, "Choose an action.")
        except ValidationError as exc:
            # The page again, not a redirect: what the reviewer typed stays.
            return self._review_page(request, draft, refused=exc.messages)
        return here


def _change_url(model, object_id) -> str:
    return reverse(f"admin:roles_{model._meta.model_name}_change", args=[object_id])
