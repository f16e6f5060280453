"""The change clocks' digests now cover each citation's source and locator (its place in the source), which
the site and the open data publish and an editor may change in place (spis/access/changes.py). Stored digests
are computed again here, every clock left where it was, as in 0002."""

from django.db import migrations


def redigest(apps, schema_editor):
    if not apps.get_model("access", "SeenChange").objects.exists():
        return  # a new registry: nothing digested yet
    from spis.access import changes

    changes.redigest()


class Migration(migrations.Migration):
    dependencies = [("access", "0004_withdrawn_index")]

    operations = [migrations.RunPython(redigest, migrations.RunPython.noop)]
