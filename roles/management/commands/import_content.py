import json
from pathlib import Path

import yaml
from django.core.management.base import BaseCommand, CommandError

from roles.content_io.services import ContentError, content_import
from roles.core import yamltext


class Command(BaseCommand):
    help = (
        "Import a content document (from export_content). Everything is validated "
        "first; any error and nothing is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="A JSON (or YAML) file from export_content.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="List what would change; write nothing.",
        )
        parser.add_argument(
            "--overwrite",
            action="store_true",
            help=(
                "Import records changed in the site since the file was exported "
                "(refused without it), writing over those changes; the report "
                "lists them."
            ),
        )

    def handle(
        self,
        *args,
        path: str,
        dry_run: bool = False,
        overwrite: bool = False,
        **options,
    ):
        file = Path(path)
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"Cannot read {path}: {exc}") from exc
        try:
            doc = (
                yamltext.safe_load(text)
                if file.suffix in {".yaml", ".yml"}
                else json.loads(text, object_pairs_hook=_refuse_repeated_keys)
            )
        except (json.JSONDecodeError, yaml.YAMLError) as exc:
            raise CommandError(f"{path} is not valid JSON/YAML: {exc}") from exc
        except RepeatedKey as exc:
            raise CommandError(f"Nothing was imported: {exc}") from exc
        try:
            report = content_import(doc=doc, dry_run=dry_run, overwrite=overwrite)
        except ContentError as exc:
            conflicts = (
                f"\n{len(exc.conflicts)} record(s) changed since the file was "
                "exported. Export again and make your changes in the new file, "
                "or import with --overwrite to write over those changes."
                if exc.conflicts
                else ""
            )
            raise CommandError(
                "Nothing was imported. Fix these problems first:\n"
                + "\n".join(f"- {e}" for e in exc.errors)
                + conflicts
            ) from exc
        if dry_run:
            self.stdout.write("Dry run: nothing was written.")
        for line in report.lines():
            self.stdout.write(line)


class RepeatedKey(ValueError):
    pass


def _refuse_repeated_keys(pairs: list[tuple[str, object]]) -> dict:
    """A JSON object naming a field twice: json keeps the last silently."""
    seen: dict = {}
    for key, value in pairs:
        if key in seen:
            where = seen.get("slug") or seen.get("key") or seen.get("term") or ""
            raise RepeatedKey(
                f"a record{f' ({where})' if where else ''} has “{key}” twice; keep one."
            )
        seen[key] = value
    return seen
