from django.db import migrations

from ._permissions import sync_publishers_group


class Migration(migrations.Migration):
    dependencies = [("roles", "0003_i12_workflow")]

    operations = [
        migrations.RunPython(sync_publishers_group, migrations.RunPython.noop)
    ]
