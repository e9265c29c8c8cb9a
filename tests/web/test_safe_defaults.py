"""Safe defaults (issue 10, findings 12 and 15): DEBUG off, error pages that reveal nothing, no existence
oracles, no-store on every page, tokens out of the logs, no open redirect, and the 500s found by review."""

import logging
import os
import subprocess
import sys
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from familybridge import cli
from familybridge.agencies.models import User
from familybridge.agencies.roles import Role
from familybridge.consent import services as consent_services
from familybridge.referrals import services as referral_services
from familybridge.web.logs import RedactingGunicornLogger, RedactTokensFilter, redact_tokens
from tests.conftest import sign_in, totp_now
from tests.web.failing_urls import SECRET_IN_A_LOCAL_VARIABLE

FAMILYBRIDGE = os.path.join(os.path.dirname(sys.executable), "familybridge")
TOKEN = "Q2hvb3NlLWEtbG9uZy1yYW5kb20tdG9rZW4"


def production_environment(**extra: str) -> dict[str, str]:
    """The environment of a server with nothing set but what is given: no DEBUG, no key, production settings."""
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in {"DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    return {**env, "DJANGO_SETTINGS_MODULE": "familybridge.settings", **extra}


@pytest.fixture
def worker(agencies, family, make_user, assign) -> User:
    user = make_user("worker", agencies["cw"], Role.CASEWORKER)
    assign(user, family)
    return user


# --- 1. DEBUG is off unless the demo turns it on -------------------------------------------------------------


def test_debug_is_off_when_nothing_turns_it_on():
    done = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.DEBUG)"],
        env=production_environment(SECRET_KEY="a-production-key-for-this-test-only-0123456789abcdefghijkl"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.stdout.strip() == "False", done.stderr


def test_without_a_secret_key_the_server_refuses_to_start_and_says_why():
    done = subprocess.run(
        [FAMILYBRIDGE, "check"], env=production_environment(), capture_output=True, text=True, timeout=120
    )
    assert done.returncode != 0
    assert "SECRET_KEY is not set" in done.stderr


def test_the_deploy_check_is_clean_with_production_variables():
    done = subprocess.run(
        [FAMILYBRIDGE, "check", "--deploy", "--fail-level", "WARNING"],
        env=production_environment(
            SECRET_KEY="Zx8f3kq0-production-like-key-with-enough-variety-AbCdEfGhIjKlMnOpQrStUv",
            ALLOWED_HOSTS="familybridge.county.example",
        ),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize(
    ("command", "debug"),
    [("demo", "true"), ("otp", "true"), ("makemigrations", "true"), ("serve", None), ("score", None)],
)
def test_only_the_demo_commands_turn_debug_on(monkeypatch, command, debug):
    seen = {}
    monkeypatch.setattr(os, "environ", {"PATH": os.environ.get("PATH", "")})
    monkeypatch.setattr(sys, "argv", ["familybridge", command])
    monkeypatch.setattr("django.core.management.execute_from_command_line", lambda argv: seen.update(os.environ))
    cli.main()
    assert seen.get("DEBUG") == debug


# --- 2. Error pages that reveal nothing ------------------------------------------------------------------------


def test_a_page_not_found_lists_no_addresses_and_offers_the_way_home(client, settings):
    settings.DEBUG = False
    response = client.get("/no-such-page/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "Page not found" in page and 'href="/"' in page
    assert "families/" not in page and "urlpatterns" not in page.lower()
    assert "Content-Security-Policy" in response.headers


def test_a_server_error_shows_no_traceback_no_variables_and_carries_the_csp(settings):
    settings.DEBUG = False
    settings.ROOT_URLCONF = "tests.web.failing_urls"
    response = Client(raise_request_exception=False).get("/failing-page/")
    page = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong" in page and 'href="/"' in page
    assert "Traceback" not in page and "RuntimeError" not in page and "Could not render" not in page
    assert SECRET_IN_A_LOCAL_VARIABLE not in page
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]


def test_a_refused_page_says_so_in_plain_language(client, agencies, worker):
    response = sign_in(client, worker).get(reverse("web:agency-staff", args=[agencies["sud"].slug]))
    assert response.status_code == 403
    assert "You cannot open this page" in response.content.decode()
    assert "Content-Security-Policy" in response.headers


# --- 3. No existence oracles ------------------------------------------------------------------------------------


def test_a_consent_about_someone_you_cannot_see_looks_like_no_consent_at_all(
    client, agencies, family, make_user, consent_terms, settings
):
    consent = consent_services.record_consent(consent_terms())
    stranger = sign_in(client, make_user("stranger", agencies["cw"], Role.CASEWORKER))
    settings.DEBUG = True  # the demo's pages print the reason for a 404: it must not say which one
    hidden = stranger.get(reverse("consent:detail", args=[consent.pk])).content.decode()
    missing = stranger.get(reverse("consent:detail", args=[consent.pk + 1000])).content.decode()
    assert "No such person" not in hidden
    assert "No such consent" in hidden and "No such consent" in missing


@pytest.mark.parametrize("page", ["web:family-detail", "referrals:detail", "consent:detail", "consent:person"])
def test_not_found_and_not_yours_are_the_same_page(client, agencies, family, make_user, consent_terms, page):
    referral = referral_services.create_referral(
        make_user("referrer", agencies["cw"], Role.CW_SUPERVISOR),
        subject=family.people["mom"],
        provider=agencies["sud"],
        referral_date=timezone.localdate(),
        reason="Positive UNCOPE screen",
    )
    consent = consent_services.record_consent(consent_terms())
    existing = {
        "web:family-detail": family.pk,
        "referrals:detail": referral.pk,
        "consent:detail": consent.pk,
        "consent:person": family.people["mom"].pk,
    }[page]
    stranger = sign_in(client, make_user("stranger", agencies["court"], Role.ATTORNEY))
    hidden = stranger.get(reverse(page, args=[existing]))
    missing = stranger.get(reverse(page, args=[existing + 1000]))
    assert hidden.status_code == missing.status_code == 404
    assert hidden.content == missing.content


# --- 4. No copy of person data kept by browsers or proxies ---------------------------------------------------


def test_the_family_page_and_a_pdf_are_never_stored(client, agencies, family, make_user, assign):
    counselor = make_user("counselor", agencies["sud"], Role.COUNSELOR)
    assign(counselor, family)
    signed_in = sign_in(client, counselor)
    page = signed_in.get(reverse("web:family-detail", args=[family.pk]))
    pdf = signed_in.get(reverse("consent:accounting-pdf", args=[family.people["mom"].pk]))
    assert page.status_code == pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    for response in (page, pdf):
        assert "no-store" in response["Cache-Control"]


def test_the_one_time_screening_link_page_is_never_stored(client, db):
    assert "no-store" in client.get(reverse("screening:take", args=[TOKEN]))["Cache-Control"]


# --- 5. Tokens never in logs -------------------------------------------------------------------------------------


def test_the_screening_link_token_is_redacted_from_a_log_line():
    line = f'10.0.0.1 "GET /screening/take/{TOKEN}/?x=1 HTTP/1.1" 200 "https://fb.example/screening/take/{TOKEN}/"'
    redacted = redact_tokens(line)
    assert TOKEN not in redacted
    assert redacted.count("/screening/take/[redacted]/") == 2
    assert redact_tokens("GET /families/12/ HTTP/1.1") == "GET /families/12/ HTTP/1.1"


def test_djangos_not_found_line_is_redacted_before_any_handler_writes_it():
    record = logging.LogRecord(
        "django.request", logging.WARNING, __file__, 1, "Not Found: %s", (f"/screening/take/{TOKEN}/",), None
    )
    assert RedactTokensFilter().filter(record)
    assert TOKEN not in record.getMessage()


def test_the_access_log_of_the_served_site_holds_no_token(monkeypatch, settings):
    settings.DEBUG = True  # no collectstatic for this test
    started = {}
    monkeypatch.setattr(os, "execvp", lambda file, args: started.update(args=args))
    call_command("serve", no_migrate=True)
    args = started["args"]
    logger_class = args[args.index("--logger-class") + 1]
    assert logger_class == f"{RedactingGunicornLogger.__module__}.{RedactingGunicornLogger.__name__}"

    from gunicorn.config import Config

    config = Config()
    logger = RedactingGunicornLogger(config)
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"/screening/take/{TOKEN}/",
        "PATH_INFO": f"/screening/take/{TOKEN}/",
        "QUERY_STRING": "",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "10.0.0.1",
        "HTTP_REFERER": f"https://fb.example/screening/take/{TOKEN}/",
    }
    response = SimpleNamespace(status="200 OK", headers=[], response_length=10, sent=10)
    request = SimpleNamespace(headers=[("REFERER", environ["HTTP_REFERER"])])
    atoms = logger.atoms(response, request, environ, timedelta(milliseconds=5))
    line = config.access_log_format % atoms
    assert "/screening/take/[redacted]/" in line
    assert TOKEN not in line and not any(TOKEN in str(value) for value in atoms.values())


# --- 6. No open redirect -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "next_page", ["https://elsewhere.example/", "//elsewhere.example/", "https:elsewhere.example", "web:logout"]
)
def test_the_second_factor_does_not_send_anyone_to_another_site(client, agencies, make_user, next_page):
    judge = make_user("judge", agencies["court"], Role.JUDGE)
    device = TOTPDevice.objects.create(user=judge, name="phone", confirmed=True)
    client.force_login(judge)
    response = client.post(f"{reverse('web:otp-verify')}?next={next_page}", {"token": totp_now(device)})
    assert response.status_code == 302
    assert response.url == reverse("web:home")


def test_the_second_factor_goes_on_to_the_page_asked_for_on_this_site(client, agencies, make_user):
    judge = make_user("judge", agencies["court"], Role.JUDGE)
    device = TOTPDevice.objects.create(user=judge, name="phone", confirmed=True)
    client.force_login(judge)
    response = client.post(f"{reverse('web:otp-verify')}?next=/families/", {"token": totp_now(device)})
    assert response.url == "/families/"


def test_signing_in_does_not_send_anyone_to_another_site(client, worker):
    from tests.conftest import PASSWORD

    response = client.post(
        f"{reverse('web:login')}?next=https://elsewhere.example/", {"username": "worker", "password": PASSWORD}
    )
    assert response.status_code == 302 and "elsewhere" not in response.url


# --- 7. The 500s the review found, and bad query parameters ------------------------------------------------------


def test_why_can_i_see_this_answers_the_referrer_about_its_own_referral(client, agencies, family, worker):
    referral = referral_services.create_referral(
        worker,
        subject=family.people["mom"],
        provider=agencies["sud"],
        referral_date=timezone.localdate(),
        reason="Positive UNCOPE screen",
    )
    response = sign_in(client, worker).get(reverse("consent:why", args=["referrals.referral", referral.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Your agency wrote it" in page and "Hope Recovery, which holds it now" in page


@pytest.mark.parametrize("end", ["0001-01-01", "9999-12-31"])
@pytest.mark.parametrize("page", ["outcomes:dashboard", "outcomes:export"])
def test_a_period_end_out_of_range_is_a_bad_request_not_a_crash(client, agencies, make_user, page, end):
    supervisor = sign_in(client, make_user("super", agencies["cw"], Role.CW_SUPERVISOR))
    response = supervisor.get(reverse(page), {"end": end})
    assert response.status_code == 400
    assert "We could not understand that request" in response.content.decode()


@pytest.mark.parametrize("end", ["0001-01-01", "9999-12-31"])
def test_the_drill_down_answers_a_period_end_out_of_range_with_a_bad_request(client, agencies, make_user, end):
    supervisor = sign_in(client, make_user("super", agencies["cw"], Role.CW_SUPERVISOR))
    assert supervisor.get(reverse("outcomes:cohort", args=["T2"]), {"end": end}).status_code == 400


HUGE = str(2**70)
NUL = "\x00"


@pytest.mark.parametrize("value", [HUGE, NUL, f"ana{NUL}"])
@pytest.mark.parametrize(
    ("page", "parameter"),
    [
        ("/families/", "q"),
        ("/families/", "purpose"),
        ("/api/v1/families/", "q"),
        ("/api/v1/families/", "offset"),
        ("/api/v1/families/", "limit"),
        ("/referrals/", "purpose"),
        ("/outcomes/", "end"),
        ("/outcomes/", "partnership"),
        ("/messages/", "purpose"),
        ("family-timeline", "system"),
        ("screening-start", "person"),
        ("screening-start", "instrument"),
    ],
)
def test_odd_query_parameters_never_crash_a_page(client, agencies, family, make_user, assign, page, parameter, value):
    supervisor = make_user("super", agencies["cw"], Role.CW_SUPERVISOR)
    assign(supervisor, family)
    addresses = {
        "family-timeline": reverse("web:family-timeline", args=[family.pk]),
        "screening-start": reverse("screening:start", args=[family.pk]),
    }
    response = sign_in(client, supervisor).get(addresses.get(page, page), {parameter: value})
    assert response.status_code < 500


def test_a_nul_byte_in_the_address_is_a_bad_request_with_the_plain_page(client, worker):
    response = sign_in(client, worker).get(reverse("screening:export", args=["AUDIT\x00"]))
    assert response.status_code == 400
    assert "We could not understand that request" in response.content.decode()
    assert "Content-Security-Policy" in response.headers


def test_a_form_posted_without_its_csrf_token_gets_the_plain_page(agencies, worker):
    client = Client(enforce_csrf_checks=True)
    client.force_login(worker)
    response = client.post(reverse("web:logout"))
    assert response.status_code == 403
    assert "This form is out of date" in response.content.decode()
    assert "Content-Security-Policy" in response.headers
