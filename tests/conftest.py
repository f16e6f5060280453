import pytest
from django.contrib.auth.models import Group, User

from spis.access.roles import GROUPS


@pytest.fixture
def users(db):
    """One user per role (fixed test passwords)."""
    made = {"anonymous": None}
    for role in GROUPS:
        group, _ = Group.objects.get_or_create(name=role)
        user = User.objects.create_user(
            role, f"{role}@example.org", "correct-horse-battery", is_staff=role in {"editor", "admin"}
        )
        user.groups.add(group)
        made[role] = user
    made["admin"].is_superuser = True
    made["admin"].save()
    return made


@pytest.fixture
def editor(users):
    return users["editor"]
