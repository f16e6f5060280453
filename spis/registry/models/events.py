from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from .common import PartialDateMixin, confidentiality_field, precision_field


class EventType(models.TextChoices):
    DETAINED = "detained", "detained"
    CHARGED = "charged", "charged"
    CONVICTED = "convicted", "convicted"
    SENTENCED = "sentenced", "sentenced"
    TRANSFERRED = "transferred", "transferred"
    RECOGNIZED = "recognized", "recognised as a political prisoner"
    RECOGNITION_WITHDRAWN = "recognition_withdrawn", "recognition withdrawn"
    RELEASED = "released", "released"
    DIED = "died", "died"
    EMIGRATED = "emigrated", "left the country"


class ReleaseKind(models.TextChoices):
    END_OF_TERM = "end_of_term", "end of term"
    PARDON = "pardon", "pardon"
    AMNESTY = "amnesty", "amnesty"
    EXPELLED = "expelled", "released and forcibly expelled"
    EXCHANGED = "exchanged", "exchanged"
    HOUSE_ARREST = "house_arrest", "moved to house arrest"
    OTHER = "other", "other release"


class Regime(models.TextChoices):
    GENERAL = "general", "general regime colony"
    STRENGTHENED = "strengthened", "strengthened regime colony"
    STRICT = "strict", "strict regime colony"
    SPECIAL = "special", "special regime colony"
    PRISON = "prison", "prison"
    OPEN = "open", "restricted freedom in an open facility (khimiya)"
    HOME = "home", "restricted freedom at home"
    FINE = "fine", "fine"
    OTHER = "other", "other penalty"


# Penalties that mean custody; a sentence to a fine or home "khimiya" does not.
CUSTODIAL_REGIMES = {
    Regime.GENERAL,
    Regime.STRENGTHENED,
    Regime.STRICT,
    Regime.SPECIAL,
    Regime.PRISON,
    Regime.OPEN,
}


class Event(PartialDateMixin, models.Model):
    """A dated, sourced fact about a person; custody and recognition are derived from events alone.

    Corrections add a row that `supersedes` the old one (with `retracts` when the old fact was simply wrong);
    nothing is overwritten or deleted.
    """

    person = models.ForeignKey(
        "Person",
        on_delete=models.PROTECT,
        related_name="events",
        db_index=False,  # the (person, recorded_at) index in Meta serves look-ups by person
        help_text="Whose event.",
    )
    type = models.CharField(
        max_length=24, choices=EventType.choices, db_index=True, help_text="What happened."
    )
    release_kind = models.CharField(
        max_length=16, choices=ReleaseKind.choices, blank=True, help_text="For releases: how."
    )
    date = models.DateField(help_text="When (first day of a partial date).")
    date_precision = precision_field("How much of the date is known.")
    facility = models.ForeignKey(
        "Facility",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
        help_text="Where: place of detention, the facility transferred to.",
    )
    case = models.ForeignKey(
        "Case",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
        help_text="Criminal case.",
    )
    organization = models.ForeignKey(
        "Organization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
        help_text="Recognising body, court or other actor.",
    )
    sentence_months = models.PositiveIntegerField(
        null=True, blank=True, help_text="Sentence length in months."
    )
    regime = models.CharField(
        max_length=16, choices=Regime.choices, blank=True, help_text="Penalty or regime."
    )
    fine_amount = models.CharField(
        max_length=100, blank=True, help_text="Fine as pronounced (e.g. '100 base units')."
    )
    note = models.TextField(blank=True, help_text="Free text, as published.")
    confidentiality = confidentiality_field()
    supersedes = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
        db_index=False,  # the partial index event_corrections in Meta serves look-ups by it
        help_text="The event this one corrects.",
    )
    retracts = models.BooleanField(
        default=False, help_text="This correction withdraws the superseded event without replacing it."
    )
    recorded_at = models.DateTimeField(
        default=timezone.now, db_index=True, help_text="When it was entered (UTC)."
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who entered it.",
    )
    citations = GenericRelation("Citation")
    history = HistoricalRecords()

    class Meta:
        # By the column, not the relation: "person" would order by the person's own ordering (display name),
        # joining every query to the person table and making SQLite walk its name index.
        ordering = ["person_id", "date", "id"]
        indexes = [
            models.Index(fields=["person", "recorded_at"]),
            # The few events not public: who has an event a reader may not see (spis.access.policy.hidden_events)
            # is read on list pages; without this it is a scan of every event.
            models.Index(
                fields=["person"],
                condition=~models.Q(confidentiality="public"),
                name="event_not_public_person",
            ),
            # "In force" (no later correction) is asked of every event a reader is shown: a look-up by
            # supersedes. Partial, because nearly every event corrects none: SQLite's sampled statistics of a
            # full index counted the NULLs as one value of 1,000 rows, and for queries over many events (the
            # change feed, the API's event list) it built a transient index of every event each time instead
            # (0.3 s at 656,000 events).
            models.Index(
                fields=["supersedes"],
                condition=models.Q(supersedes__isnull=False),
                name="event_corrections",
            ),
            # The API's event list, newest first: walked in order and stopped at the page (100,000 people,
            # SQLite: 0.74 s to sort every visible event for 50 of them, 9 ms walking this index).
            models.Index(fields=["date", "id"], name="event_by_date"),
        ]

    def __str__(self) -> str:
        kind = f" ({self.get_release_kind_display()})" if self.release_kind else ""
        return f"{self.date_display} {self.get_type_display()}{kind}"
