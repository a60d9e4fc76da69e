from django.core.management.base import BaseCommand, CommandError

from roles.content_io.services import ContentError, content_seed


class Command(BaseCommand):
    help = (
        "Load the site's content from roles/content/. Safe to run again: records "
        "an editor has changed since they were seeded are kept, not overwritten."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Report what would change; write nothing.",
        )

    def handle(self, *args, dry_run: bool = False, **options):
        try:
            report = content_seed(dry_run=dry_run)
        except ContentError as exc:
            raise CommandError(
                "The seed content is invalid:\n" + "\n".join(exc.errors)
            ) from exc
        if options["verbosity"] == 0:
            return
        for line in report.lines():
            self.stdout.write(line)
        if not report.changed:
            self.stdout.write("Nothing to change: the content is already seeded.")
