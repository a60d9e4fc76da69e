import json

from django.core.management.base import BaseCommand

from roles.content_io.schema import export_document


class Command(BaseCommand):
    help = "Write every content record as one JSON document to standard output."

    def handle(self, *args, **options):
        self.stdout.write(json.dumps(export_document(), indent=2, ensure_ascii=False))
