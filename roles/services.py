"""Writes that touch several models: seeding, importing, storing a submission."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import reversion
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from . import content_doc as cd
from .models import (
    Comparison,
    ComparisonRole,
    ContextFactor,
    ContextNote,
    Dimension,
    DimensionValue,
    Option,
    OptionPoints,
    Question,
    QuestionKind,
    Responsibility,
    Role,
    SeedRecord,
    Source,
    StatementPoints,
    Theme,
    comparison_key,
)
from .signals import bump_content_version

Doc = dict[str, Any]


class ContentError(Exception):
    """The content document cannot be written; ``errors`` says where and why."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass
class Report:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)

    def lines(self) -> list[str]:
        out = []
        for label in ("created", "updated", "kept", "unchanged"):
            items = getattr(self, label)
            if items and label != "unchanged":
                out.extend(f"{label}: {item}" for item in items)
        out.append(
            f"{len(self.created)} created, {len(self.updated)} updated, "
            f"{len(self.kept)} kept (changed by an editor), "
            f"{len(self.unchanged)} unchanged."
        )
        return out


def _clean_save(obj, exclude: list[str] | None = None) -> None:
    obj.full_clean(exclude=exclude)
    obj.save()


def _by_slug(model, slug: str, what: str):
    try:
        return model.objects.get(slug=slug)
    except model.DoesNotExist:
        raise ValidationError(f"{what} “{slug}” does not exist.") from None


def _apply_publishing(obj, record: Doc) -> None:
    obj.status = record["status"]
    obj.publish_at = record["publish_at"]


def write_vocab(model, doc_field: str) -> Callable[[Doc, int], Any]:
    def write(record: Doc, position: int):
        obj = model.objects.filter(slug=record["slug"]).first() or model(
            slug=record["slug"]
        )
        obj.name = record["name"]
        obj.description = record[doc_field]
        obj.order = position
        _clean_save(obj)
        return obj

    return write


def write_role(record: Doc, position: int) -> Role:
    role = Role.objects.filter(slug=record["slug"]).first() or Role(slug=record["slug"])
    for attr in ("name", "family", "summary", "origin", "overview"):
        setattr(role, attr, record[attr])
    role.also_known_as = "\n".join(record["also_known_as"])
    role.last_reviewed = record["last_reviewed"]
    role.map_x, role.map_y = record.get("map_x"), record.get("map_y")
    _apply_publishing(role, record)
    _clean_save(role)
    role.responsibilities.all().delete()
    role.sources.all().delete()
    role.dimension_values.all().delete()
    for order, item in enumerate(record["responsibilities"]):
        _clean_save(
            Responsibility(
                role=role,
                theme=_by_slug(Theme, item["theme"], "Theme"),
                text=item["text"],
                order=order,
            )
        )
    for order, item in enumerate(record["sources"]):
        _clean_save(Source(role=role, order=order, **item))
    for slug, value in record["dimensions"].items():
        _clean_save(
            DimensionValue(
                role=role, dimension=_by_slug(Dimension, slug, "Dimension"), value=value
            )
        )
    return role


def write_comparison(record: Doc, position: int) -> Comparison:
    slugs = record["roles"]
    errors = []
    if not 2 <= len(slugs) <= 5:
        errors.append("A comparison needs two to five roles.")
    if len(set(slugs)) != len(slugs):
        errors.append("A comparison cannot name the same role twice.")
    unknown_suits = set(record["suits"]) - set(slugs)
    if unknown_suits:
        errors.append(f"“suits” names roles not compared: {sorted(unknown_suits)}.")
    if errors:
        raise ValidationError(errors)
    roles = [_by_slug(Role, slug, "Role") for slug in slugs]
    key = comparison_key(slugs)
    comparison = Comparison.objects.filter(key=key).first() or Comparison(key=key)
    comparison.title = record["title"]
    comparison.tldr = record["tldr"]
    comparison.body = record["body"]
    comparison.last_reviewed = record["last_reviewed"]
    _apply_publishing(comparison, record)
    _clean_save(comparison)
    comparison.comparison_roles.all().delete()
    comparison.context_notes.all().delete()
    for order, role in enumerate(roles):
        _clean_save(
            ComparisonRole(
                comparison=comparison,
                role=role,
                order=order,
                suits=record["suits"].get(role.slug, ""),
            )
        )
    for order, item in enumerate(record["contexts"]):
        _clean_save(
            ContextNote(
                comparison=comparison,
                factor=_by_slug(ContextFactor, item["context"], "Context"),
                label=item["label"],
                note=item["note"],
                order=order,
            )
        )
    return comparison


def write_question(record: Doc, position: int) -> Question:
    kind = record["kind"]
    errors = []
    if kind == QuestionKind.SCENARIO and len(record["options"]) < 2:
        errors.append("A scenario question needs at least two options.")
    if kind == QuestionKind.AGREEMENT and record["options"]:
        errors.append("An agreement statement has no options (only points).")
    if kind == QuestionKind.SCENARIO and record["points"]:
        errors.append("A scenario question gives points through its options.")
    if errors:
        raise ValidationError(errors)
    question = Question.objects.filter(key=record["key"]).first() or Question(
        key=record["key"]
    )
    question.kind = kind
    question.text = record["text"]
    question.hint = record["help_text"]
    question.order = position
    _apply_publishing(question, record)
    _clean_save(question)
    question.options.all().delete()
    question.statement_points.all().delete()
    for order, item in enumerate(record["options"]):
        option = Option(question=question, text=item["text"], order=order)
        _clean_save(option)
        for slug, points in item["points"].items():
            _clean_save(
                OptionPoints(
                    option=option, role=_by_slug(Role, slug, "Role"), points=points
                )
            )
    for slug, points in record["points"].items():
        _clean_save(
            StatementPoints(
                question=question, role=_by_slug(Role, slug, "Role"), points=points
            )
        )
    return question


WRITERS: dict[str, Callable[[Doc, int], Any]] = {
    "themes": write_vocab(Theme, "description"),
    "dimensions": write_vocab(Dimension, "help_text"),
    "contexts": write_vocab(ContextFactor, "description"),
    "roles": write_role,
    "comparisons": write_comparison,
    "questions": write_question,
}


ORDERED = {
    "themes": (Theme, "slug"),
    "dimensions": (Dimension, "slug"),
    "contexts": (ContextFactor, "slug"),
    "questions": (Question, "key"),
}


def _current_docs(kind: str) -> dict[str, Doc]:
    queryset, serialise = cd.querysets()[kind]
    return {cd.record_key(kind, doc): doc for doc in map(serialise, queryset)}


def _messages(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [
            f"{name}: {message}" if name != "__all__" else message
            for name, messages in exc.message_dict.items()
            for message in messages
        ]
    return list(exc.messages)


def content_apply(
    *, doc: Doc, keep_edited: bool, dry_run: bool, comment: str
) -> Report:
    """Write a normalised content document in one transaction.

    ``keep_edited`` (the seed) leaves alone any record whose current state differs
    from what the seed last wrote: an editor changed it. Import overwrites, and
    also takes the document's order for themes, dimensions, contexts and
    questions. Every record is validated; if any fails, nothing is written and
    ContentError lists every problem. ``dry_run`` reports what would change and
    writes nothing."""
    report = Report()
    errors: list[str] = []
    with transaction.atomic(), reversion.create_revision():
        reversion.set_comment(comment)
        seeds = {(s.kind, s.key): s for s in SeedRecord.objects.all()}
        for kind in cd.KINDS:
            current = _current_docs(kind)
            written: list[str] = []
            for position, record in enumerate(doc[kind]):
                key = cd.record_key(kind, record)
                label = f"{kind[:-1]} {key}"
                existing = current.get(key)
                seed = seeds.get((kind, key))
                if existing is not None and cd.fingerprint(existing) == cd.fingerprint(
                    record
                ):
                    report.unchanged.append(label)
                    if keep_edited and seed is None:
                        written.append(key)
                    continue
                if (
                    keep_edited
                    and existing is not None
                    and (seed is None or seed.fingerprint != cd.fingerprint(existing))
                ):
                    report.kept.append(label)
                    continue
                try:
                    with transaction.atomic():
                        WRITERS[kind](record, position)
                except ValidationError as exc:
                    errors.extend(f"{label}: {m}" for m in _messages(exc))
                    continue
                (report.updated if existing is not None else report.created).append(
                    label
                )
                written.append(key)
            if not keep_edited and kind in ORDERED and not errors:
                model, field_name = ORDERED[kind]
                for position, record in enumerate(doc[kind]):
                    model.objects.filter(**{field_name: record[field_name]}).exclude(
                        order=position
                    ).update(order=position)
            if keep_edited and written:
                after = _current_docs(kind)
                for key in written:
                    SeedRecord.objects.update_or_create(
                        kind=kind,
                        key=key,
                        defaults={"fingerprint": cd.fingerprint(after[key])},
                    )
        if errors:
            transaction.set_rollback(True)
            raise ContentError(errors)
        if dry_run:
            transaction.set_rollback(True)
        else:
            # Bulk order updates send no signals: make the change visible anyway.
            transaction.on_commit(bump_content_version)
    return report


def content_seed(*, dry_run: bool = False) -> Report:
    return content_apply(
        doc=cd.load_seed_files(), keep_edited=True, dry_run=dry_run, comment="Seeded"
    )


def content_import(*, doc: Doc, dry_run: bool = False) -> Report:
    try:
        normalised = cd.normalise(doc)
    except ValueError as exc:
        raise ContentError([str(exc)]) from exc
    return content_apply(
        doc=normalised, keep_edited=False, dry_run=dry_run, comment="Imported"
    )


class SubmissionStored(NamedTuple):
    submission: Any
    created: bool


def submission_create(
    *,
    questionnaire,
    answers: dict[str, int],
    nonce: str = "",
    option_order: dict[str, tuple[int, ...]] | None = None,
) -> SubmissionStored:
    """Score the answers against the questionnaire as it is now and store both
    (with the option order the respondent saw), so the result page stays the
    same after editors change the questions. A form's nonce is stored once:
    the same form posted again returns the first result (``created`` False)."""
    from .models import Submission
    from .quiz import result_for

    if nonce:
        earlier = Submission.objects.filter(nonce=nonce).only("id").first()
        if earlier is not None:
            return SubmissionStored(earlier, False)
    result = result_for(questionnaire, answers)
    snapshot = questionnaire.as_snapshot()
    snapshot["option_order"] = {k: list(v) for k, v in (option_order or {}).items()}
    submission = Submission(
        answers=answers,
        snapshot=snapshot,
        result=result.to_json(),
        top_role_slug=result.top.role if result.top else "",
        nonce=nonce,
    )
    submission.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            submission.save()
    except IntegrityError:
        # The same form posted twice at once: the other request stored it.
        return SubmissionStored(Submission.objects.only("id").get(nonce=nonce), False)
    return SubmissionStored(submission, True)


def submission_feedback_set(
    *, submission_id, fit: bool, stated_role_slug: str = ""
) -> None:
    """Record (or change) the reader's verdict on their own result."""
    from .models import Submission

    Submission.objects.filter(pk=submission_id).update(
        fit=fit, stated_role_slug=stated_role_slug
    )
