"""The Editors group: exactly the permissions to manage content, none over
users, groups or permissions. The Publishers group: the same, plus the right
to publish or schedule (editors submit drafts to them for review)."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions

from roles.publishing import registry

EDITORS_GROUP = "Editors"
PUBLISHERS_GROUP = "Publishers"
PUBLISH_PERMISSION = "roles.publish_draft"


def editor_codenames() -> list[str]:
    """From the registry: add/change/delete/view on what editors edit, view on
    what they may only read (questionnaire submissions)."""
    codenames = [
        f"{action}_{model._meta.model_name}"
        for model in registry.editor_models("edit")
        for action in ("add", "change", "delete", "view")
    ]
    codenames += [
        f"view_{model._meta.model_name}" for model in registry.editor_models("view")
    ]
    return sorted(codenames)


def _ensure_permissions(apps) -> None:
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


def sync_groups(sender=None, *, apps=None, **kwargs) -> None:
    """After every migrate (post_migrate): the groups hold exactly what the
    registry grants, so a new content model needs no migration of its own."""
    sync_publishers_group(apps or global_apps)
