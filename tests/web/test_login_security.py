import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from familybridge.agencies.roles import Role
from tests.conftest import PASSWORD, totp_now


@pytest.fixture
def caseworker(agencies, make_user):
    return make_user("worker", agencies["cw"], Role.CASEWORKER)


@pytest.fixture
def judge(agencies, make_user):
    return make_user("judge", agencies["court"], Role.JUDGE)


def test_passwords_are_hashed_with_argon2(caseworker):
    assert caseworker.password.startswith("argon2")


def test_five_wrong_passwords_lock_the_account(client, caseworker):
    login = reverse("web:login")
    for _ in range(5):
        client.post(login, {"username": "worker", "password": "wrong"})
    response = client.post(login, {"username": "worker", "password": PASSWORD})
    assert response.status_code == 429
    assert "Account locked" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_good_password_resets_the_count(client, caseworker):
    login = reverse("web:login")
    for _ in range(4):
        client.post(login, {"username": "worker", "password": "wrong"})
    assert client.post(login, {"username": "worker", "password": PASSWORD}).status_code == 302


@pytest.mark.parametrize(
    ("agency", "role"),
    [
        ("cw", Role.CASEWORKER),
        ("cw", Role.CW_SUPERVISOR),
        ("cw", Role.AGENCY_ADMIN),
        ("cw", Role.DATA_ANALYST),
        ("cw", Role.PARTNERSHIP_COORDINATOR),
        ("sud", Role.PEER_RECOVERY_SPECIALIST),
    ],
)
def test_finding_7_every_account_passes_a_second_factor_before_any_page(client, agencies, make_user, agency, role):
    """Issue 10, finding 7: a caseworker or supervisor is shown Part 2 records under a consent, so a
    password alone opens nothing, for any role; the API refuses too."""
    make_user("someone", agencies[agency], role)
    client.post(reverse("web:login"), {"username": "someone", "password": PASSWORD})
    for page in ("web:home", "web:family-list"):
        response = client.get(reverse(page))
        assert response.status_code == 302 and response.url == reverse("web:otp-verify")
    assert client.get("/api/v1/families/").status_code == 403
    assert client.get("/api/v1/me/").status_code == 403


def test_finding_7_the_api_accepts_no_token_that_would_skip_the_second_factor(client, caseworker, settings):
    """DRF token authentication ran after the middleware and skipped the second factor: it is gone."""
    assert settings.REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"] == [
        "rest_framework.authentication.SessionAuthentication"
    ]
    assert "rest_framework.authtoken" not in settings.INSTALLED_APPS
    response = client.get("/api/v1/families/", headers={"Authorization": "Token 0123456789abcdef"})
    assert response.status_code == 403


def test_part2_role_without_device_must_enroll(client, judge, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # the wrong code below would otherwise delay the next try
    client.post(reverse("web:login"), {"username": "judge", "password": PASSWORD})
    response = client.get(reverse("web:family-list"))
    assert response.status_code == 302 and response.url == reverse("web:otp-verify")
    assert client.get(reverse("web:otp-verify")).url == reverse("web:otp-enroll")
    enroll = client.get(reverse("web:otp-enroll"))
    assert "Set up your authenticator app" in enroll.content.decode()
    device = TOTPDevice.objects.get(user=judge, confirmed=False)
    assert client.post(reverse("web:otp-enroll"), {"token": "000000"}).status_code == 200
    response = client.post(reverse("web:otp-enroll"), {"token": totp_now(device)})
    assert response.status_code == 302
    assert client.get(reverse("web:family-list")).status_code == 200


def test_part2_role_with_device_must_enter_a_code(client, judge, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    device = TOTPDevice.objects.create(user=judge, name="phone", confirmed=True)
    client.post(reverse("web:login"), {"username": "judge", "password": PASSWORD})
    assert client.get(reverse("web:home")).status_code == 302
    response = client.post(reverse("web:otp-verify"), {"token": "123456" if totp_now(device) != "123456" else "654321"})
    assert "not right" in response.content.decode()
    client.post(reverse("web:otp-verify"), {"token": totp_now(device)})
    assert client.get(reverse("web:home")).status_code == 200


def test_api_refuses_unverified_part2_role(client, judge):
    TOTPDevice.objects.create(user=judge, name="phone", confirmed=True)
    client.post(reverse("web:login"), {"username": "judge", "password": PASSWORD})
    assert client.get("/api/v1/families/").status_code == 403


def test_sessions_expire_when_idle(settings):
    assert settings.SESSION_SAVE_EVERY_REQUEST and settings.SESSION_COOKIE_AGE <= 30 * 60


def test_pages_carry_a_strict_content_security_policy(client, caseworker):
    response = client.get(reverse("web:login"))
    policy = response["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
