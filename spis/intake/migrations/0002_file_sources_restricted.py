"""An import with neither --source nor a mapping's source cited a public source titled "Import of FILE on
DATE": a file's name, shown on every public page the import wrote to. Such sources are now created restricted
(importer._source); this restricts the ones already stored. Only a batch's own source whose title is exactly
that form and which names no publication (no link, no publisher) is touched."""

from django.db import migrations


def restrict(apps, schema_editor):
    ImportBatch = apps.get_model("intake", "ImportBatch")
    Source = apps.get_model("registry", "Source")
    ids = []
    for source_id, title, file_name in ImportBatch.objects.values_list("source_id", "source__title", "file_name"):
        if source_id and title.startswith(f"Import of {file_name} on "):
            ids.append(source_id)
    Source.objects.filter(pk__in=ids, confidentiality="public", url="", publisher_name="").update(
        confidentiality="restricted"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0001_initial"),
        ("registry", "0015_event_by_date"),
    ]

    operations = [migrations.RunPython(restrict, migrations.RunPython.noop)]
