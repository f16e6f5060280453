"""Other sizes scale the series in proportion (kept apart from the module-wide 5,000-person demo)."""

from io import StringIO

from django.core.management import call_command

from spis.registry.calibration import held_series
from spis.stats.counts import counts


def test_small_demo_scales_the_series(db):
    call_command("demo", persons=500, seed=3, stdout=StringIO())
    got = counts(held_series()[-1].date)["recognized_in_custody"]
    assert abs(got - held_series()[-1].count / 10) <= 0.1 * held_series()[-1].count / 10 + 2
