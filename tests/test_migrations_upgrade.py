"""Upgrading a database from the previous release's migration history (13 files,
with merges) to the squashed one loses nothing and keeps history usable.

The test builds its own throwaway database - a temporary SQLite file, or with
DATABASE_URL set to PostgreSQL a temporary database on that server - so it
never touches the test database pytest-django made, and other tests (in this
process or in parallel workers) are unaffected. Each step runs in a subprocess
with its own settings:

1. ``migrate`` with the previous release's migrations
   (tests/data/previous_release_settings.py points MIGRATION_MODULES at the
   frozen copy in tests/data/previous_release_migrations/);
2. ``populate`` (below): roles, a comparison, a question with options and
   points, a submission, a draft, and django-reversion revisions, written by
   the application as the previous release did;
3. ``dumpdata`` of content types, auth, roles and reversion;
4. ``migrate`` with the real (squashed) migrations: nothing of roles may run;
5. ``dumpdata`` again: identical to step 3;
6. ``upgraded`` (below): the new migration names are recorded, and an old
   version of a role is reverted through django-reversion.

Run as ``python -m tests.test_migrations_upgrade <step>`` for steps 2 and 6.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent
PREVIOUS = "tests.data.previous_release_settings"
CURRENT = "config.settings.test"

OLD_MIGRATIONS = {
    "0001_initial",
    "0002_editors_group",
    "0003_content_version",
    "0003_i12_former_slugs",
    "0003_i12_publishers_group",
    "0003_i12_text_limits",
    "0003_i12_workflow",
    "0003_i13_quiz_v2",
    "0003_i15_guides_glossary",
    "0003_i15_search",
    "0004_merge_i11_i12",
    "0005_merge_i15",
    "0006_merge_i13",
}
NEW_MIGRATIONS = {
    "0001_content_models",
    "0002_questionnaire",
    "0003_editorial_workflow",
    "0004_editorial_groups",
    "0005_search_trigram",
}
#: Migrations added after the squash: the upgrade applies these, and only these.
LATER_MIGRATIONS = {
    "0006_draft_base_edit_locks_autosaved_copies",
    "0007_edit_locks_lapse",
    "0008_content_version_schedule_unknown_since",
    "0009_markdown_validated_everywhere",
    "0010_draft_discarded_restored_by",
    "0011_source_urls_validated_as_import",
    "0012_order_history",
    "0013_draft_saved_at",
    "0014_role_summary_plain_text",
    "0015_plain_text_fields",
}
#: Models they add or add fields to: today's model cannot read the old table, so the
#: dump leaves them out and ``upgraded`` checks their rows.
LATER_ADDED = ["roles.EditLock", "roles.AutosavedCopy", "roles.OrderChange"]
LATER_CHANGED = ["roles.Draft", "roles.ContentVersion", *LATER_ADDED]
DUMPED = [
    "contenttypes",
    "auth",
    "roles",
    "reversion",
    *[arg for model in LATER_CHANGED for arg in ("--exclude", model)],
]

FIRST_SUMMARY = "Owns the product backlog and the order of work."
FIRST_DUTY = "Orders the product backlog."
EDITED_SUMMARY = "Edited after the first version."
EDITED_DUTY = "A duty added after the first version."


# --- The steps run in a subprocess -------------------------------------------


def populate() -> None:
    """Content with history, as the previous release's code writes it."""
    import reversion
    from django.contrib.auth import get_user_model

    from roles import models as m
    from roles.publishing import version

    # The previous release marked the schedule unknown without saying since
    # when (that column came later): each save's version bump, as it wrote it.
    version._schedule_unknown = lambda: {
        "schedule_known": False,
        "next_change_at": None,
    }
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    # Its row, as that schema holds it (today's model reads a column more).
    old_apps = MigrationLoader(connection).project_state().apps
    old_apps.get_model("roles", "ContentVersion").objects.get_or_create(pk=1)
    editor = get_user_model().objects.create_user(
        "editor", password="a-long-test-password", is_staff=True
    )
    theme = m.Theme.objects.create(name="Backlog", slug="backlog")
    with reversion.create_revision():
        reversion.set_user(editor)
        reversion.set_comment("First version")
        owner = m.Role.objects.create(
            name="Product Owner",
            slug="product-owner",
            family="product",
            summary=FIRST_SUMMARY,
            overview="Owns the **backlog**.",
            status="published",
            map_x=60,
            map_y=80,
        )
        m.Responsibility.objects.create(role=owner, theme=theme, text=FIRST_DUTY)
        m.Source.objects.create(
            role=owner, title="The Scrum Guide", url="https://scrumguides.org/"
        )
        master = m.Role.objects.create(
            name="Scrum Master",
            slug="scrum-master",
            family="delivery",
            summary="Helps the team work well.",
            overview="Serves the team.",
            status="published",
        )
    with reversion.create_revision():
        reversion.set_comment("Comparison")
        comparison = m.Comparison.objects.create(
            title="Product Owner vs Scrum Master",
            tldr="One owns *what*, the other *how*.",
            status="published",
        )
        for order, role in enumerate((owner, master)):
            m.ComparisonRole.objects.create(
                comparison=comparison, role=role, order=order, suits="Someone."
            )
        comparison.refresh_key()
    with reversion.create_revision():
        reversion.set_comment("Question")
        question = m.Question.objects.create(
            key="backlog-or-team", text="Backlog or team?", status="published"
        )
        for order, (text, role) in enumerate(
            (("The backlog", owner), ("The team", master))
        ):
            option = m.Option.objects.create(question=question, text=text, order=order)
            m.OptionPoints.objects.create(option=option, role=role, points=5)
    m.Submission.objects.create(
        answers={"backlog-or-team": 0},
        snapshot={"questions": [{"key": "backlog-or-team"}]},
        result={"ranking": ["product-owner", "scrum-master"]},
        top_role_slug="product-owner",
        nonce="a-nonce",
        stated_role_slug="scrum-master",
    )
    # The second version of the role: what the revert below undoes.
    with reversion.create_revision():
        reversion.set_user(editor)
        reversion.set_comment("Edited")
        owner.summary = EDITED_SUMMARY
        owner.save()
        m.Responsibility.objects.create(
            role=owner, theme=theme, text=EDITED_DUTY, order=1
        )
    # The draft as the previous release's schema holds it (the model of today
    # has fields that schema does not).
    old_apps.get_model("roles", "Draft").objects.create(
        kind="roles",
        object_id=owner.pk,
        title=owner.name,
        doc={"slug": owner.slug, "summary": "A draft summary."},
        state="in_review",
        created_by_id=editor.pk,
        submitted_by_id=editor.pk,
    )


def upgraded() -> None:
    """After the upgrade: the new names are recorded, history still reverts."""
    from django.db import connection
    from django.db.migrations.recorder import MigrationRecorder
    from reversion.models import Version

    from roles import models as m

    applied = {
        name
        for app, name in MigrationRecorder(connection).applied_migrations()
        if app == "roles"
    }
    assert applied == OLD_MIGRATIONS | NEW_MIGRATIONS | LATER_MIGRATIONS, applied

    owner = m.Role.objects.get(slug="product-owner")
    assert owner.summary == EDITED_SUMMARY
    # The previous release's draft, with the fields added since left empty.
    draft = m.Draft.objects.get()
    assert (draft.object_id, draft.doc["summary"], draft.state) == (
        owner.pk,
        "A draft summary.",
        "in_review",
    )
    assert (draft.base_version, draft.base_doc) == (None, None)
    # The content version, its new column empty: the next due check works
    # its schedule out from then, as before.
    from roles.publishing.version import read_content_version

    number, known, _, since = read_content_version()
    assert number > 1 and not known and since is None
    versions = Version.objects.get_for_object(owner).order_by("pk")
    assert [v.revision.comment for v in versions] == ["First version", "Edited"]
    versions[0].revision.revert(delete=True)

    owner.refresh_from_db()
    assert owner.summary == FIRST_SUMMARY
    assert list(owner.responsibilities.values_list("text", flat=True)) == [FIRST_DUTY]
    assert owner.map_x == 60
    assert m.Role.objects.count() == 2
    assert m.Comparison.objects.get().key == "product-owner-vs-scrum-master"
    assert m.Draft.objects.get().state == "in_review"
    assert m.Submission.objects.get().nonce == "a-nonce"


# --- The test ----------------------------------------------------------------


def _run(settings: str, database_url: str, *args: str) -> str:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": settings}
    env["DATABASE_URL"] = database_url
    env.pop("REDIS_URL", None)  # the local-memory cache: nothing shared
    done = subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, (
        f"{' '.join(args)} ({settings}) failed:\n{done.stdout}\n{done.stderr}"
    )
    return done.stdout


def _step(settings: str, database_url: str, step: str) -> str:
    return _run(settings, database_url, "-m", "tests.test_migrations_upgrade", step)


def _manage(settings: str, database_url: str, *args: str) -> str:
    return _run(settings, database_url, "manage.py", *args)


@pytest.fixture
def database_url(tmp_path):
    """A new, empty database of the kind DATABASE_URL names (SQLite if unset)."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        yield f"sqlite:///{tmp_path / 'upgrade.sqlite3'}"
        return
    import psycopg

    name = f"roles_upgrade_{uuid.uuid4().hex[:12]}"
    parts = urlsplit(url)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_previous_release_database_upgrades_without_loss(database_url):
    _manage(PREVIOUS, database_url, "migrate", "--no-input", "-v0")
    _step(PREVIOUS, database_url, "populate")
    listed = _manage(PREVIOUS, database_url, "showmigrations", "roles")
    assert listed.count("[X]") == len(OLD_MIGRATIONS), listed
    before = json.loads(_manage(PREVIOUS, database_url, "dumpdata", *DUMPED))
    kinds = {row["model"] for row in before}
    assert {
        "contenttypes.contenttype",
        "auth.group",
        "roles.role",
        "roles.comparison",
        "roles.optionpoints",
        "roles.submission",
        "reversion.revision",
        "reversion.version",
    } <= kinds

    log = _manage(CURRENT, database_url, "migrate", "--no-input", "-v2")
    applying = {
        line.split("Applying roles.")[1].split("...")[0].strip()
        for line in log.splitlines()
        if "Applying roles." in line
    }
    assert applying == LATER_MIGRATIONS, log

    after = json.loads(_manage(CURRENT, database_url, "dumpdata", *DUMPED))
    # The models added since get their content types and permissions.
    added = {model.split(".")[1].lower() for model in LATER_ADDED}
    new_types = {
        row["pk"]
        for row in after
        if row["model"] == "contenttypes.contenttype"
        and row["fields"]["model"] in added
    }
    assert len(new_types) == len(added)
    after = [
        row
        for row in after
        if row["pk"] not in new_types or row["model"] != "contenttypes.contenttype"
        if row["model"] != "auth.permission"
        or row["fields"]["content_type"] not in new_types
    ]
    assert after == before
    listed = _manage(CURRENT, database_url, "showmigrations", "roles")
    # " [X] 0001_content_models (6 squashed migrations)", one line each.
    rows = [line.split() for line in listed.splitlines()[1:]]
    assert [row[:2] for row in rows] == [
        ["[X]", name] for name in sorted(NEW_MIGRATIONS | LATER_MIGRATIONS)
    ]
    _step(CURRENT, database_url, "upgraded")


def test_the_migrations_match_the_models(tmp_path):
    """makemigrations --check finds nothing to write (run on an empty
    throwaway SQLite file, which its history check reads)."""
    url = f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    _manage(CURRENT, url, "makemigrations", "--check", "--dry-run")


def test_the_new_migrations_replace_every_old_one():
    """Every name the previous release recorded is replaced by a new migration,
    so none is left behind as a record Django knows nothing about."""
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    ours = {
        name: migration
        for (app, name), migration in loader.disk_migrations.items()
        if app == "roles"
    }
    assert set(ours) == NEW_MIGRATIONS | LATER_MIGRATIONS
    replaced = {
        name for m in ours.values() for app, name in m.replaces if app == "roles"
    }
    assert replaced == OLD_MIGRATIONS


# Validators the models name by dotted path are serialised as imports; any other
# application import would make an old migration change when the code does.
ALLOWED_APP_IMPORTS = {"roles.core.markdown", "roles.core.sources"}


def test_migrations_import_no_application_code_but_validators():
    for path in sorted((ROOT / "roles" / "migrations").glob("0*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [("." * node.level) + (node.module or "")]
            else:
                continue
            for name in names:
                assert name.split(".")[0] in {"django", "uuid"} or (
                    name in ALLOWED_APP_IMPORTS
                ), f"{path.name} imports {name}"


if __name__ == "__main__":
    import django

    django.setup()
    {"populate": populate, "upgraded": upgraded}[sys.argv[1]]()
