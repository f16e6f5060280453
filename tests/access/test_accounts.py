"""Accounts: argon2, two-factor for editors and admins, lockout, and a clean deploy check."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.hashers import identify_hasher
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


def test_passwords_are_hashed_with_argon2(users):
    assert identify_hasher(users["editor"].password).algorithm == "argon2"


@pytest.mark.parametrize("role", ["editor", "admin"])
def test_editors_and_admins_must_pass_two_factor_before_the_admin(client, users, role):
    client.force_login(users[role])
    for path in ["/admin/", "/intake/", "/"]:
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith("/account/two-factor/"), path


def test_two_factor_setup_then_verify_opens_the_admin(client, users, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # the real delay after a wrong code is tested by django-otp
    client.force_login(users["admin"])
    page = client.get("/account/two-factor/?next=/admin/")
    assert page.status_code == 200 and b"<svg" in page.content
    device = TOTPDevice.objects.get(user=users["admin"])
    wrong = client.post("/account/two-factor/", {"token": "000000", "next": "/admin/"})
    assert wrong.status_code == 200 and b"not valid" in wrong.content
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    done = client.post("/account/two-factor/", {"token": code, "next": "/admin/"})
    assert done.status_code == 302 and done["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed


def test_two_factor_refuses_an_offsite_next(client, users):
    client.force_login(users["admin"])
    device = TOTPDevice.objects.create(user=users["admin"], name="x", confirmed=True)
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    done = client.post("/account/two-factor/", {"token": code, "next": "https://evil.example/"})
    assert done["Location"] == "/admin/"


def test_volunteers_and_researchers_need_no_second_factor_for_the_site(client, users):
    client.force_login(users["researcher"])
    assert client.get("/").status_code == 200


def test_verified_staff_reach_the_admin(verified_client, users):
    assert verified_client(users["editor"]).get("/admin/").status_code == 200


def test_repeated_failed_logins_lock_the_account(client, users, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/account/login/", {"username": "editor", "password": "wrong"}, REMOTE_ADDR="10.0.0.1")
    locked = client.post(
        "/account/login/", {"username": "editor", "password": "correct-horse-battery"}, REMOTE_ADDR="10.0.0.1"
    )
    assert locked.status_code in {403, 429}


def test_deploy_check_is_clean_with_production_settings():
    env = {
        **os.environ,
        "SPIS_PRODUCTION": "1",
        "SPIS_SECRET_KEY": "x" * 64 + "-a-long-random-production-key",
        "SPIS_ALLOWED_HOSTS": "spis.example.org",
        "DATABASE_URL": "sqlite:////tmp/spis-deploy-check.sqlite3",
    }
    result = subprocess.run(
        [sys.executable, "-m", "spis.cli", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_security_headers_on_public_pages(client):
    response = client.get("/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
