from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class Migration(migrations.Migration):
    """pg_trgm for typo-tolerant search. The operation does nothing on other
    databases (Django's CreateExtension checks the vendor), so SQLite is
    unaffected."""

    dependencies = [("roles", "0003_i15_guides_glossary")]

    operations = [TrigramExtension()]
