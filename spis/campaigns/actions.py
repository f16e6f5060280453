"""Every write to campaigns, demands, measures, supporters, timeline entries and precedents.

Each action validates its input, writes, and appends to the registry's audit log, as registry/actions.py does.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.db import transaction
from django.utils.text import slugify

from spis.registry import audit
from spis.registry.dates import PartialDate
from spis.registry.models import Organization, Source

from .models import Campaign, CampaignEvent, Demand, Measure, Precedent, Supporter

PRECEDENTS_FILE = Path(settings.DATA_DIR) / "precedents" / "precedents.csv"
CORRIDORS_FILE = Path(settings.DATA_DIR) / "corridors" / "default_scenario.yaml"
# /campaigns/precedents/ is a page, so no campaign may take that slug.
RESERVED_SLUGS = {"precedents", "series", "corridors"}
PRECEDENT_COLUMNS = [
    "id",
    "country",
    "date",
    "end_date",
    "date_precision",
    "event",
    "number_released",
    "political_subset_or_notes_on_number",
    "kind",
    "counterparty_or_mediator",
    "what_was_exchanged_or_pressure",
    "pressure_category",
    "conditions_on_release",
    "sources",
    "confidence",
    "caveats",
]


def _values(obj: Any, fields: Iterable[str]) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in fields}


@transaction.atomic
def create_campaign(
    actor: Any,
    title: str,
    *,
    slug: str = "",
    organisers: Iterable[Organization] = (),
    **fields: Any,
) -> Campaign:
    title = (title or "").strip()
    if not title:
        raise ValueError("title: a campaign needs a title")
    slug = slug or slugify(title)[:80]
    if slug in RESERVED_SLUGS:
        raise ValueError(f"slug: {slug!r} is reserved for a page of its own")
    if Campaign.objects.filter(slug=slug).exists():
        raise ValueError(f"slug: {slug!r} is taken by another campaign")
    campaign = Campaign.objects.create(slug=slug, title=title, **fields)
    campaign.organisers.set(list(organisers))
    audit.append(actor, "create_campaign", campaign, None, {"slug": slug, "title": title, **fields})
    return campaign


@transaction.atomic
def add_demand(actor: Any, campaign: Campaign, text: str, scope_date: dt.date, **fields: Any) -> Demand:
    if not (text or "").strip():
        raise ValueError("text: a demand needs its wording")
    kind = fields.get("scope_kind", Demand.ScopeKind.SNAPSHOT)
    if kind not in Demand.ScopeKind.values:
        raise ValueError(f"scope_kind: {kind!r} is not one of {', '.join(Demand.ScopeKind.values)}")
    demand = Demand.objects.create(campaign=campaign, text=text.strip(), scope_date=scope_date, **fields)
    audit.append(
        actor, "add_demand", demand, None, {"campaign": campaign.slug, "scope_date": scope_date, **fields}
    )
    return demand


def corridor_scenario_ids(path: Path = CORRIDORS_FILE) -> list[str]:
    """Scenario ids of the freight model, read straight from its YAML so campaigns need not import the solver."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return []
    return [str(item.get("id")) for item in data.get("scenarios") or [] if isinstance(item, dict)]


@transaction.atomic
def add_measure(
    actor: Any,
    campaign: Campaign,
    kind: str,
    actor_name: str,
    *,
    sources: Iterable[Source] = (),
    actors: Iterable[Organization] = (),
    **fields: Any,
) -> Measure:
    if kind not in Measure.Kind.values:
        raise ValueError(f"kind: {kind!r} is not one of {', '.join(Measure.Kind.values)}")
    scenario = fields.get("corridor_scenario", "")
    known = corridor_scenario_ids()
    if scenario and known and scenario not in known:
        raise ValueError(f"corridor_scenario: {scenario!r} is not a scenario in {CORRIDORS_FILE.name}")
    measure = Measure.objects.create(campaign=campaign, kind=kind, actor=actor_name, **fields)
    measure.sources.set(list(sources))
    measure.actors.set(list(actors))
    audit.append(actor, "add_measure", measure, None, {"campaign": campaign.slug, "kind": kind, **fields})
    return measure


@transaction.atomic
def add_supporter(actor: Any, campaign: Campaign, **fields: Any) -> Supporter:
    if not fields.get("organization") and not (fields.get("name") or "").strip():
        raise ValueError("name: a supporter needs an organisation or a name")
    supporter = Supporter.objects.create(campaign=campaign, **fields)
    audit.append(actor, "add_supporter", supporter, None, {"campaign": campaign.slug, "name": str(supporter)})
    return supporter


@transaction.atomic
def add_campaign_event(
    actor: Any,
    campaign: Campaign,
    date: dt.date,
    title: str,
    *,
    sources: Iterable[Source] = (),
    **fields: Any,
) -> CampaignEvent:
    if not (title or "").strip():
        raise ValueError("title: a timeline entry needs a title")
    entry = CampaignEvent.objects.create(campaign=campaign, date=date, title=title.strip(), **fields)
    entry.sources.set(list(sources))
    audit.append(
        actor, "add_campaign_event", entry, None, {"campaign": campaign.slug, "date": date, "title": title}
    )
    return entry


@transaction.atomic
def link_precedent(actor: Any, campaign: Campaign, precedent: Precedent) -> None:
    precedent.campaigns.add(campaign)
    audit.append(
        actor, "link_precedent", precedent, None, {"campaign": campaign.slug, "precedent": precedent.code}
    )


_NUMBER = re.compile(r"(\d[\d,]*)")


def _precedent_fields(row: dict[str, str], line: int) -> dict[str, Any]:
    def date(column: str, required: bool) -> tuple[dt.date | None, str]:
        text = (row.get(column) or "").strip()
        if not text:
            if required:
                raise ValueError(f"line {line}, field {column}: empty")
            return None, ""
        try:
            partial = PartialDate.parse(text)
        except ValueError as exc:
            raise ValueError(f"line {line}, field {column}: {exc}") from None
        return (partial.value if partial else None), text

    start, start_text = date("date", True)
    end, _ = date("end_date", False)
    number_text = (row.get("number_released") or "").strip()
    match = _NUMBER.search(number_text)
    confidence = (row.get("confidence") or "").strip().lower()
    if confidence not in Precedent.Confidence.values:
        raise ValueError(f"line {line}, field confidence: {confidence!r} is not high, medium or low")
    code = (row.get("id") or "").strip()
    if not code:
        raise ValueError(f"line {line}, field id: empty")
    return {
        "code": code,
        "country": row["country"].strip(),
        "date": start,
        "date_text": start_text,
        "end_date": end,
        "date_precision": row["date_precision"].strip(),
        "event": row["event"].strip(),
        "number_released": int(match.group(1).replace(",", "")) if match else None,
        "number_text": number_text,
        "political_subset": row["political_subset_or_notes_on_number"].strip(),
        "kind": row["kind"].strip(),
        "counterparty": row["counterparty_or_mediator"].strip(),
        "pressure": row["what_was_exchanged_or_pressure"].strip(),
        "pressure_category": row["pressure_category"].strip(),
        "conditions": row["conditions_on_release"].strip(),
        "sources": row["sources"].strip(),
        "confidence": confidence,
        "caveats": row["caveats"].strip(),
    }


@transaction.atomic
def load_precedents(actor: Any, path: Path = PRECEDENTS_FILE) -> dict[str, int]:
    """Create or update one Precedent per row (by `id`); idempotent: a second load changes nothing.

    Rows are never deleted when they leave the file: campaigns may cite them; staff retire them in the admin.
    """
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = set(PRECEDENT_COLUMNS) - set(reader.fieldnames or [])
        if missing:
            raise ValueError(f"{path.name} line 1: missing columns {', '.join(sorted(missing))}")
        parsed = [_precedent_fields(row, number) for number, row in enumerate(reader, start=2)]
    seen: set[str] = set()
    stats = {"created": 0, "updated": 0, "unchanged": 0}
    existing = {p.code: p for p in Precedent.objects.all()}
    for number, fields in enumerate(parsed, start=2):
        code = fields["code"]
        if code in seen:
            raise ValueError(f"line {number}, field id: {code!r} appears twice")
        seen.add(code)
        current = existing.get(code)
        if current is None:
            precedent = Precedent.objects.create(**fields)
            audit.append(actor, "load_precedent", precedent, None, fields)
            stats["created"] += 1
            continue
        before = _values(current, fields)
        if before == fields:
            stats["unchanged"] += 1
            continue
        for name, value in fields.items():
            setattr(current, name, value)
        current.save()
        audit.append(actor, "load_precedent", current, before, fields)
        stats["updated"] += 1
    return stats
