"""What each reader level last saw change of a person: the change feeds' clock (spis/access/changes.py).

`Person.updated_at` moves with every write to a person, a restricted event or an internal note included, so a
feed or an API field that published it would tell when something hidden changed. These rows keep, per person
and per level below "every level", a digest of what that level may see of the person and the moment that
digest last changed. They are derived (changes.refresh rebuilds them from the registry) and never edited.
"""

from django.db import models


class SeenChange(models.Model):
    person = models.OneToOneField(
        "registry.Person", on_delete=models.CASCADE, primary_key=True, related_name="seen_change"
    )
    # The person's rows as last digested: a differing value makes the person a candidate for a new digest.
    merged_into = models.BigIntegerField(
        null=True, help_text="The person's merged_into id when last digested."
    )
    # As text, compared as text (access.changes._STALE_SQL): bulk writers store SQLite timestamps in more than
    # one spelling ("…+00:00" or not), and a spelling that differs is not a change.
    updated_mark = models.CharField(
        max_length=64, help_text="The person's updated_at, as stored, when last digested."
    )
    last_event_id = models.BigIntegerField(default=0, help_text="The person's newest event id then.")
    last_name_id = models.BigIntegerField(default=0, help_text="The person's newest name id then.")
    # Names are edited in place (the admin: text, level); each edit adds a row to their history.
    last_name_edit_id = models.BigIntegerField(
        default=0, help_text="The newest history id of their names then."
    )
    public_digest = models.CharField(max_length=32, blank=True, help_text="Of what the public may see.")
    public_changed_at = models.DateTimeField(
        null=True, help_text="When what the public may see last changed."
    )
    restricted_digest = models.CharField(max_length=32, blank=True, help_text="Of what researchers may see.")
    restricted_changed_at = models.DateTimeField(
        null=True, help_text="When what researchers may see last changed."
    )

    class Meta:
        indexes = [
            models.Index(fields=["public_changed_at", "person"], name="access_seen_public"),
            models.Index(fields=["restricted_changed_at", "person"], name="access_seen_restricted"),
            # The people a level no longer sees (changes.withdrawn_since): few among many changed at once.
            models.Index(
                fields=["public_changed_at", "person"],
                condition=models.Q(public_digest=""),
                name="access_seen_public_gone",
            ),
            models.Index(
                fields=["restricted_changed_at", "person"],
                condition=models.Q(restricted_digest=""),
                name="access_seen_restricted_gone",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.public_changed_at} / {self.restricted_changed_at}"


class SeenWatermark(models.Model):
    """One row: the registry version (registry.generation.registry_version) the SeenChange rows were last
    brought up to, so that a read after no write costs one query."""

    version = models.CharField(max_length=200, help_text="registry_version() at the last refresh.")

    def __str__(self) -> str:
        return self.version
