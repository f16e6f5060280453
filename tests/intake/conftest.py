"""Checks every import the intake tests run makes, whatever the test asserts itself."""

import pytest

from spis.intake import importer
from spis.intake.messages import is_conflict


@pytest.fixture(autouse=True)
def _every_conflict_row_says_its_conflict(monkeypatch):
    """A conflict row says in at least one of its messages what is in conflict (the preview and the batch
    page label that message "Conflict", the others "Note")."""
    tally = importer._tally

    def checked(result, plans):
        unsaid = [
            p.record.line for p in plans if p.outcome == "conflict" and not any(map(is_conflict, p.messages))
        ]
        assert not unsaid, f"conflict rows whose messages say no conflict: lines {unsaid}"
        tally(result, plans)

    monkeypatch.setattr(importer, "_tally", checked)
