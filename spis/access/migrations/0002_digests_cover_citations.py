"""The change clocks' digests now cover the citations a level may read (spis/access/changes.py). Stored
digests are computed again here, every clock left where it was: otherwise the next write to each person,
hidden ones included, would move their clocks by the new coverage alone."""

from django.db import migrations


def redigest(apps, schema_editor):
    if not apps.get_model("access", "SeenChange").objects.exists():
        return  # a new registry: nothing digested yet
    from spis.access import changes

    changes.redigest()


class Migration(migrations.Migration):
    dependencies = [
        ("access", "0001_seen_changes"),
        ("intake", "0002_file_sources_restricted"),
    ]

    operations = [migrations.RunPython(redigest, migrations.RunPython.noop)]
