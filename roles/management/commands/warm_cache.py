from django.core.management.base import BaseCommand

from roles.publishing.cache import warm_derived


class Command(BaseCommand):
    help = (
        "Build the derived data of the current content version (the "
        "questionnaire's model, the role map) into the shared cache, so the "
        "first visitors after a deploy do not wait for it. Content writes do "
        "this on their own after commit (DJANGO_DERIVED_PREBUILD)."
    )

    def handle(self, *args, **options) -> None:
        names = warm_derived()
        self.stdout.write(f"Derived data ready: {', '.join(names)}.")
