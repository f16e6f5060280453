from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from simple_history.models import HistoricalRecords

from .common import LocalNameMixin, confidentiality_field


class Organization(LocalNameMixin, models.Model):
    class Kind(models.TextChoices):
        RECOGNIZING_BODY = "recognizing_body", "recognising body"
        COURT = "court", "court"
        PROSECUTOR = "prosecutor", "prosecutor's office"
        GOVERNMENT = "government", "government"
        NGO = "ngo", "non-governmental organisation"
        TRADE_UNION = "trade_union", "trade union"
        MEDIA = "media", "media"
        COMPANY = "company", "company"
        OTHER = "other", "other"

    name = models.CharField(max_length=300, help_text="Name as the organisation uses it.")
    name_be = models.CharField(max_length=300, blank=True, help_text="Name in Belarusian, if any.")
    name_ru = models.CharField(max_length=300, blank=True, help_text="Name in Russian, if any.")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER, help_text="What it is.")
    country = models.CharField(max_length=2, blank=True, help_text="ISO 3166-1 alpha-2 country code.")
    url = models.URLField(blank=True, help_text="Official website.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Source(models.Model):
    class Reliability(models.TextChoices):
        # Admiralty-style grades, as human-rights documenters commonly use them.
        HIGH = "high", "high: primary source or two independent confirmations"
        MEDIUM = "medium", "medium: one secondary source"
        LOW = "low", "low: aggregator, mirror or unconfirmed"

    title = models.CharField(max_length=500, help_text="Title of the page or document.")
    url = models.URLField(max_length=1000, blank=True, help_text="Where the source can be read.")
    document = models.CharField(
        max_length=500,
        blank=True,
        help_text="A document reference when there is no URL (file name, archive id).",
    )
    publisher = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, help_text="Who published it."
    )
    publisher_name = models.CharField(max_length=300, blank=True, help_text="Publisher as printed.")
    published_on = models.DateField(null=True, blank=True, help_text="Publication date.")
    reliability = models.CharField(
        max_length=8, choices=Reliability.choices, default=Reliability.MEDIUM, help_text="Reliability grade."
    )
    confidentiality = confidentiality_field("A confidential source (a witness) is never shown publicly.")
    recorded_at = models.DateTimeField(auto_now_add=True, help_text="When the source was entered (UTC).")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-published_on", "title"]

    def __str__(self) -> str:
        return self.title

    @property
    def web_link(self) -> str:
        """The url when it is a web link (http, https), else "": what a page may render as a link. Imports
        refuse other links, but a source entered otherwise (the admin, an old import) may hold one, and a
        `javascript:` link on the public site would run in a reader's browser."""
        return self.url if self.url.lower().startswith(("http://", "https://")) else ""


class Citation(models.Model):
    """Ties a source to any fact: a person, a name, an event, a case, a facility."""

    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, related_name="citations", help_text="The source."
    )
    content_type = models.ForeignKey(
        ContentType,
        on_delete=models.PROTECT,
        db_index=False,  # the (content_type, object_id) index in Meta serves look-ups by it
        help_text="Kind of the cited fact.",
    )
    object_id = models.PositiveBigIntegerField(help_text="Id of the cited fact.")
    target = GenericForeignKey("content_type", "object_id")
    locator = models.CharField(
        max_length=300, blank=True, help_text="Page, paragraph or quote in the source."
    )
    confidentiality = confidentiality_field()
    recorded_at = models.DateTimeField(auto_now_add=True, help_text="When the citation was entered (UTC).")
    history = HistoricalRecords()

    class Meta:
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.source} → {self.content_type.model} {self.object_id}"
