"""One campaign as data: its demands measured against the registry, measures, supporters, timeline and
precedents. The pages and the API render this same structure, so a figure on a page matches the API."""

from __future__ import annotations

import datetime as dt
from typing import Any

from spis.access import policy

from .compliance import compliance
from .models import Campaign
from .precedents import precedent_rows, sentence


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def campaign_summary(campaign: Campaign) -> dict[str, Any]:
    return {
        "slug": campaign.slug,
        "title": campaign.title,
        "description": campaign.description,
        "targets": campaign.target_list,
        "organisers": [o.name for o in campaign.organisers.all()],
        "start_date": _date(campaign.start_date),
        "end_date": _date(campaign.end_date),
        "is_public": campaign.is_public,
        "is_synthetic": campaign.is_synthetic,
    }


def campaign_report(
    campaign: Campaign, as_of: dt.date, known_on: dt.date | None = None, user: Any = None
) -> dict[str, Any]:
    demands = []
    for demand in campaign.demands.all():
        entry: dict[str, Any] = {
            "id": demand.pk,
            "text": demand.text,
            "scope_kind": demand.scope_kind,
            "scope_date": _date(demand.scope_date),
            "deadline": _date(demand.deadline),
            "without_exception": demand.without_exception,
            "compliance": None,
        }
        if as_of >= demand.scope_date:
            entry["compliance"] = compliance(demand, as_of, known_on, user).as_dict()
        demands.append(entry)
    codes = list(campaign.precedents.values_list("code", flat=True))
    precedents = [row | {"sentence": sentence(row)} for row in precedent_rows({"codes": codes})]
    visible_sources = policy.sources(user)
    return {
        **campaign_summary(campaign),
        "as_of": as_of.isoformat(),
        "known_on": _date(known_on),
        "demands": demands,
        "measures": [
            {
                "kind": m.kind,
                "kind_display": m.get_kind_display(),
                "actor": m.actor,
                "status": m.status,
                "status_display": m.get_status_display(),
                "description": m.description,
                "start_date": _date(m.start_date),
                "end_date": _date(m.end_date),
                "corridor_scenario": m.corridor_scenario,
                "sources": [s.url or s.title for s in visible_sources.filter(campaign_measures=m)],
            }
            for m in campaign.measures.all()
        ],
        "supporters": [
            {
                "name": str(s),
                "kind": s.kind,
                "kind_display": s.get_kind_display(),
                "stance": s.stance,
                "stance_display": s.get_stance_display(),
                "date": _date(s.date),
                "source": (s.source.url or s.source.title)
                if s.source_id and visible_sources.filter(pk=s.source_id).exists()
                else None,
            }
            for s in campaign.supporters.select_related("organization", "source")
        ],
        "timeline": [
            {"date": _date(e.date), "title": e.title, "description": e.description}
            for e in campaign.events.all()
        ],
        "precedents": precedents,
    }
