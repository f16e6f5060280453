"""The SYNTHETIC demo campaign: the March 2023 letter's demand, measures and precedents, measured on the demo list.

`seed_demo_campaign()` is what `spis campaign seed` and `spis demo` call; it is idempotent (a second call
returns the existing campaign).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from . import actions
from .models import Campaign, Measure, Precedent, Supporter

SLUG = "demo-march-2023-letter"
SCOPE_DATE = dt.date(2023, 3, 16)
PRECEDENT_CODES = ["NIC-2023-02", "IRN-2023-03"]
DEMO_MARK = "SYNTHETIC DEMO CAMPAIGN: a reconstruction for demonstration, measured against the demo registry."


@transaction.atomic
def seed_demo_campaign(actor: Any = "system:demo") -> Campaign:
    from .corridors_actions import ensure_default_corridor_model

    # The freight model the demo's border-closure measure points at, as a staff-editable copy.
    ensure_default_corridor_model()
    existing = Campaign.objects.filter(slug=SLUG).first()
    if existing is not None:
        return existing
    if not Precedent.objects.filter(code__in=PRECEDENT_CODES).exists():
        actions.load_precedents(actor)
    campaign = actions.create_campaign(
        actor,
        "Release all political prisoners, without exception (March 2023 letter, demo)",
        slug=SLUG,
        description=(
            f"{DEMO_MARK}\n\nAn open letter of 16 March 2023 asked for the release of every political prisoner "
            "held in Belarus on that day, without exception, backed by a collective ultimatum of the EU, the "
            "US and the UK, the closure of the EU–Belarus border to freight trains, and a stop by trade "
            "unions to the transit of goods."
        ),
        targets="Government of Belarus\nEmbassies of Belarus in the EU, the US and the UK",
        start_date=SCOPE_DATE,
        is_public=True,
        is_synthetic=True,
    )
    actions.add_demand(
        actor,
        campaign,
        "Release all political prisoners held on 16 March 2023, without exception.",
        SCOPE_DATE,
        without_exception=True,
    )
    actions.add_measure(
        actor,
        campaign,
        Measure.Kind.ULTIMATUM,
        "European Union, United States, United Kingdom",
        description="A collective ultimatum: release everyone on the list, or face the measures below.",
        status=Measure.Status.PROPOSED,
        start_date=SCOPE_DATE,
    )
    actions.add_measure(
        actor,
        campaign,
        Measure.Kind.BORDER_CLOSURE,
        "European Union (Poland, Lithuania)",
        description="Close every EU–Belarus rail crossing to freight trains until the demand is met.",
        status=Measure.Status.PROPOSED,
        start_date=SCOPE_DATE,
        corridor_scenario="eu_by_all_rail_closed",
    )
    actions.add_measure(
        actor,
        campaign,
        Measure.Kind.TRANSIT_STOP,
        "Transport workers' trade unions",
        description="Trade unions stop handling goods in transit to and from Belarus.",
        status=Measure.Status.PROPOSED,
        start_date=SCOPE_DATE,
    )
    actions.add_supporter(
        actor,
        campaign,
        name="Demo transport workers' union (synthetic)",
        kind=Supporter.Kind.TRADE_UNION,
        stance=Supporter.Stance.ENDORSES,
        date=SCOPE_DATE,
    )
    actions.add_campaign_event(
        actor, campaign, SCOPE_DATE, "Open letter published (demo reconstruction)", description=DEMO_MARK
    )
    for precedent in Precedent.objects.filter(code__in=PRECEDENT_CODES):
        actions.link_precedent(actor, campaign, precedent)
    return campaign
