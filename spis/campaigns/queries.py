"""Reads of campaigns that a user sees. Public campaigns are for everyone; drafts (is_public=False) for editors.

Person data inside a campaign (the still-held list) is read through access.policy in compliance._named.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from spis.access import policy

from .models import Campaign


def campaigns_for(user: Any) -> QuerySet[Campaign]:
    qs = Campaign.objects.all()
    return qs if policy.may_write(user) else qs.filter(is_public=True)


def get_campaign_for(user: Any, slug: str) -> Campaign:
    """The campaign if the user may see it; 404 otherwise (a draft's existence is not revealed)."""
    campaign = campaigns_for(user).filter(slug=slug).first()
    if campaign is None:
        raise Http404("No such campaign")
    return campaign
