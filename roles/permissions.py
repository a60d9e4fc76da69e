"""The Editors group: exactly the permissions to manage content, none over
users, groups or permissions."""

EDITORS_GROUP = "Editors"

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


def sync_editors_group(apps, schema_editor=None) -> None:
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
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=EDITORS_GROUP)
    permissions = Permission.objects.filter(
        content_type__app_label="roles", codename__in=editor_codenames()
    )
    group.permissions.set(permissions)
