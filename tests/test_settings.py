"""Settings refuse values that would break the registry later, when the process starts."""

import os
import subprocess
import sys

import pytest


def _start(**env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "spis.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize("prefix", ["ABCDEF", "", "by", "B-Y", "B1", "БЕЛ"])
def test_a_public_id_prefix_that_an_id_of_ten_digits_would_overflow_or_that_is_not_letters_stops_the_start(
    prefix,
):
    # Person.public_id holds 16 characters: five letters, the dash and ten digits (the counter's last number).
    started = _start(SPIS_PUBLIC_ID_PREFIX=prefix)
    assert started.returncode != 0
    assert "SPIS_PUBLIC_ID_PREFIX" in started.stderr and "one to five capital letters" in started.stderr


def test_a_prefix_of_five_letters_starts_and_its_longest_id_fits_the_field():
    from spis.registry.actions import LAST_PUBLIC_ID_NUMBER
    from spis.registry.models import Person

    assert _start(SPIS_PUBLIC_ID_PREFIX="ABCDE").returncode == 0
    assert len(f"ABCDE-{LAST_PUBLIC_ID_NUMBER:06d}") <= Person._meta.get_field("public_id").max_length
