import json

from django.core.management.base import BaseCommand

from roles.content_io.schema import export_document


class Command(BaseCommand):
    help = (
        "Write every content record as one JSON document to standard output, "
        "stamped with when it was made and each record's state then (so "
        "import_content can refuse to undo a change made since)."
    )

    def handle(self, *args, **options):
        doc = export_document(stamped=True)
        self.stdout.write(json.dumps(doc, indent=2, ensure_ascii=False))
