import re

import pytest
from django.core import mail
from django.core.cache import cache
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from familybridge.agencies.models import User
from familybridge.agencies.roles import Role
from tests.browser.conftest import assert_accessible, sign_in
from tests.conftest import PASSWORD, totp_now

pytestmark = pytest.mark.browser

NEW_PASSWORD = "a-brand-new-passphrase-77"


def test_a_caseworker_changes_her_password(page, agencies, make_user):
    make_user("worker", agencies["cw"], Role.CASEWORKER)
    sign_in(page, "worker", PASSWORD)
    page.get_by_role("link", name="Change password").click()
    expect(page.get_by_role("heading", name="Change your password")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Current password").fill("not-my-password")
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("New password again").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_text("That is not your current password. Type it again.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Current password").fill(PASSWORD)
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("New password again").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_text("Your password is changed. You are signed out everywhere else.")).to_be_visible()
    assert User.objects.get(username="worker").check_password(NEW_PASSWORD)


def test_a_counselor_resets_a_forgotten_password_with_her_authenticator(page, agencies, make_user, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    cache.clear()  # the reset throttle counts in the cache
    counselor = make_user("counselor", agencies["sud"], Role.COUNSELOR)
    counselor.email = "counselor@hope.example"
    counselor.save()
    device = TOTPDevice.objects.create(user=counselor, name="phone", confirmed=True)

    page.goto("/login/")
    page.get_by_role("link", name="Forgot your password?").click()
    expect(page.get_by_role("heading", name="Forgot your password?")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Your work email address").fill("counselor@hope.example")
    page.get_by_role("button", name="Send the reset link").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    assert_accessible(page)

    (email,) = mail.outbox
    assert email.to == ["counselor@hope.example"]
    link = re.search(r"https?://\S+/password-reset/\S+/", email.body).group(0)
    page.goto(link)
    expect(page.get_by_role("heading", name="Confirm it is you")).to_be_visible()
    assert "/set-password/" in page.url  # the token left the address bar
    assert_accessible(page)
    page.get_by_label("Six-digit code from your authenticator app").fill("000000")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("That code is not right, or has expired.")).to_be_visible()
    page.get_by_label("Six-digit code from your authenticator app").fill(totp_now(device))
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", name="Choose a new password")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("New password", exact=True).fill("counselor")
    page.get_by_label("New password again").fill("counselor")
    page.get_by_role("button", name="Save the new password").click()
    expect(page.get_by_text("This password is too short.")).to_be_visible()
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("New password again").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Save the new password").click()
    expect(page.get_by_role("heading", name="Your password is changed")).to_be_visible()
    assert_accessible(page)

    page.goto(link)
    expect(page.get_by_role("heading", name="This link does not work")).to_be_visible()
    sign_in(page, "counselor", NEW_PASSWORD)
    expect(page.get_by_role("link", name="Change password")).to_be_visible()
