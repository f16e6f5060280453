from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from .roles import EDITOR, at_least

# Areas where editors and admins work; reading the public site needs no second factor.
STAFF_PREFIXES = ("/admin/", "/intake/", "/outreach/staff/")


class RequireTwoFactorMiddleware:
    """Editors and admins must have passed TOTP verification (django-otp) before any staff page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            settings.SPIS_REQUIRE_2FA
            and user is not None
            and user.is_authenticated
            and request.path.startswith(STAFF_PREFIXES)
            and not request.path.startswith(("/admin/login/", "/admin/logout/"))
            and at_least(user, EDITOR)
            and not user.is_verified()
        ):
            return redirect(f"{reverse('access-two-factor')}?next={request.get_full_path()}")
        return self.get_response(request)
