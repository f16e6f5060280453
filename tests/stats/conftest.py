import pytest

from spis.registry import actions


@pytest.fixture
def prisoner(db):
    """Make a recognised political prisoner held since `detained` (optionally released)."""

    def make(name, *, detained="2021-03-01", recognized="2021-03-10", released=None, kind="pardon", **fields):
        person = actions.create_person("test", name, **fields)
        actions.record_event("test", person, "detained", detained)
        if recognized:
            actions.record_event("test", person, "recognized", recognized)
        if released:
            actions.record_event("test", person, "released", released, release_kind=kind)
        return person

    return make
