"""A public person whose display name was the text of names only staff may read (a name made restricted in
the admin after it was displayed) showed that text on every public list, page and file. Such a person now
displays their first public name, or their public id when they have none; audited as any edit."""

from django.db import migrations
from django.db.models import Exists, OuterRef


def display_public_names(apps, schema_editor):
    from spis.registry import actions
    from spis.registry.models import Name, Person

    def named(*levels):
        return Exists(
            Name.objects.filter(
                person=OuterRef("pk"), text=OuterRef("display_name"), confidentiality__in=levels
            )
        )

    withheld = Person.objects.filter(
        named("restricted", "sealed"), ~named("public"), confidentiality="public"
    )
    for person in withheld:
        public = person.names.filter(confidentiality="public").order_by("id").values_list("text", flat=True)
        actions.update_person("system:migration", person, display_name=public.first() or person.public_id)


class Migration(migrations.Migration):
    dependencies = [("registry", "0015_event_by_date")]

    operations = [migrations.RunPython(display_public_names, migrations.RunPython.noop)]
