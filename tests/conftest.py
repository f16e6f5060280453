import pytest
from django.contrib.auth.models import Group, User

from spis.access.roles import GROUPS


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with empty caches: API throttle counters, memoised statistics and pages live there."""
    from django.core.cache import caches

    for cache in caches.all(initialized_only=True):
        cache.clear()
    yield
    for cache in caches.all(initialized_only=True):
        cache.clear()


@pytest.fixture(autouse=True)
def _own_open_data_dir(settings, tmp_path):
    """The open-data files of one test's database never serve another's (spis/intake/published.py)."""
    settings.OPEN_DATA_DIR = tmp_path / "open-data"


@pytest.fixture(autouse=True)
def _site_language():
    """Each test starts in the site's language: a page request leaves its language active in the thread
    (LocaleMiddleware does not undo it), and a later test would read messages in it."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


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


def login_verified(client, user):
    """Log a staff user in with a confirmed TOTP device, as after a real two-factor check."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="test", confirmed=True
    )
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def verified_client(client):
    """`verified_client(user)` → a test client logged in as `user` with two-factor passed."""

    def make(user):
        return login_verified(client, user)

    return make


def change_form_data(response):
    """An admin change form as the page filled it in: the main form and every inline formset."""
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        forms += [formset.management_form, *formset.forms]
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            key = form.add_prefix(name)
            data[key] = [str(v) for v in value] if isinstance(value, list | tuple) else str(value)
    return data
