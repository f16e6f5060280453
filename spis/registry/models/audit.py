from django.db import models


class AuditEntry(models.Model):
    """One append-only, hash-chained entry per write (see registry/audit.py); never updated or deleted."""

    seq = models.PositiveBigIntegerField(unique=True, help_text="Position in the chain, from 1.")
    at = models.DateTimeField(help_text="When (UTC).")
    actor = models.CharField(max_length=150, help_text="Username, or 'system:<command>'.")
    action = models.CharField(max_length=64, help_text="The action in actions.py that wrote.")
    object_type = models.CharField(max_length=64, blank=True, help_text="Model of the object written.")
    object_id = models.CharField(max_length=64, blank=True, db_index=True, help_text="Its id.")
    before = models.JSONField(null=True, blank=True, help_text="Values before the write.")
    after = models.JSONField(null=True, blank=True, help_text="Values after the write.")
    prev_hash = models.CharField(max_length=64, help_text="Hash of the previous entry.")
    hash = models.CharField(max_length=64, help_text="SHA-256 of this entry's content and prev_hash.")

    class Meta:
        ordering = ["seq"]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} by {self.actor}"


class Generation(models.Model):
    """A counter raised after every committed save or delete of a registry, campaign or corridor row (id 1).

    Caches of public pages and figures key on it (registry/generation.py registry_version) together with the
    audit head: staff edits of names, sources or facilities in the admin write no audit entry of their own,
    and a name made restricted must leave every cached page the moment the change commits.
    """

    n = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"generation {self.n}"


class RefKey(models.Model):
    """This registry's secret for published event references (registry/refs.py), one row (id 1), made by the
    migration that added it. Kept in the database so that references survive a new SECRET_KEY and travel with
    a backup; never shown."""

    key = models.CharField(max_length=64, help_text="64 hex digits.")

    def __str__(self) -> str:
        return "reference key"
