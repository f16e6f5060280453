from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from .roles import EDITOR, at_least

# An editor's or admin's session can write and see restricted data anywhere, so it must pass the second
# factor before any page; only signing in, the two-factor page itself and static files come before that.
EXEMPT_PREFIXES = ("/account/", "/static/", "/i18n/", "/admin/login/", "/admin/logout/")


class RequireTwoFactorMiddleware:
    """Editors and admins must have passed TOTP verification (django-otp) before any page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            settings.SPIS_REQUIRE_2FA
            and user is not None
            and user.is_authenticated
            and not request.path.startswith(EXEMPT_PREFIXES)
            and at_least(user, EDITOR)
            and not user.is_verified()
        ):
            return redirect(f"{reverse('access-two-factor')}?next={request.get_full_path()}")
        return self.get_response(request)
