"""Sign-in and TOTP two-factor set-up and verification (django-otp)."""

from io import BytesIO

import qrcode
import qrcode.image.svg
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from spis.registry import audit


class LoginView(auth_views.LoginView):
    template_name = "access/login.html"
    redirect_authenticated_user = True


def _qr_svg(uri: str) -> str:
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode("utf-8").split("?>", 1)[-1]


@login_required
def two_factor(request):
    """Set up a TOTP device on first use, then verify a code; the session is OTP-verified afterwards."""
    next_url = request.POST.get("next") or request.GET.get("next") or "/admin/"
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, require_https=request.is_secure()):
        next_url = "/admin/"
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    setup = device is None
    if setup:
        device = TOTPDevice.objects.filter(
            user=request.user, confirmed=False
        ).first() or TOTPDevice.objects.create(user=request.user, name="authenticator", confirmed=False)
    error = ""
    if request.method == "POST":
        token = "".join(ch for ch in request.POST.get("token", "") if ch.isdigit())
        if token and device.verify_token(token):
            if setup:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                audit.append(
                    request.user, "confirm_totp_device", device, None, {"user": request.user.get_username()}
                )
            otp_login(request, device)
            return redirect(next_url)
        error = _("That code is not valid. Check the time on your phone and try again.")
    context = {"setup": setup, "error": error, "next": next_url}
    if setup:
        context["qr_svg"] = _qr_svg(device.config_url)
        context["secret"] = device.config_url.split("secret=")[1].split("&")[0]
    return render(request, "access/two_factor.html", context)
