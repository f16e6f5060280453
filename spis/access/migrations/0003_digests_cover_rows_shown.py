"""The change clocks' digests now cover the facilities, cases, organisations and sources that people's events
and citations show (spis/access/changes.py, spis/registry/shown.py). Stored digests are computed again here,
every clock left where it was, as in 0002."""

from django.db import migrations


def redigest(apps, schema_editor):
    if not apps.get_model("access", "SeenChange").objects.exists():
        return  # a new registry: nothing digested yet
    from spis.access import changes

    changes.redigest()


class Migration(migrations.Migration):
    dependencies = [("access", "0002_digests_cover_citations")]

    operations = [migrations.RunPython(redigest, migrations.RunPython.noop)]
