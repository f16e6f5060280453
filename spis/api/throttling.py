"""Rate limits. Anonymous reads use DRF's AnonRateThrottle (SPIS_API_ANON_RATE); /match costs a search per
query (up to 100 per request), so it has its own, stricter budget for everyone, signed in or not."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle


class MatchRateThrottle(SimpleRateThrottle):
    scope = "match"
    # Used when settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] has no "match" entry.
    default_rate = "30/minute"

    def get_rate(self) -> str:
        rates = settings.REST_FRAMEWORK.get("DEFAULT_THROTTLE_RATES", {})
        return str(rates.get(self.scope) or self.default_rate)

    def get_cache_key(self, request: Any, view: Any) -> str:
        user = request.user
        ident = f"user-{user.pk}" if user and user.is_authenticated else self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}
