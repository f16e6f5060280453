"""Who outreach documents go to (Contact), who signs them (Signatory), and letters volunteers send (LetterLog)."""

from django.conf import settings
from django.db import models

LANGUAGES = [("en", "English"), ("be", "Беларуская"), ("ru", "Русский")]


class Contact(models.Model):
    """A recipient of letters and briefs: an official, a diplomat, an editor. Titles alone are enough."""

    name = models.CharField(
        max_length=300, blank=True, help_text="Personal name; may be empty when a letter goes to a title."
    )
    title = models.CharField(max_length=300, help_text="Title or office, e.g. 'Minister of Foreign Affairs'.")
    organisation = models.ForeignKey(
        "registry.Organization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="outreach_contacts",
        help_text="The organisation the contact belongs to (a registry Organization).",
    )
    language = models.CharField(
        max_length=2,
        choices=LANGUAGES,
        default="en",
        help_text="Language letters to this contact are written in.",
    )
    salutation = models.CharField(
        max_length=200,
        blank=True,
        help_text="Opening line, e.g. 'Your Excellency'; empty: a default per language.",
    )
    address = models.TextField(blank=True, help_text="Postal address as it should appear on the letter.")
    email = models.EmailField(blank=True, help_text="Email address.")
    is_synthetic = models.BooleanField(
        default=False, help_text="A demo contact: documents addressed to it are marked as demonstrations."
    )
    created_at = models.DateTimeField(auto_now_add=True, help_text="When the contact was entered (UTC).")

    class Meta:
        ordering = ["title", "name"]

    def __str__(self) -> str:
        return f"{self.name}, {self.title}" if self.name else self.title


class Signatory(models.Model):
    """A person signing documents on behalf of an organisation."""

    name = models.CharField(max_length=300, help_text="Name as it should be printed under the signature.")
    role = models.CharField(max_length=300, help_text="Role, e.g. 'Chair of the Board'.")
    organisation = models.ForeignKey(
        "registry.Organization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="outreach_signatories",
        help_text="The organisation signing; its name heads the letter (letterhead).",
    )
    order = models.PositiveSmallIntegerField(
        default=0, help_text="Position among the signatures (lowest first)."
    )
    is_synthetic = models.BooleanField(default=False, help_text="A demo signatory.")

    class Meta:
        ordering = ["order", "name"]
        verbose_name_plural = "signatories"

    def __str__(self) -> str:
        return f"{self.name} ({self.role})"


class LetterLog(models.Model):
    """One letter a volunteer sent to a prisoner; the suggestion list favours those who got fewest."""

    person = models.ForeignKey(
        "registry.Person",
        on_delete=models.PROTECT,
        related_name="letters",
        help_text="The prisoner written to.",
    )
    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="letters_sent",
        help_text="Who wrote (kept as null if the account is deleted, so the count survives).",
    )
    sent_on = models.DateField(help_text="When the letter was posted.")
    recorded_at = models.DateTimeField(auto_now_add=True, help_text="When it was logged (UTC).")

    class Meta:
        ordering = ["-sent_on", "-id"]
        indexes = [models.Index(fields=["person", "sent_on"])]

    def __str__(self) -> str:
        return f"{self.person_id} {self.sent_on}"
