"""Staff confirm their log-in with a TOTP code where two-factor is required; patients do not."""

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import PASSWORD


@pytest.fixture
def required(settings):
    settings.STAFF_2FA_REQUIRED = True


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def _device(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def test_a_clinician_is_sent_to_set_up_her_authenticator(client, people, required):
    client.post("/login/", {"username": "nora", "password": PASSWORD})
    response = client.get(f"/patients/{people.anna.pk}/")
    assert response.status_code == 302
    assert response.url.startswith("/2fa/?next=/patients/")
    page = client.get(response.url).content.decode()
    assert "Set up your authenticator" in page
    assert "data:image/svg+xml;base64," in page  # the QR code


def test_setting_up_confirms_the_device_and_opens_the_page_asked_for(client, people, required):
    client.post("/login/", {"username": "nora", "password": PASSWORD})
    client.get("/2fa/")
    device = TOTPDevice.objects.get(user=people.nora)
    assert device.confirmed is False
    response = client.post("/2fa/", {"code": _code(device), "next": "/dashboard/"})
    assert response.status_code == 302
    assert response.url == "/dashboard/"
    device.refresh_from_db()
    assert device.confirmed is True
    assert client.get("/dashboard/").status_code == 200


def test_a_wrong_code_is_refused(client, people, required):
    device = _device(people.nora)
    client.post("/login/", {"username": "nora", "password": PASSWORD})
    wrong = "000000" if _code(device) != "000000" else "111111"
    response = client.post("/2fa/", {"code": wrong})
    assert response.status_code == 200
    assert "not right or has expired" in response.content.decode()
    assert client.get("/dashboard/").status_code == 302


def test_an_offsite_next_is_ignored(client, people, required):
    device = _device(people.nora)
    client.post("/login/", {"username": "nora", "password": PASSWORD})
    response = client.post("/2fa/", {"code": _code(device), "next": "https://evil.example/"})
    assert response.url == "/"


def test_patients_need_no_second_step(client, people, required):
    client.post("/login/", {"username": "anna", "password": PASSWORD})
    assert client.get("/me/").status_code == 200


def test_without_the_requirement_staff_log_in_with_a_password(client, people, settings):
    settings.STAFF_2FA_REQUIRED = False
    client.post("/login/", {"username": "nora", "password": PASSWORD})
    assert client.get("/dashboard/").status_code == 200


def test_staff_api_tokens_need_a_code(client, people, required):
    device = _device(people.nora)
    body = {"username": "nora", "password": PASSWORD}
    refused = client.post("/api/auth/token", body, content_type="application/json")
    assert refused.status_code == 401
    assert refused.json()["field"] == "otp"
    body["otp"] = _code(device)
    assert client.post("/api/auth/token", body, content_type="application/json").status_code == 200


def test_a_patients_api_token_needs_no_code(client, people, required):
    body = {"username": "anna", "password": PASSWORD}
    assert client.post("/api/auth/token", body, content_type="application/json").status_code == 200


@pytest.mark.parametrize(
    ("env", "public_url", "expected"),
    [
        ("", "", False),
        ("required", "", True),
        ("optional", "", False),
        ("", "https://x", True),
        ("required", "https://x", True),
    ],
)
def test_when_two_factor_is_required(monkeypatch, env, public_url, expected):
    from lowdose.web.settings import staff_two_factor_required

    monkeypatch.setenv("LOWDOSE_STAFF_2FA", env)
    assert staff_two_factor_required(public_url) is expected


@pytest.mark.parametrize(("env", "public_url"), [("optional", "https://x"), ("maybe", "")])
def test_contradictory_settings_are_refused(monkeypatch, env, public_url):
    from django.core.exceptions import ImproperlyConfigured

    from lowdose.web.settings import staff_two_factor_required

    monkeypatch.setenv("LOWDOSE_STAFF_2FA", env)
    with pytest.raises(ImproperlyConfigured):
        staff_two_factor_required(public_url)
