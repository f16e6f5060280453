"""Campaigns, their demands, the measures and supporters behind them, and the precedents they cite.

A demand's scope is a saved registry query (a snapshot of the list on a date, or everyone recognised since a
date); whether it is met is never stored here: spis.campaigns.compliance computes it from custody spells.
"""

from django.db import models
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords


class Campaign(models.Model):
    slug = models.SlugField(max_length=80, unique=True, help_text="Short name used in URLs and the CLI.")
    title = models.CharField(max_length=300, help_text="Title of the campaign.")
    description = models.TextField(blank=True, help_text="What the campaign asks for and why.")
    organisers = models.ManyToManyField(
        "registry.Organization",
        blank=True,
        related_name="campaigns_organised",
        help_text="Organisations that run the campaign.",
    )
    targets = models.TextField(
        blank=True, help_text="Whom the demands are addressed to (a government, an embassy), one per line."
    )
    start_date = models.DateField(null=True, blank=True, help_text="When the campaign began.")
    end_date = models.DateField(null=True, blank=True, help_text="When it ended; empty: ongoing.")
    is_public = models.BooleanField(default=True, help_text="Shown on the public site and API.")
    is_synthetic = models.BooleanField(
        default=False, help_text="A demo campaign; it is labelled as such on every page."
    )
    created_at = models.DateTimeField(auto_now_add=True, help_text="When the record was created (UTC).")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_date", "title"]

    def __str__(self) -> str:
        return self.title

    @property
    def target_list(self) -> list[str]:
        return [line.strip() for line in self.targets.splitlines() if line.strip()]


class Demand(models.Model):
    class ScopeKind(models.TextChoices):
        # "snapshot" freezes the list on scope_date (the usual "release the N held today" demand);
        # "rolling" keeps adding everyone recognised in custody since scope_date (the revolving door counts).
        SNAPSHOT = "snapshot", "recognised political prisoners in custody on the scope date"
        ROLLING = "rolling", "everyone recognised and in custody at any time since the scope date"

    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="demands", help_text="Campaign making the demand."
    )
    text = models.TextField(help_text="The demand as worded by the campaign.")
    scope_kind = models.CharField(
        max_length=10,
        choices=ScopeKind.choices,
        default=ScopeKind.SNAPSHOT,
        help_text="Who the demand is about: the list on a date, or everyone recognised since that date.",
    )
    scope_date = models.DateField(help_text="Snapshot date of the list (or start of a rolling scope).")
    deadline = models.DateField(null=True, blank=True, help_text="Deadline set by the demand, if any.")
    without_exception = models.BooleanField(
        default=True,
        help_text="All must be freed: a death in custody then means the demand can no longer be fully met.",
    )
    position = models.PositiveSmallIntegerField(default=0, help_text="Order on the campaign page.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["campaign", "position", "id"]

    def __str__(self) -> str:
        return f"{self.campaign.slug}: {self.text[:60]}"


class Measure(models.Model):
    class Kind(models.TextChoices):
        ULTIMATUM = "ultimatum", pgettext_lazy("measure kind", "ultimatum")
        SANCTION = "sanction", pgettext_lazy("measure kind", "sanction")
        BORDER_CLOSURE = "border_closure", pgettext_lazy("measure kind", "border closure")
        TRANSIT_STOP = "transit_stop", pgettext_lazy("measure kind", "transit stop")
        SANCTIONS_RELIEF = "sanctions_relief", pgettext_lazy("measure kind", "sanctions relief offered")
        DIPLOMATIC = "diplomatic", pgettext_lazy("measure kind", "diplomatic step")
        OTHER = "other", pgettext_lazy("measure kind", "other")

    class Status(models.TextChoices):
        PROPOSED = "proposed", pgettext_lazy("measure status", "proposed")
        ANNOUNCED = "announced", pgettext_lazy("measure status", "announced")
        IN_FORCE = "in_force", pgettext_lazy("measure status", "in force")
        LIFTED = "lifted", pgettext_lazy("measure status", "lifted")

    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="measures", help_text="Campaign the measure backs."
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, help_text="What kind of pressure.")
    description = models.TextField(blank=True, help_text="What the measure is, as announced.")
    actor = models.CharField(max_length=300, help_text="Who applies it (EU, US and UK; a trade union …).")
    actors = models.ManyToManyField(
        "registry.Organization",
        blank=True,
        related_name="campaign_measures",
        help_text="The same actors as registry organisations, when they exist.",
    )
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.PROPOSED, help_text="Where the measure stands."
    )
    start_date = models.DateField(null=True, blank=True, help_text="When it was announced or took force.")
    end_date = models.DateField(null=True, blank=True, help_text="When it was lifted.")
    sources = models.ManyToManyField(
        "registry.Source", blank=True, related_name="campaign_measures", help_text="Sources for the measure."
    )
    corridor_scenario = models.CharField(
        max_length=64,
        blank=True,
        help_text="Scenario id in data/corridors/default_scenario.yaml modelling this measure "
        "(e.g. eu_by_all_rail_closed).",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["campaign", "start_date", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} by {self.actor}"


class Supporter(models.Model):
    class Kind(models.TextChoices):
        GOVERNMENT = "government", pgettext_lazy("supporter kind", "government")
        PARLIAMENT = "parliament", pgettext_lazy("supporter kind", "parliament")
        TRADE_UNION = "trade_union", pgettext_lazy("supporter kind", "trade union")
        NGO = "ngo", pgettext_lazy("supporter kind", "non-governmental organisation")
        COMPANY = "company", pgettext_lazy("supporter kind", "company")
        PERSON = "person", pgettext_lazy("supporter kind", "individual")
        OTHER = "other", pgettext_lazy("supporter kind", "other")

    class Stance(models.TextChoices):
        ENDORSES = "endorses", pgettext_lazy("supporter stance", "endorses")
        SUPPORTS_PART = "supports_part", pgettext_lazy("supporter stance", "supports in part")
        CONSIDERING = "considering", pgettext_lazy("supporter stance", "considering")
        OPPOSES = "opposes", pgettext_lazy("supporter stance", "opposes")

    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="supporters", help_text="Campaign supported."
    )
    organization = models.ForeignKey(
        "registry.Organization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="campaign_support",
        help_text="The supporter as a registry organisation.",
    )
    name = models.CharField(max_length=300, blank=True, help_text="Supporter as named, if not linked.")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.OTHER, help_text="What it is.")
    stance = models.CharField(
        max_length=14, choices=Stance.choices, default=Stance.ENDORSES, help_text="Its position."
    )
    date = models.DateField(null=True, blank=True, help_text="When it took that position.")
    source = models.ForeignKey(
        "registry.Source",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Where the position is recorded.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["campaign", "date", "id"]

    def __str__(self) -> str:
        return self.organization.name if self.organization_id else self.name


class CampaignEvent(models.Model):
    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="events", help_text="Campaign of the entry."
    )
    date = models.DateField(help_text="When it happened.")
    title = models.CharField(max_length=300, help_text="What happened, in one line.")
    description = models.TextField(blank=True, help_text="More detail.")
    sources = models.ManyToManyField(
        "registry.Source", blank=True, related_name="campaign_events", help_text="Sources for the entry."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["campaign", "date", "id"]

    def __str__(self) -> str:
        return f"{self.date} {self.title}"


class Precedent(models.Model):
    """One row of data/precedents/precedents.csv; `spis precedents load` keeps the table in step with the file."""

    class Confidence(models.TextChoices):
        HIGH = "high", pgettext_lazy("precedent confidence", "high")
        MEDIUM = "medium", pgettext_lazy("precedent confidence", "medium")
        LOW = "low", pgettext_lazy("precedent confidence", "low")

    code = models.CharField(max_length=32, unique=True, help_text="The `id` column, e.g. NIC-2023-02.")
    country = models.CharField(max_length=100, db_index=True, help_text="Country that released people.")
    date = models.DateField(help_text="Date of the release (first day of a partial date).")
    date_text = models.CharField(max_length=20, help_text="The date exactly as in the file.")
    end_date = models.DateField(null=True, blank=True, help_text="Last day of a release spread over days.")
    date_precision = models.CharField(
        max_length=100, blank=True, help_text="How precise the date is, as described in the file."
    )
    event = models.TextField(help_text="What happened.")
    number_released = models.PositiveIntegerField(
        null=True, blank=True, help_text="Number released, as a number (approximate when the text says ~)."
    )
    number_text = models.CharField(max_length=20, help_text="Number released exactly as in the file.")
    political_subset = models.TextField(
        blank=True, help_text="The political share of the number, or notes on it."
    )
    kind = models.CharField(max_length=100, db_index=True, help_text="Pardon, amnesty, expulsion, exchange …")
    counterparty = models.TextField(blank=True, help_text="Counterparty or mediator.")
    pressure = models.TextField(blank=True, help_text="What was exchanged, or what pressure preceded it.")
    pressure_category = models.CharField(
        max_length=100, db_index=True, help_text="Category of pressure (sanctions relief, mediation …)."
    )
    conditions = models.TextField(blank=True, help_text="Conditions on release (exile, petitions).")
    sources = models.TextField(help_text="Source URLs, separated by ' | '.")
    confidence = models.CharField(
        max_length=8, choices=Confidence.choices, db_index=True, help_text="Confidence in the row."
    )
    caveats = models.TextField(blank=True, help_text="Known problems with the figure or the date.")
    campaigns = models.ManyToManyField(
        Campaign, blank=True, related_name="precedents", help_text="Campaigns that cite this precedent."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["date", "code"]

    def __str__(self) -> str:
        return f"{self.code}: {self.country} {self.date_text}"

    @property
    def source_list(self) -> list[str]:
        return [url.strip() for url in self.sources.split("|") if url.strip()]

    @property
    def is_approximate(self) -> bool:
        return not self.number_text.strip().isdigit()


from .corridors_models import CorridorModel  # noqa: E402, F401  (the corridor model lives in its own module)
