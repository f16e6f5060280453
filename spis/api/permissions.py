"""Permissions of /api/v1. The API is read-only and public: what a caller sees is decided by
access.policy inside each view (anonymous callers see public records, with birth years only), not by
refusing requests. /match reads too (it writes nothing), so it is public as well, under its own throttle."""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import SAFE_METHODS, BasePermission


class ReadOnlyOrMatch(BasePermission):
    """Safe methods everywhere; POST only on views that declare `allows_post = True` (/match)."""

    def has_permission(self, request: Any, view: Any) -> bool:
        return request.method in SAFE_METHODS or bool(getattr(view, "allows_post", False))
