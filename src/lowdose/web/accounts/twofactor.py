"""Two-factor log-in for staff: a TOTP code from an authenticator app after the password.

Patients log in with a password alone. Staff (clinicians, pharmacists, researchers,
administrators) see every page of the clinic, so where ``STAFF_2FA_REQUIRED`` is on, a staff
session that has not confirmed a code is sent to set up or enter one before anything else.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Callable
from urllib.parse import quote

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

#: Paths a staff member may reach before confirming a code.
OPEN_PREFIXES = ("/2fa/", "/logout/", "/static/", "/healthz", "/api/")


def is_staff_role(user) -> bool:
    return user.is_authenticated and user.role != "patient"


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def verify_code(user, code: str) -> TOTPDevice | None:
    """The user's confirmed device if ``code`` is valid for it now (each code works once)."""
    device = confirmed_device(user)
    if device is not None and code and device.verify_token(code.replace(" ", "")):
        return device
    return None


def staff_two_factor(get_response: Callable[[HttpRequest], HttpResponse]):
    """Middleware: staff without a confirmed code this session go to the two-factor page."""

    def middleware(request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            settings.STAFF_2FA_REQUIRED
            and is_staff_role(user)
            and not user.is_verified()
            and not request.path.startswith(OPEN_PREFIXES)
        ):
            return redirect(f"{reverse('two_factor')}?next={quote(request.get_full_path())}")
        return get_response(request)

    return middleware


class CodeForm(forms.Form):
    code = forms.CharField(
        label="6-digit code from your authenticator app",
        max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    """Enter a code; or, the first time, set up the authenticator and confirm one code."""
    if not is_staff_role(request.user):
        return redirect("home")
    device = confirmed_device(request.user)
    setting_up = device is None
    if setting_up:
        device = _unconfirmed_device(request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"].replace(" ", "")):
            if setting_up:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
            otp_login(request, device)
            return redirect(_next(request))
        form.add_error("code", "That code is not right or has expired; enter the current one.")
    context = {"form": form, "setting_up": setting_up, "next": _next(request)}
    if setting_up:
        context.update(secret=_base32(device), qr=_qr_data_uri(device.config_url))
    return render(request, "accounts/two_factor.html", context)


def _unconfirmed_device(user) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or reverse("home")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("home")


def _base32(device: TOTPDevice) -> str:
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _qr_data_uri(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()
