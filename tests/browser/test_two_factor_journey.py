"""A clinician sets up her authenticator at her first log-in where two-factor is required."""

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.browser.conftest import check_accessibility, log_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_first_log_in_sets_up_the_authenticator(page, people, settings):
    settings.STAFF_2FA_REQUIRED = True
    log_in(page, "nora", PASSWORD)
    page.get_by_role("heading", name="Set up your authenticator").wait_for()
    assert page.get_by_role("img", name="QR code").is_visible()
    check_accessibility(page)
    device = TOTPDevice.objects.get(user=people.nora)
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    page.get_by_label("6-digit code from your authenticator app").fill(code)
    page.get_by_role("button", name="Confirm and continue").click()
    page.get_by_role("heading", name="Patients of North Clinic").wait_for()
