"""The duplicate review queue and the judgement graph (same / different / unsure), after nomenklatura.

A DuplicateCandidate is a pair that `spis dedupe` found; a Judgement is a documenter's verdict on a pair.
"same" judgements are the edges of the merge forest: the one that joined two clusters carries the link it
set (`linked`), so undoing it removes exactly that link. Judgements are never deleted, only undone.
"""

from django.conf import settings
from django.db import models


class Verdict(models.TextChoices):
    SAME = "same", "same person"
    DIFFERENT = "different", "different people"
    UNSURE = "unsure", "unsure"


class DuplicateCandidate(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "open: waiting for review"
        SAME = "same", "judged the same person"
        DIFFERENT = "different", "judged different people"
        UNSURE = "unsure", "judged unsure"
        SETTLED = "settled", "settled by other judgements (same cluster, or clusters judged different)"

    left = models.ForeignKey(
        "Person",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The record with the lower id (usually the older one).",
    )
    right = models.ForeignKey(
        "Person", on_delete=models.PROTECT, related_name="+", help_text="The record with the higher id."
    )
    score = models.FloatField(db_index=True, help_text="Best spis.names.match score over the two names sets.")
    explanation = models.TextField(blank=True, help_text="Which names were compared and why they scored so.")
    left_name = models.CharField(max_length=300, blank=True, help_text="The left name that matched best.")
    right_name = models.CharField(max_length=300, blank=True, help_text="The right name that matched best.")
    status = models.CharField(
        max_length=10,
        choices=Status.choices,
        default=Status.OPEN,
        db_index=True,
        help_text="Where the pair stands in the review queue.",
    )
    found_at = models.DateTimeField(help_text="When `spis dedupe` last found (or re-scored) the pair (UTC).")

    class Meta:
        ordering = ["-score", "id"]
        constraints = [
            models.UniqueConstraint(fields=["left", "right"], name="registry_duplicatecandidate_pair"),
            models.CheckConstraint(
                condition=models.Q(left__lt=models.F("right")), name="registry_dupe_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.left_id} ~ {self.right_id} ({self.score:.2f}, {self.status})"


class Judgement(models.Model):
    """A reviewer's verdict on two records; applied to their clusters, undone by a later action."""

    left = models.ForeignKey(
        "Person", on_delete=models.PROTECT, related_name="+", help_text="First record judged."
    )
    right = models.ForeignKey(
        "Person", on_delete=models.PROTECT, related_name="+", help_text="Second record judged."
    )
    verdict = models.CharField(max_length=10, choices=Verdict.choices, help_text="same, different or unsure.")
    candidate = models.ForeignKey(
        DuplicateCandidate,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="judgements",
        help_text="The queue entry judged, if the judgement came from the queue.",
    )
    linked = models.ForeignKey(
        "Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="For a 'same' verdict that joined two clusters: the cluster root whose merged_into it set.",
    )
    linked_to = models.ForeignKey(
        "Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The person `linked` was merged into.",
    )
    note = models.TextField(blank=True, help_text="Why the reviewer decided so.")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who judged (empty for a command-line actor; see `actor`).",
    )
    actor = models.CharField(max_length=150, help_text="Who judged, as written in the audit log.")
    at = models.DateTimeField(help_text="When it was judged (UTC).")
    undone_at = models.DateTimeField(
        null=True, blank=True, help_text="When it was undone (UTC); empty: in force."
    )
    undone_by = models.CharField(max_length=150, blank=True, help_text="Who undid it.")

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["verdict", "undone_at"])]

    def __str__(self) -> str:
        undone = " (undone)" if self.undone_at else ""
        return f"{self.left_id} {self.verdict} {self.right_id}{undone}"
