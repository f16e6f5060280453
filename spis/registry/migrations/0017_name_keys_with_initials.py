"""Names written with the patronymic as an initial ("Ковалёв Алесь П.") were parsed with the initial as the
given name and the given name as the surname, and their stored search keys say so: a search for the surname
found them only through the full-name key. The parser reads them right now (spis.names.parse); their keys are
rebuilt. Only names with a dot are read (an initial has one); a key is derived, not an edit, so no audit."""

from django.db import migrations

CHUNK = 2000


def rebuild_keys(apps, schema_editor):
    from spis.names import name_keys

    Name = apps.get_model("registry", "Name")
    stale = []
    for pk, text, keys in Name.objects.filter(text__contains=".").values_list("pk", "text", "keys").iterator():
        fresh = " ".join(name_keys(text))
        if fresh != keys:
            stale.append(Name(pk=pk, keys=fresh))
    Name.objects.bulk_update(stale, ["keys"], batch_size=CHUNK)


class Migration(migrations.Migration):
    dependencies = [("registry", "0016_no_withheld_display_names")]

    operations = [migrations.RunPython(rebuild_keys, migrations.RunPython.noop)]
