"""Changing one's own password, and resetting a forgotten one by email with the second factor checked again."""

import re
from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from familybridge.agencies.models import User
from familybridge.agencies.roles import Role
from familybridge.audit.models import AuditEvent
from familybridge.web import throttle
from familybridge.web.logs import redact_tokens
from tests.conftest import PASSWORD, sign_in, totp_now

NEW_PASSWORD = "a-brand-new-passphrase-77"
RESET_LINK = re.compile(r"https?://[^/\s]+(/password-reset/[^/\s]+/[^/\s]+/)")


@pytest.fixture(autouse=True)
def fresh_throttle():
    """The reset throttle counts in Django's cache, which outlives a test."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def worker(agencies, make_user) -> User:
    user = make_user("worker", agencies["cw"], Role.CASEWORKER)
    user.email = "worker@county.example"
    user.save()
    return user


@pytest.fixture
def device(worker) -> TOTPDevice:
    return TOTPDevice.objects.create(user=worker, name="phone", confirmed=True)


def audit_actions(user: User | None = None) -> list[str]:
    events = AuditEvent.objects.filter(action__startswith="password")
    if user is not None:
        events = events.filter(object_type="agencies.user", object_id=str(user.pk))
    return list(events.values_list("action", flat=True))


def change_password(client: Client, current: str, new: str, again: str | None = None):
    return client.post(
        reverse("web:password-change"),
        {"old_password": current, "new_password1": new, "new_password2": new if again is None else again},
    )


# --- Changing one's own password -----------------------------------------------------------------------------------


def test_the_change_password_page_is_in_every_signed_in_navigation(client, worker):
    sign_in(client, worker)
    page = client.get(reverse("web:home")).content.decode()
    assert f'href="{reverse("web:password-change")}"' in page


def test_a_changed_password_keeps_this_session_and_ends_the_others(client, worker):
    elsewhere = sign_in(Client(), worker)
    sign_in(client, worker)
    response = change_password(client, PASSWORD, NEW_PASSWORD)
    assert response.status_code == 302 and response.url == reverse("web:home")
    assert client.get(reverse("web:home")).status_code == 200
    gone = elsewhere.get(reverse("web:home"))
    assert gone.status_code == 302 and gone.url.startswith(reverse("web:login"))
    worker.refresh_from_db()
    assert worker.check_password(NEW_PASSWORD) and worker.password.startswith("argon2")
    assert "password_changed" in audit_actions(worker)


def test_the_audit_log_never_holds_the_password(client, worker):
    sign_in(client, worker)
    change_password(client, PASSWORD, NEW_PASSWORD)
    logged = str(list(AuditEvent.objects.values_list("details", flat=True)))
    assert NEW_PASSWORD not in logged and PASSWORD not in logged
    assert worker.__class__.objects.get(pk=worker.pk).password[:20] not in logged


def test_a_wrong_current_password_is_refused_next_to_the_field(client, worker):
    sign_in(client, worker)
    response = change_password(client, "not-my-password-at-all", NEW_PASSWORD)
    assert response.status_code == 200
    assert response.context["form"].errors["old_password"] == ["That is not your current password. Type it again."]
    assert 'id="id_old_password_error"' in response.content.decode()
    worker.refresh_from_db()
    assert worker.check_password(PASSWORD)
    assert "password_change_failed" in audit_actions(worker)


@pytest.mark.parametrize(
    ("new", "message"),
    [
        ("short-one", "This password is too short. It must contain at least 12 characters."),
        ("123456789012345", "This password is entirely numeric."),
        ("password1234", "This password is too common."),
    ],
)
def test_a_weak_new_password_is_refused_by_djangos_validators(client, worker, new, message):
    sign_in(client, worker)
    response = change_password(client, PASSWORD, new)
    assert message in response.context["form"].errors["new_password2"]
    worker.refresh_from_db()
    assert worker.check_password(PASSWORD)


def test_two_different_new_passwords_are_refused(client, worker):
    sign_in(client, worker)
    response = change_password(client, PASSWORD, NEW_PASSWORD, again=NEW_PASSWORD + "x")
    assert response.context["form"].errors["new_password2"] == [
        "The two new passwords are not the same. Type the new password twice."
    ]


def test_changing_a_password_needs_the_second_factor_first(client, worker):
    client.force_login(worker)
    response = change_password(client, PASSWORD, NEW_PASSWORD)
    assert response.status_code == 302 and response.url == reverse("web:otp-verify")
    worker.refresh_from_db()
    assert worker.check_password(PASSWORD)


# --- Resetting a forgotten password --------------------------------------------------------------------------------


def ask_for_reset(client: Client, email: str):
    return client.post(reverse("web:password-reset"), {"email": email})


def reset_link(message) -> str:
    return RESET_LINK.search(message.body).group(1)


def test_the_sign_in_page_offers_a_reset(client, db):
    assert f'href="{reverse("web:password-reset")}"' in client.get(reverse("web:login")).content.decode()


def test_an_unknown_address_gets_the_same_answer_and_no_email(client, worker, device):
    known = ask_for_reset(client, "worker@county.example")
    unknown = ask_for_reset(Client(), "nobody@county.example")
    assert known.status_code == unknown.status_code == 302
    assert known.url == unknown.url == reverse("web:password-reset-sent")
    assert [message.to for message in mail.outbox] == [["worker@county.example"]]
    assert audit_actions() == ["password_reset_requested", "password_reset_requested"]


def test_the_address_is_matched_whatever_its_case(client, worker, device):
    ask_for_reset(client, "Worker@County.Example")
    assert len(mail.outbox) == 1


def test_a_deactivated_account_gets_no_email(client, worker, device):
    worker.is_active = False
    worker.save()
    assert ask_for_reset(client, "worker@county.example").url == reverse("web:password-reset-sent")
    assert mail.outbox == []


def test_an_account_without_an_authenticator_is_told_to_ask_its_administrator(client, worker):
    ask_for_reset(client, "worker@county.example")
    (message,) = mail.outbox
    assert "Ask your agency administrator" in message.body
    assert "/password-reset/" not in message.body
    assert AuditEvent.objects.get(action="password_reset_requested").details == {"emailed": "ask your administrator"}


def test_the_reset_link_asks_for_the_one_time_code_before_the_new_password(client, worker, device):
    ask_for_reset(client, "worker@county.example")
    link = reset_link(mail.outbox[0])
    set_password = client.get(link, follow=True)
    assert set_password.redirect_chain[-1][0].endswith("/set-password/")
    assert "Confirm it is you" in set_password.content.decode()
    # The new password is not taken before the code.
    client.post(set_password.request["PATH_INFO"], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    worker.refresh_from_db()
    assert worker.check_password(PASSWORD)

    response = client.post(set_password.request["PATH_INFO"], {"token": totp_now(device)}, follow=True)
    assert "Choose a new password" in response.content.decode()
    response = client.post(
        set_password.request["PATH_INFO"], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert response.url == reverse("web:password-reset-complete")
    worker.refresh_from_db()
    assert worker.check_password(NEW_PASSWORD)
    assert "_auth_user_id" not in client.session  # the user signs in normally, second factor included
    assert audit_actions(worker) == [
        "password_reset_requested",
        "password_reset_failed",  # the password sent before the code
        "password_reset_second_factor_passed",
        "password_reset_completed",
    ]


def reset_to_the_password_step(client: Client, link: str, device: TOTPDevice) -> str:
    path = client.get(link).url
    client.post(path, {"token": totp_now(device)})
    return path


def test_the_link_works_once(client, worker, device):
    ask_for_reset(client, "worker@county.example")
    link = reset_link(mail.outbox[0])
    path = reset_to_the_password_step(client, link, device)
    client.post(path, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    again = Client().get(link)
    assert again.status_code == 200 and "This link does not work" in again.content.decode()
    assert "password_reset_failed" in audit_actions(worker)


def test_the_link_expires_after_an_hour(client, worker, device, monkeypatch):
    ask_for_reset(client, "worker@county.example")
    link = reset_link(mail.outbox[0])
    sent = datetime.now()  # Django's token clock is naive local time
    generator = "django.contrib.auth.tokens.PasswordResetTokenGenerator._now"
    monkeypatch.setattr(generator, lambda self: sent + timedelta(minutes=59))
    assert Client().get(link).status_code == 302
    monkeypatch.setattr(generator, lambda self: sent + timedelta(hours=1, minutes=1))
    assert "This link does not work" in client.get(link).content.decode()


def test_a_link_sent_before_deactivation_no_longer_works(client, worker, device):
    ask_for_reset(client, "worker@county.example")
    worker.is_active = False
    worker.save()
    assert "This link does not work" in client.get(reset_link(mail.outbox[0])).content.decode()


@pytest.mark.parametrize("code", ["000000", ""])
def test_a_wrong_or_missing_code_refuses_the_reset(client, worker, device, settings, code):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    ask_for_reset(client, "worker@county.example")
    path = client.get(reset_link(mail.outbox[0])).url
    response = client.post(path, {"token": code})
    assert response.status_code == 200 and "token" in response.context["form"].errors
    assert "Choose a new password" not in response.content.decode()
    client.post(path, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    worker.refresh_from_db()
    assert worker.check_password(PASSWORD)


def test_a_wrong_code_is_audited(client, worker, device, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    ask_for_reset(client, "worker@county.example")
    path = client.get(reset_link(mail.outbox[0])).url
    client.post(path, {"token": "000000"})
    failed = AuditEvent.objects.get(action="password_reset_failed")
    assert failed.details == {"reason": "wrong one-time code"} and failed.object_id == str(worker.pk)


def test_another_accounts_code_does_not_pass(client, worker, device, agencies, make_user):
    other = make_user("other", agencies["cw"], Role.CASEWORKER)
    other_device = TOTPDevice.objects.create(user=other, name="phone", confirmed=True)
    ask_for_reset(client, "worker@county.example")
    path = client.get(reset_link(mail.outbox[0])).url
    assert "token" in client.post(path, {"token": totp_now(other_device)}).context["form"].errors


def test_the_second_factor_passed_for_one_link_does_not_carry_to_another_account(client, worker, device, make_user):
    colleague = make_user("colleague", worker.agency, Role.CASEWORKER)
    colleague.email = "colleague@county.example"
    colleague.save()
    TOTPDevice.objects.create(user=colleague, name="phone", confirmed=True)
    ask_for_reset(client, "worker@county.example")
    ask_for_reset(client, "colleague@county.example")
    reset_to_the_password_step(client, reset_link(mail.outbox[0]), device)
    page = client.get(reset_link(mail.outbox[1]), follow=True)
    assert "Confirm it is you" in page.content.decode()


def test_a_link_without_an_authenticator_sends_the_user_to_the_administrator(client, worker, device):
    ask_for_reset(client, "worker@county.example")
    device.delete()  # removed after the email was sent
    page = client.get(reset_link(mail.outbox[0]), follow=True)
    assert "Ask your administrator" in page.content.decode()
    response = client.post(page.request["PATH_INFO"], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert "Ask your administrator" in response.content.decode()
    worker.refresh_from_db()
    assert worker.check_password(PASSWORD)


def test_a_reset_ends_every_session_of_the_account(client, worker, device, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # signing in tried the code on this device too
    signed_in = sign_in(Client(), worker)
    ask_for_reset(client, "worker@county.example")
    path = reset_to_the_password_step(client, reset_link(mail.outbox[0]), device)
    client.post(path, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert signed_in.get(reverse("web:home")).url.startswith(reverse("web:login"))


def test_a_weak_new_password_is_refused_after_the_code(client, worker, device):
    ask_for_reset(client, "worker@county.example")
    path = reset_to_the_password_step(client, reset_link(mail.outbox[0]), device)
    response = client.post(path, {"new_password1": "worker", "new_password2": "worker"})
    assert "This password is too short. It must contain at least 12 characters." in (
        response.context["form"].errors["new_password2"]
    )


def test_requests_are_limited_per_address_whether_or_not_it_exists(client, worker, device):
    for address in ("worker@county.example", "nobody@county.example"):
        answers = [ask_for_reset(Client(REMOTE_ADDR=f"10.0.0.{n}"), address) for n in range(5)]
        statuses = [answer.status_code for answer in answers]
        assert statuses == [302] * throttle.RESET_REQUESTS_PER_EMAIL + [429] * 2
        assert "Too many password reset emails" in answers[-1].content.decode()
    assert len(mail.outbox) == throttle.RESET_REQUESTS_PER_EMAIL


def test_requests_are_limited_per_client(client, db):
    statuses = [ask_for_reset(client, f"person{n}@county.example").status_code for n in range(12)]
    assert statuses == [302] * throttle.RESET_REQUESTS_PER_CLIENT + [429] * 2
    assert "password_reset_refused" in audit_actions()


def test_the_reset_pages_carry_the_content_security_policy(client, worker, device):
    pages = [reverse("web:password-reset"), reverse("web:password-reset-sent"), reverse("web:password-reset-complete")]
    ask_for_reset(client, "worker@county.example")
    pages.append(client.get(reset_link(mail.outbox[0])).url)
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200
        policy = response["Content-Security-Policy"]
        assert "default-src 'none'" in policy and "script-src 'self'" in policy and "style-src 'self'" in policy
        assert "unsafe-inline" not in policy
        assert "<script>" not in response.content.decode() and "style=" not in response.content.decode()


def test_the_reset_request_follows_no_next_address(client, worker, device):
    response = client.post(
        f"{reverse('web:password-reset')}?next=https://elsewhere.example/",
        {"email": "worker@county.example", "next": "https://elsewhere.example/"},
    )
    assert response.url == reverse("web:password-reset-sent")


def test_the_reset_token_never_reaches_a_log(client, worker, device):
    ask_for_reset(client, "worker@county.example")
    link = reset_link(mail.outbox[0])
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert token not in redact_tokens(f"GET {link} HTTP/1.1")
    assert redact_tokens(f"GET {link} HTTP/1.1") == "GET /password-reset/[redacted]/ HTTP/1.1"
