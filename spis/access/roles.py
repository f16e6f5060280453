"""Roles, from least to most trusted. A user's role is the highest group they belong to (superusers: admin)."""

from __future__ import annotations

from typing import Any

ANONYMOUS, VOLUNTEER, RESEARCHER, EDITOR, ADMIN = "anonymous", "volunteer", "researcher", "editor", "admin"
ORDER = [ANONYMOUS, VOLUNTEER, RESEARCHER, EDITOR, ADMIN]
GROUPS = [VOLUNTEER, RESEARCHER, EDITOR, ADMIN]


def role_of(user: Any) -> str:
    """Superusers are admins; otherwise the highest role group; any other signed-in user is a volunteer."""
    if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return ANONYMOUS
    if user.is_superuser:
        return ADMIN
    cached = getattr(user, "_spis_role", None)
    if cached:
        return str(cached)
    names = set(user.groups.values_list("name", flat=True))
    role = next((r for r in reversed(GROUPS) if r in names), VOLUNTEER)
    user._spis_role = role
    return role


def at_least(user: Any, role: str) -> bool:
    return ORDER.index(role_of(user)) >= ORDER.index(role)
