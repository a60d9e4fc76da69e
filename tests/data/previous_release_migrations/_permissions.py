"""A frozen copy of roles.permissions as the previous release had it, for the
previous release's migrations (tests/test_migrations_upgrade.py). The loader
skips modules whose names start with an underscore."""

EDITORS_GROUP = "Editors"
PUBLISHERS_GROUP = "Publishers"
PUBLISH_PERMISSION = "roles.publish_draft"

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
    # Issue 15: structured guides and the glossary.
    "skill",
    "wayin",
    "weekactivity",
    "antipattern",
    "relatedrole",
    "careerpath",
    "glossaryterm",
]
READ_ONLY_MODELS = ["submission"]


def editor_codenames() -> list[str]:
    codenames = [
        f"{action}_{model}"
        for model in CONTENT_MODELS
        for action in ("add", "change", "delete", "view")
    ]
    codenames += [f"view_{model}" for model in READ_ONLY_MODELS]
    return codenames


def _ensure_permissions(apps) -> None:
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after migrate; make sure they exist now.
    # Migration-state app configs have no models_module, which
    # create_permissions needs set; put back whatever was there.
    for app_config in apps.get_app_configs():
        original = getattr(app_config, "models_module", None)
        app_config.models_module = original or True
        try:
            create_permissions(app_config, apps=apps, verbosity=0)
        finally:
            app_config.models_module = original


def _sync_group(apps, name: str, codenames: list[str]) -> None:
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=name)
    permissions = Permission.objects.filter(
        content_type__app_label="roles", codename__in=codenames
    )
    group.permissions.set(permissions)


def sync_editors_group(apps, schema_editor=None) -> None:
    _ensure_permissions(apps)
    _sync_group(apps, EDITORS_GROUP, editor_codenames())


def sync_publishers_group(apps, schema_editor=None) -> None:
    _ensure_permissions(apps)
    _sync_group(apps, EDITORS_GROUP, editor_codenames())
    _sync_group(
        apps, PUBLISHERS_GROUP, [*editor_codenames(), PUBLISH_PERMISSION.split(".")[1]]
    )
