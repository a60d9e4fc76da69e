"""pg_trgm for typo-tolerant search. The operation does nothing on other
databases (Django's CreateExtension checks the vendor), so SQLite is
unaffected.

Squashed; ``replaces`` lists the old migration that added the extension and the
three merge migrations that ended the old history (they had no operations).
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class Migration(migrations.Migration):
    replaces = [
        ("roles", "0003_i15_search"),
        ("roles", "0004_merge_i11_i12"),
        ("roles", "0005_merge_i15"),
        ("roles", "0006_merge_i13"),
    ]

    dependencies = [("roles", "0004_editorial_groups")]

    operations = [TrigramExtension()]
