from django.core.management.base import BaseCommand

from roles.editorial.due import publications_due_run


class Command(BaseCommand):
    help = (
        "Publish the scheduled drafts whose time has come and move the content "
        "version on past publish and unpublish times. The site does this on its "
        "own at most once a minute per process; run it from cron to be exact."
    )

    def handle(self, *args, **options) -> None:
        run = publications_due_run()
        self.stdout.write(
            f"{run.drafts_published} scheduled draft(s) published; "
            f"content version {'moved on' if run.version_moved else 'unchanged'}."
        )
