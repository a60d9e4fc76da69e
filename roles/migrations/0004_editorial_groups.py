"""The Editors group: exactly the permissions to manage content, none over
users, groups or permissions. The Publishers group: the same, plus the right to
publish or schedule drafts.

The groups and their permissions are frozen here as they were when the history
was squashed; nothing is imported from the application, so a later change to
roles.permissions does not change what this migration did. Change the groups
with a new migration.

Squashed; ``replaces`` lists the old migrations that created and synced the
groups.
"""

from django.db import migrations

EDITORS_GROUP = "Editors"
PUBLISHERS_GROUP = "Publishers"

CONTENT_MODELS = [
    "theme",
    "role",
    "responsibility",
    "source",
    "dimension",
    "dimensionvalue",
    "contextfactor",
    "comparison",
    "comparisonrole",
    "contextnote",
    "question",
    "option",
    "optionpoints",
    "statementpoints",
    "draft",
    "skill",
    "wayin",
    "weekactivity",
    "antipattern",
    "relatedrole",
    "careerpath",
    "glossaryterm",
]
READ_ONLY_MODELS = ["submission"]

EDITOR_CODENAMES = [
    f"{action}_{model}"
    for model in CONTENT_MODELS
    for action in ("add", "change", "delete", "view")
] + [f"view_{model}" for model in READ_ONLY_MODELS]
PUBLISHER_CODENAMES = [*EDITOR_CODENAMES, "publish_draft"]


def ensure_permissions(apps):
    """Permissions are normally created after migrate; make sure they exist
    now. Migration-state app configs have no models_module, which
    create_permissions needs set; put back whatever was there."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        original = getattr(app_config, "models_module", None)
        app_config.models_module = original or True
        try:
            create_permissions(app_config, apps=apps, verbosity=0)
        finally:
            app_config.models_module = original


def sync_group(apps, name, codenames):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=name)
    group.permissions.set(
        Permission.objects.filter(
            content_type__app_label="roles", codename__in=codenames
        )
    )


def create_groups(apps, schema_editor):
    ensure_permissions(apps)
    sync_group(apps, EDITORS_GROUP, EDITOR_CODENAMES)
    sync_group(apps, PUBLISHERS_GROUP, PUBLISHER_CODENAMES)


class Migration(migrations.Migration):
    replaces = [
        ("roles", "0002_editors_group"),
        ("roles", "0003_i12_publishers_group"),
        ("roles", "0003_i15_guides_glossary"),
    ]

    dependencies = [
        ("roles", "0003_editorial_workflow"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
