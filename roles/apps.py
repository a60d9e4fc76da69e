from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_migrate


class RolesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "roles"
    verbose_name = "Role guides"

    def ready(self) -> None:
        # Django's documented place to connect signals and register checks;
        # every models module has been imported (and registered) by now.
        from roles.core import checks  # noqa: F401
        from roles.core.sessions import shorten_staff_session
        from roles.editorial.permissions import sync_groups
        from roles.publishing import signals
        from roles.questionnaire import selectors  # noqa: F401 (derived data)

        signals.connect()
        user_logged_in.connect(
            shorten_staff_session, dispatch_uid="roles-staff-session"
        )
        post_migrate.connect(sync_groups, sender=self, dispatch_uid="roles-groups")
