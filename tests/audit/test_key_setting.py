"""The audit key comes from the environment; without DEBUG, familybridge refuses to start without one."""

import os
import subprocess
import sys

import pytest


def start_django(**environment: str) -> subprocess.CompletedProcess:
    env = {name: value for name, value in os.environ.items() if not name.startswith("FAMILYBRIDGE_AUDIT")}
    env |= {"DJANGO_SETTINGS_MODULE": "familybridge.settings", "SECRET_KEY": "s" * 50} | environment
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); from django.conf import settings; print('started')"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    "given", [{}, {"FAMILYBRIDGE_AUDIT_KEY": "familybridge-demo-only-audit-key-never-use-in-production"}]
)
def test_without_debug_and_without_a_real_key_familybridge_refuses_to_start(given):
    started = start_django(DEBUG="false", **given)
    assert started.returncode != 0
    assert "FAMILYBRIDGE_AUDIT_KEY must be set when DEBUG is off" in started.stderr


def test_a_short_key_is_refused():
    started = start_django(DEBUG="false", FAMILYBRIDGE_AUDIT_KEY="short")
    assert "FAMILYBRIDGE_AUDIT_KEY must be at least 32 characters long" in started.stderr


def test_a_key_from_the_environment_starts_it():
    started = start_django(DEBUG="false", FAMILYBRIDGE_AUDIT_KEY="k" * 64)
    assert started.returncode == 0 and "started" in started.stdout
