from django.db import models


class CustodySpell(models.Model):
    """A stretch of custody in one facility with one recognition state; derived, rebuilt by one function.

    A person's spells never overlap, so "in custody on D" is a count of rows covering D. Spells are split
    at transfers and at recognition changes; `end_reason` is set on the last spell of a custody period.
    """

    # No index of its own: the covering (person, start, …) index below serves every look-up by person.
    person = models.ForeignKey("Person", on_delete=models.CASCADE, related_name="spells", db_index=False)
    start = models.DateField(help_text="First day in custody in this spell.")
    end = models.DateField(
        null=True, blank=True, help_text="First day no longer in this spell; empty: ongoing."
    )
    facility = models.ForeignKey(
        "Facility", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recognized = models.BooleanField(
        default=False, help_text="Recognised as a political prisoner in this spell."
    )
    end_reason = models.CharField(
        max_length=16,
        blank=True,
        help_text="release kind, 'died', or empty when custody continues or goes on.",
    )
    custody_start = models.DateField(help_text="Start of the whole custody period this spell belongs to.")
    person_first_recognized_on = models.DateField(
        null=True, blank=True, help_text="Copied from the person so that counts need no join."
    )

    class Meta:
        indexes = [
            models.Index(fields=["start", "end"]),
            models.Index(fields=["end", "end_reason"]),
            # person last: "who is on the list on D" reads the index alone (compliance scopes, refills).
            models.Index(fields=["recognized", "start", "end", "person"]),
            # Covers a person's spells entirely, so compliance reads of a scope's spells need no table lookups.
            models.Index(
                fields=["person", "start", "end", "recognized", "end_reason", "custody_start", "facility"],
                name="registry_spell_person_cover",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.start} – {self.end or '…'}"


class DailyChange(models.Model):
    """The net change of one headline measure on one day; derived from spells and persons, never typed in.

    A count "as of D" is the sum of the changes dated on or before D: a lookup in a table of a few thousand
    rows instead of a scan of every spell. `registry.ledger` keeps it in step with every spell and
    recognition write, in the same transaction; `spis stats --verify` recomputes it from the spells.
    """

    day = models.DateField(help_text="The day the change takes effect.")
    measure = models.CharField(max_length=40, help_text="Which count changes; see registry/ledger.py.")
    n = models.IntegerField(help_text="Net change on that day (negative when people leave custody).")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["measure", "day"], name="registry_dailychange_measure_day")
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.measure} {self.n:+d}"
