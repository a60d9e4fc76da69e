from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
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
        names = ", ".join(warm_derived())
        if isinstance(caches["default"], LocMemCache):
            # This command's process is the only one that would see it.
            self.stdout.write(
                f"Built ({names}) but not kept: the cache is this process's "
                "local-memory cache, which no server shares. Each server "
                "process builds it on its first request instead; set REDIS_URL "
                "for a shared cache."
            )
            return
        self.stdout.write(f"Derived data ready: {names}.")
