from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from spis.names.collate import KEY_LENGTH, sort_key

from ..dates import format_partial
from .common import STRICTNESS, ByteOrderCharField, LocalNameMixin, confidentiality_field, precision_field

# A public person's display name is on every public list and page: never a name that only staff may read.
# The derived dates of a person that are shown with how much of them is known (custody.Custody keeps a
# `<name>_precision` of each; access.queries.as_seen sets it on a display instance).
DATE_PRECISIONS = ("first_recognized_on", "detained_on", "released_on", "expected_release_on")
WITHHELD_DISPLAY_NAME = (
    "This public person's display name would be a name only staff may read: give them a public display name "
    "first, or keep a public name with the same text."
)

# A merge cluster is shown at its root's level (Person.cluster_level_clash).
MERGED_MORE_STRICT = (
    "This record is merged into %(root)s, which shows it at that record's level (%(level)s): make %(root)s as "
    "strict first, or unmerge this record."
)
ROOT_MORE_OPEN = (
    "Records merged into this one are stricter: %(records)s. This record would show them at its level: make them "
    "as open first, or unmerge them."
)


class PublicIdCounter(models.Model):
    """The last public id number ever issued; ids are never reused, even after a merge or a failed import."""

    prefix = models.CharField(max_length=8, unique=True, help_text="Id prefix, e.g. BY.")
    last = models.PositiveIntegerField(default=0, help_text="Last number issued.")

    def __str__(self) -> str:
        return f"{self.prefix}: {self.last}"


class Person(models.Model):
    class Gender(models.TextChoices):
        MALE = "m", "male"
        FEMALE = "f", "female"
        OTHER = "x", "other or not stated"

    class Status(models.TextChoices):
        # Derived from events by actions.rebuild_custody(); never edited by hand.
        IN_CUSTODY = "in_custody", "in custody"
        RELEASED = "released", "released"
        DIED = "died", "died"
        NEVER_HELD = "at_liberty", "not held"

    public_id = models.CharField(
        max_length=16, unique=True, help_text="Stable public id such as BY-000123; never reused."
    )
    display_name = models.CharField(max_length=300, help_text="The name shown on lists and pages.")
    # Derived from display_name in save() (and by the bulk loaders, which call sort_key themselves).
    sort_name = ByteOrderCharField(
        max_length=KEY_LENGTH,
        default="",
        editable=False,
        help_text="Derived: the display name's sort key (spis.names.collate), so lists sort in alphabet order.",
    )
    birth_date = models.DateField(
        null=True, blank=True, help_text="Birth date (first day of a partial date)."
    )
    birth_date_precision = precision_field("How much of the birth date is known.")
    gender = models.CharField(max_length=1, choices=Gender.choices, blank=True, help_text="Gender.")
    region = models.CharField(
        max_length=100, blank=True, db_index=True, help_text="Region (voblasc) of residence."
    )
    occupation = models.CharField(max_length=200, blank=True, help_text="Occupation as published.")
    confidentiality = confidentiality_field(
        "public: named on the site; restricted: researchers and above; sealed: counted in totals only."
    )
    consent_note = models.TextField(blank=True, help_text="What the family agreed to publish, and when.")
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_from",
        db_index=False,  # the (merged_into, …) indexes in Meta serve look-ups by it
        help_text="Set when this record was found to be a duplicate: merges are links, never deletes.",
    )
    is_synthetic = models.BooleanField(default=False, help_text="Part of the synthetic demo registry.")
    created_at = models.DateTimeField(auto_now_add=True, help_text="When the record was created (UTC).")
    updated_at = models.DateTimeField(auto_now=True, db_index=True, help_text="Last change (UTC).")
    # Derived by actions.rebuild_custody() from the person's events; read-only everywhere else.
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.NEVER_HELD, db_index=True, help_text="Derived."
    )
    recognized = models.BooleanField(default=False, db_index=True, help_text="Derived: recognised today.")
    first_recognized_on = models.DateField(null=True, blank=True, db_index=True, help_text="Derived.")
    current_facility = models.ForeignKey(
        "Facility", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", help_text="Derived."
    )
    detained_on = models.DateField(null=True, blank=True, help_text="Derived: start of the latest custody.")
    released_on = models.DateField(null=True, blank=True, help_text="Derived: end of the latest custody.")
    expected_release_on = models.DateField(
        null=True, blank=True, help_text="Derived: end of the current term."
    )
    sentence_months = models.PositiveIntegerField(
        null=True, blank=True, help_text="Derived: latest sentence."
    )
    history = HistoricalRecords(excluded_fields=["updated_at", "sort_name"])

    class Meta:
        ordering = ["sort_name", "id"]
        indexes = [
            models.Index(fields=["merged_into", "status", "recognized"]),
            # The visibility policy filters every list on confidentiality: counting a page's total stays an
            # index-only read.
            models.Index(fields=["merged_into", "confidentiality", "status"], name="registry_person_visible"),
            # A list sorted by name for one level (the public's) reads its page from here in order, however
            # deep; the id breaks ties between equal keys. Partial, not led by merged_into: PostgreSQL takes
            # `merged_into IS NULL` for a filter, not an equality, and would sort instead of reading in order.
            models.Index(
                fields=["confidentiality", "sort_name", "id"],
                condition=models.Q(merged_into__isnull=True),
                name="registry_person_sort",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.public_id})"

    def save(self, *args, **kwargs):
        # Every save keeps the key: actions, the admin, history reverts. Bulk loaders (registry.demo,
        # intake.writers.BulkWriter) insert raw rows and call sort_key themselves.
        self.sort_name = sort_key(self.display_name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "display_name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "sort_name"}
        super().save(*args, **kwargs)

    @property
    def birth_date_display(self) -> str:
        return format_partial(self.birth_date, self.birth_date_precision)

    # The derived dates as entered ("2021", "2021-03", "2021-03-12"): their precisions are not stored but set
    # on a display instance by access.queries.as_seen, from the events the reader may see (a day where none
    # was set: a date the reader was not shown through as_seen).
    def _derived_display(self, name: str) -> str:
        return format_partial(getattr(self, name), getattr(self, f"{name}_precision", None))

    @property
    def first_recognized_on_display(self) -> str:
        return self._derived_display("first_recognized_on")

    @property
    def detained_on_display(self) -> str:
        return self._derived_display("detained_on")

    @property
    def released_on_display(self) -> str:
        return self._derived_display("released_on")

    @property
    def expected_release_on_display(self) -> str:
        return self._derived_display("expected_release_on")

    def clean(self) -> None:
        if self.shows_a_withheld_name():
            raise ValidationError({"display_name": WITHHELD_DISPLAY_NAME})
        clash = self.cluster_level_clash()
        if clash:
            raise ValidationError({"confidentiality": clash})

    def cluster_level_clash(self) -> str:
        """Why this record's level cannot stand in its merge cluster, or "". A cluster is shown at its root's
        level, with the names and events of every record merged into it: a merged record stricter than its
        root would be published by it (a merge never links a record so, merge._relink; raising the level of
        one merged earlier would), and a root made more open than a record merged into it would publish that
        record."""
        if self.pk is None:
            return ""
        # The merge cluster's own walks (actions imports the models, so not at module load).
        from ..actions import canonical, cluster_ids

        own = STRICTNESS[self.confidentiality]
        # From the stored record it is merged into (this one's cached link may be older than its level).
        root = canonical(Person.objects.get(pk=self.merged_into_id)) if self.merged_into_id else self
        if root is not self and STRICTNESS[root.confidentiality] < own:
            return MERGED_MORE_STRICT % {"root": root.public_id, "level": root.confidentiality}
        below = Person.objects.filter(pk__in=cluster_ids(self)).exclude(pk=self.pk).order_by("pk")
        stricter = [
            f"{public_id} ({level})"
            for public_id, level in below.values_list("public_id", "confidentiality")
            if STRICTNESS[level] > own
        ]
        return ROOT_MORE_OPEN % {"records": ", ".join(stricter)} if stricter else ""

    def shows_a_withheld_name(self, editing: "Name | None" = None) -> bool:
        """Whether a public display name that shows this record, which every public list and page shows, is
        the text of names only staff may read and of no public one. A record shows its cluster's names as one
        record (a sealed alias of a record merged into it), and a record merged into another shows under the
        display name of each record it is merged up through: it is checked, and so is each of those (with
        its own cluster's names), since undoing a merge makes a record show its own again. `editing`: a name
        about to be saved, at its new level."""
        if self.pk is None:
            return False
        record, shown = self, [self]
        while record.merged_into_id:
            record = Person.objects.get(pk=record.merged_into_id)
            shown.append(record)
        return any(_withheld_display_name(record, editing) for record in shown)


def _withheld_display_name(record: Person, editing: "Name | None") -> bool:
    """Whether `record`, public, has as its display name the text of names of its cluster that only staff may
    read and of no public one (Person.shows_a_withheld_name)."""
    from ..actions import cluster_ids

    if record.confidentiality != "public":
        return False
    members = cluster_ids(record)
    texts = dict(
        Name.objects.filter(person_id__in=members, text=record.display_name).values_list(
            "pk", "confidentiality"
        )
    )
    if editing is not None and editing.person_id in members:
        if editing.text == record.display_name:
            texts[editing.pk or 0] = editing.confidentiality
        else:
            texts.pop(editing.pk or 0, None)
    return bool(texts) and "public" not in texts.values()


class Name(models.Model):
    class Script(models.TextChoices):
        CYRILLIC = "Cyrl", "Cyrillic"
        LATIN = "Latn", "Latin"
        OTHER = "Zyyy", "other"

    class Kind(models.TextChoices):
        PRIMARY = "primary", "primary"
        TRANSLITERATION = "transliteration", "transliteration"
        ALIAS = "alias", "alias"
        FORMER = "former", "former name"
        PATRONYMIC_FORM = "patronymic", "form with patronymic"

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="names", help_text="Whose name."
    )
    text = models.CharField(max_length=300, help_text="The name exactly as written in the source.")
    script = models.CharField(max_length=4, choices=Script.choices, blank=True, help_text="Writing system.")
    # 35: the length RFC 5646 (4.4.1) asks a store of language tags to take ("be-tarask", the classical
    # Belarusian orthography, is 9).
    language = models.CharField(
        max_length=35, blank=True, help_text="Language tag (BCP 47): be, ru, en, pl, be-tarask …"
    )
    kind = models.CharField(
        max_length=16, choices=Kind.choices, default=Kind.PRIMARY, help_text="Kind of name."
    )
    scheme = models.CharField(
        max_length=32,
        blank=True,
        help_text="Transliteration scheme: national-2023, bgn-pcgn, passport, press …",
    )
    source = models.ForeignKey(
        "Source", null=True, blank=True, on_delete=models.PROTECT, help_text="Where this spelling comes from."
    )
    confidentiality = confidentiality_field()
    keys = models.TextField(blank=True, help_text="Derived search keys (spis.names); rebuilt when saved.")
    recorded_at = models.DateTimeField(auto_now_add=True, help_text="When the name was entered (UTC).")
    history = HistoricalRecords(excluded_fields=["keys"])

    class Meta:
        ordering = ["person_id", "kind", "id"]  # the column: see Event.Meta

    def __str__(self) -> str:
        return self.text

    def clean(self) -> None:
        if self.person_id is not None and self.person.shows_a_withheld_name(editing=self):
            raise ValidationError({"confidentiality": WITHHELD_DISPLAY_NAME})


class Facility(LocalNameMixin, models.Model):
    class Kind(models.TextChoices):
        SIZO = "sizo", "pre-trial detention centre (SIZO)"
        IVS = "ivs", "temporary detention (IVS/TDF)"
        COLONY = "colony", "penal colony"
        PRISON = "prison", "prison"
        OPEN_COLONY = "open", "open-type correctional facility (khimiya)"
        MEDICAL = "medical", "medical facility"
        OTHER = "other", "other"

    # A Belarusian reader gets the Russian name where there is no Belarusian one: official names of places of
    # detention are often recorded only in Russian, which such readers read.
    NAME_FALLBACK = {"be": "ru"}

    name = models.CharField(max_length=300, help_text="Name in English.")
    name_be = models.CharField(max_length=300, blank=True, help_text="Name in Belarusian.")
    name_ru = models.CharField(max_length=300, blank=True, help_text="Name in Russian.")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.OTHER, help_text="Type.")
    region = models.CharField(max_length=100, blank=True, help_text="Region (voblasc).")
    postal_address = models.TextField(
        blank=True, help_text="Address for letters, in Cyrillic as Belarusian post expects it."
    )
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True, help_text="WGS84.")
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True, help_text="WGS84.")
    address_verified_on = models.DateField(
        null=True, blank=True, help_text="When the address was last checked."
    )
    is_synthetic = models.BooleanField(default=False, help_text="Part of the synthetic demo registry.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "facilities"

    def __str__(self) -> str:
        return self.name


class Case(models.Model):
    number = models.CharField(max_length=100, blank=True, db_index=True, help_text="Criminal case number.")
    articles = models.JSONField(
        default=list,
        blank=True,
        help_text='Articles as a list of {"code": "CC-BY", "article": "342", "part": "1"}.',
    )
    court = models.ForeignKey(
        "Organization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
        help_text="Court.",
    )
    court_name = models.CharField(max_length=300, blank=True, help_text="Court as printed, if not linked.")
    judge = models.CharField(max_length=200, blank=True, help_text="Judge.")
    prosecutor = models.CharField(max_length=200, blank=True, help_text="Prosecutor.")
    history = HistoricalRecords()

    def __str__(self) -> str:
        return self.number or f"case {self.pk}"

    @property
    def articles_display(self) -> str:
        return ", ".join(article_label(a) for a in self.articles)


def article_label(article: dict) -> str:
    label = str(article.get("article", ""))
    if article.get("part"):
        label += f" ч.{article['part']}"
    return label


class GrantedPerson(models.Model):
    """An editor explicitly granted access to one sealed person (issue: access)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sealed_grants")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="grants")
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        unique_together = [("user", "person")]

    def __str__(self) -> str:
        return f"{self.user} → {self.person}"
