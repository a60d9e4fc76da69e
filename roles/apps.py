from django.apps import AppConfig


class RolesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "roles"
    verbose_name = "Role guides"

    def ready(self) -> None:
        from roles import checks, signals  # noqa: F401
