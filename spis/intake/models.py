from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import pgettext_lazy

# A confirmation imports in its web request, which gunicorn kills after its --timeout (300 s, docs/operations.md),
# rolling the import's one transaction back. A claim three times as old is of a process that is gone: its import
# wrote nothing, and the upload may be confirmed again.
CLAIM_ABANDONED_AFTER = timedelta(minutes=15)


class ImportBatch(models.Model):
    """One run of an import: what file, by whom, with what mapping, and what came of it (provenance)."""

    class Status(models.TextChoices):
        # Labels in the staff's language (the batch pages); the stored values stay these English words.
        UPLOADED = "uploaded", pgettext_lazy("import batch status", "uploaded, not yet imported")
        # Confirmed, its import under way: one confirmation moves an upload here, so a second finds it taken.
        RUNNING = "running", pgettext_lazy("import batch status", "being imported")
        COMPLETED = "completed", pgettext_lazy("import batch status", "completed")
        PARTIAL = "partial", pgettext_lazy("import batch status", "completed; rows with errors skipped")
        FAILED = "failed", pgettext_lazy("import batch status", "failed; nothing written")
        # Previewed and set aside by its uploader or an administrator: never imported, its file deleted.
        DISCARDED = "discarded", pgettext_lazy("import batch status", "discarded; not imported")

    file_name = models.CharField(max_length=300, help_text="Name of the uploaded or imported file.")
    checksum = models.CharField(max_length=64, db_index=True, help_text="SHA-256 of the file's bytes.")
    format = models.CharField(max_length=8, help_text="csv, xlsx, json or jsonl.")
    mapping = models.CharField(max_length=100, blank=True, help_text="Mapping used (name or 'builtin').")
    source = models.ForeignKey(
        "registry.Source",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The source cited on every fact this batch wrote.",
    )
    source_title = models.CharField(
        max_length=500, blank=True, help_text="Source title given with the upload (default: the file)."
    )
    actor = models.CharField(max_length=150, help_text="Who ran it (username or system:<command>).")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The signed-in user who uploaded it, if any.",
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The signed-in user who confirmed the upload's import, if it was confirmed on the site.",
    )
    created_at = models.DateTimeField(auto_now_add=True, help_text="When the batch was started (UTC).")
    status = models.CharField(max_length=10, choices=Status.choices, help_text="Outcome of the batch.")
    partial = models.BooleanField(default=False, help_text="Run with --partial (good rows kept).")
    claimed_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the upload's import was confirmed (status running); a claim older than "
        "intake.models.CLAIM_ABANDONED_AFTER is of an import that was killed and wrote nothing.",
    )
    content = models.BinaryField(
        null=True,
        blank=True,
        help_text="The uploaded file, kept to confirm it; deleted once the batch is imported, fails or is discarded.",
    )
    counts = models.JSONField(default=dict, blank=True, help_text="rows, created, updated, unchanged, …")

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "import batches"

    def __str__(self) -> str:
        return f"{self.file_name} ({self.status})"

    @staticmethod
    def claimable() -> Q:
        """Uploads a confirmation may claim: not yet imported, or claimed by an import that was killed (a claim
        older than CLAIM_ABANDONED_AFTER, or one made before claims were timed)."""
        # A claim made before claims were timed: stale once the batch itself is as old (a batch running while the
        # migration ran is not taken over at once).
        before = timezone.now() - CLAIM_ABANDONED_AFTER
        stale = Q(claimed_at__lt=before) | Q(claimed_at__isnull=True, created_at__lt=before)
        return Q(status=ImportBatch.Status.UPLOADED) | (Q(status=ImportBatch.Status.RUNNING) & stale)

    def claim_abandoned(self) -> bool:
        """Whether the batch is "being imported" by a process that is gone (its import wrote nothing)."""
        if self.status != ImportBatch.Status.RUNNING:
            return False
        return (self.claimed_at or self.created_at) < timezone.now() - CLAIM_ABANDONED_AFTER


class ImportRow(models.Model):
    """One row of a batch: its raw content as read and what the import did with it."""

    class Outcome(models.TextChoices):
        CREATED = "created", pgettext_lazy("import row outcome", "created")
        UPDATED = "updated", pgettext_lazy("import row outcome", "updated")
        UNCHANGED = "unchanged", pgettext_lazy("import row outcome", "unchanged")
        CONFLICT = "conflict", pgettext_lazy("import row outcome", "conflict")
        ERROR = "error", pgettext_lazy("import row outcome", "error")

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="rows", help_text="Batch.")
    line = models.PositiveIntegerField(help_text="Line (CSV), row (XLSX) or record number (JSON).")
    raw = models.JSONField(help_text="The row's cells exactly as read.")
    outcome = models.CharField(max_length=10, choices=Outcome.choices, help_text="What happened.")
    # Each a message as messages.py stores it ({"text": English template, "params": {…}}), put into the reader's
    # language when shown; rows stored before that hold plain English strings, shown as they are.
    messages = models.JSONField(default=list, blank=True, help_text="Errors, conflicts and notes.")
    external_id = models.CharField(
        max_length=100, blank=True, db_index=True, help_text="The row's id in the source list, if any."
    )
    person = models.ForeignKey(
        "registry.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The person the row was matched to or created as.",
    )

    class Meta:
        ordering = ["batch", "line"]

    def __str__(self) -> str:
        return f"{self.batch_id}:{self.line} {self.outcome}"
