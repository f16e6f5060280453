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


class StandIn:
    """A signed-in user of one role and no database row, for code that asks the policy on behalf of everyone
    holding that role (access.changes digests what researchers may see)."""

    is_authenticated = True
    is_active = True
    is_superuser = False
    pk = None

    def __init__(self, role: str) -> None:
        self._spis_role = role  # what role_of reads before asking the groups


def at_least(user: Any, role: str) -> bool:
    return ORDER.index(role_of(user)) >= ORDER.index(role)


# Apps whose records staff edit in the admin. Nobody gets delete permissions on them: corrections supersede,
# merges link, and history is never removed.
EDITED_APPS = ["registry", "campaigns", "outreach", "intake"]
# Who may see a sealed person is an admin's decision (DESIGN.md, "Confidentiality"): an editor who could add a
# grant could grant themselves anyone. Only admins get permissions on grants, even to view them.
ADMIN_ONLY_MODELS = [("registry", "grantedperson")]


def ensure_groups(**kwargs: Any) -> None:
    """Create the role groups with their admin permissions (runs after every migrate, so a change here
    reaches an existing database with the next `spis migrate`: each group's permissions are set, not added)."""
    from django.contrib.auth.models import Group, Permission
    from django.db.models import Q

    admin_only = Q()
    for app_label, model in ADMIN_ONLY_MODELS:
        admin_only |= Q(content_type__app_label=app_label, content_type__model=model)
    staff = Permission.objects.filter(content_type__app_label__in=EDITED_APPS)
    editable = staff.exclude(codename__startswith="delete_").exclude(admin_only)
    readable = editable.filter(codename__startswith="view_")
    people = Permission.objects.filter(content_type__app_label="auth")
    granting = staff.filter(admin_only).exclude(codename__startswith="delete_")
    grants = {
        VOLUNTEER: Permission.objects.none(),
        RESEARCHER: readable,
        EDITOR: editable,
        ADMIN: editable | granting | people,
    }
    for name, permissions in grants.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(permissions)
