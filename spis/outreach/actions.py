"""Every write of the outreach app; each appends to the audit log like the registry's actions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from spis.access import policy
from spis.registry import audit
from spis.registry.actions import today
from spis.registry.models import Organization, Person

from .models import Contact, LetterLog, Signatory

CONTACT_FIELDS = [
    "name",
    "title",
    "organisation_id",
    "language",
    "salutation",
    "address",
    "email",
    "is_synthetic",
]
SIGNATORY_FIELDS = ["name", "role", "organisation_id", "order", "is_synthetic"]


def _snapshot(obj: Any, fields: list[str]) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in fields}


@transaction.atomic
def save_contact(actor: Any, contact: Contact) -> Contact:
    """Create or change a contact (the admin calls this too, so every change is audited)."""
    if not (contact.title or "").strip():
        raise ValueError("title: a contact needs a title (a name alone does not say whom a letter is for)")
    before = None
    if contact.pk:
        old = Contact.objects.filter(pk=contact.pk).first()
        before = _snapshot(old, CONTACT_FIELDS) if old else None
    contact.full_clean()
    contact.save()
    audit.append(actor, "save_contact", contact, before, _snapshot(contact, CONTACT_FIELDS))
    return contact


def create_contact(actor: Any, title: str, **fields: Any) -> Contact:
    return save_contact(actor, Contact(title=title, **fields))


@transaction.atomic
def save_signatory(actor: Any, signatory: Signatory) -> Signatory:
    if not (signatory.name or "").strip() or not (signatory.role or "").strip():
        raise ValueError("name, role: a signatory needs both")
    before = None
    if signatory.pk:
        old = Signatory.objects.filter(pk=signatory.pk).first()
        before = _snapshot(old, SIGNATORY_FIELDS) if old else None
    signatory.full_clean()
    signatory.save()
    audit.append(actor, "save_signatory", signatory, before, _snapshot(signatory, SIGNATORY_FIELDS))
    return signatory


def create_signatory(actor: Any, name: str, role: str, **fields: Any) -> Signatory:
    return save_signatory(actor, Signatory(name=name, role=role, **fields))


@transaction.atomic
def record_letter(actor: Any, person: Person, sent_on: dt.date | None = None) -> LetterLog:
    """Log one letter a volunteer sent; only to a public person (the letter pages show no one else)."""
    if person.confidentiality != policy.PUBLIC or person.merged_into_id:
        raise ValueError(f"person {person.public_id}: letters are logged for public records only")
    sent_on = sent_on or today()
    if sent_on > today():
        raise ValueError(f"sent_on: {sent_on.isoformat()} is in the future")
    if sent_on < dt.date(2020, 1, 1):
        raise ValueError(f"sent_on: {sent_on.isoformat()} is before the registry begins")
    volunteer = actor if getattr(actor, "is_authenticated", False) else None
    log = LetterLog.objects.create(person=person, volunteer=volunteer, sent_on=sent_on)
    audit.append(actor, "record_letter", log, None, {"person": person.public_id, "sent_on": sent_on})
    return log


# The 2023 letter went to China's foreign minister and its ambassador in Minsk; demo contacts carry the
# titles only (no personal names) and are marked synthetic so every document addressed to them says so.
DEMO_CONTACTS = [
    {
        "title": "Minister of Foreign Affairs of the People's Republic of China",
        "org": ("Ministry of Foreign Affairs of the People's Republic of China", "CN"),
        "salutation": "",
        "address": "",
    },
    {
        "title": "Ambassador Extraordinary and Plenipotentiary of the People's Republic of China to Belarus",
        "org": ("Embassy of the People's Republic of China in Belarus", "CN"),
        "salutation": "",
        "address": "",
    },
]
DEMO_SIGNATORIES = [
    ("Demo Signatory A (synthetic)", "Chair of the Board (demo)"),
    ("Demo Signatory B (synthetic)", "Coordinator for Foreign Relations (demo)"),
]
DEMO_ORG = (
    "Demo Democratic Forum (synthetic)",
    "Дэма-дэмакратычны форум (сінтэтычны)",
    "Демо-демократический форум (синтетический)",
)


def _organisation(actor: Any, name: str, **fields: Any) -> Organization:
    # The registry has no action for organisations yet; this one is audited the same way.
    org = Organization.objects.filter(name=name).first()
    if org is None:
        org = Organization.objects.create(name=name, **fields)
        audit.append(actor, "create_organization", org, None, {"name": name, **fields})
    return org


@transaction.atomic
def seed_demo(actor: Any = "system:outreach") -> dict[str, int]:
    """Demo contacts (titles only) and signatories, marked synthetic; idempotent."""
    made = {"contacts": 0, "signatories": 0}
    for spec in DEMO_CONTACTS:
        if Contact.objects.filter(title=spec["title"], is_synthetic=True).exists():
            continue
        name, country = spec["org"]
        org = _organisation(actor, name, kind=Organization.Kind.GOVERNMENT, country=country)
        create_contact(
            actor,
            spec["title"],
            organisation=org,
            language="en",
            salutation=spec["salutation"],
            address=spec["address"],
            is_synthetic=True,
        )
        made["contacts"] += 1
    forum = _organisation(
        actor, DEMO_ORG[0], name_be=DEMO_ORG[1], name_ru=DEMO_ORG[2], kind=Organization.Kind.NGO, country="BY"
    )
    for order, (name, role) in enumerate(DEMO_SIGNATORIES):
        if Signatory.objects.filter(name=name, is_synthetic=True).exists():
            continue
        create_signatory(actor, name, role, organisation=forum, order=order, is_synthetic=True)
        made["signatories"] += 1
    return made
