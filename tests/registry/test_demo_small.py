"""Other sizes scale the series in proportion (kept apart from the module-wide 5,000-person demo)."""

from io import StringIO

from django.core.management import call_command

from spis.registry.calibration import held_series
from spis.stats.counts import counts


def test_small_demo_scales_the_series(db):
    call_command("demo", persons=500, seed=3, stdout=StringIO())
    got = counts(held_series()[-1].date)["recognized_in_custody"]
    assert abs(got - held_series()[-1].count / 10) <= 0.1 * held_series()[-1].count / 10 + 2


def test_the_demo_derives_custody_exactly_as_a_rebuild_does(db):
    """The demo derives spells, derived columns and the ledger in memory; a full rebuild changes nothing."""
    from spis.registry import ledger
    from spis.registry.actions import DERIVED_FIELDS, rebuild_custody
    from spis.registry.models import CustodySpell, Person

    def state():
        spells = sorted(CustodySpell.objects.values_list(*[f.attname for f in CustodySpell._meta.fields][1:]))
        people = sorted(Person.objects.values_list("pk", *[f.replace("_id", "") for f in DERIVED_FIELDS]))
        return spells, people, ledger.stored()

    call_command("demo", persons=300, seed=4, stdout=StringIO())
    before = state()
    assert len(before[0]) > 300 and ledger.verify() == []
    rebuild_custody()
    assert state() == before


def test_parallel_chunks_give_the_same_registry_as_one_process(db):
    """Chunks have their own random streams and id blocks: forked workers change the speed, not the data."""
    from django.db import transaction

    from spis.registry.demo import build
    from spis.registry.models import Citation, Event, Name, Person

    def content():
        return (
            list(Person.objects.order_by("pk").values_list("pk", "public_id", "display_name", "status")),
            list(Event.objects.order_by("pk").values_list("pk", "person_id", "type", "date", "facility_id")),
            list(Name.objects.order_by("pk").values_list("pk", "person_id", "text", "keys")),
            list(Citation.objects.order_by("pk").values_list("pk", "object_id")),
        )

    with transaction.atomic():
        build(persons=250, seed=2, workers=2, chunk=60)
        parallel = content()
        transaction.set_rollback(True)
    build(persons=250, seed=2, workers=1, chunk=60)
    assert content() == parallel
    assert len(parallel[0]) == 250 and len(parallel[1]) > 1000
