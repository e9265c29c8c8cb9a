"""The REST API keeps to its OpenAPI schema for generated requests (schemathesis), as a signed-in caseworker."""

import pytest
import schemathesis
from django.conf import settings as django_settings
from hypothesis import HealthCheck, settings
from schemathesis.checks import ignored_auth

from familybridge.agencies.roles import Role
from familybridge.wsgi import application
from tests.conftest import sign_in

schema = schemathesis.openapi.from_wsgi("/api/schema/", application)


@pytest.fixture
def session_cookies(client, agencies, family, make_user, assign) -> dict[str, str]:
    """The session of a caseworker who passed the second factor: the API's only way in (no tokens)."""
    worker = make_user("api-worker", agencies["cw"], Role.CASEWORKER)
    assign(worker, family)
    sign_in(client, worker)
    name = django_settings.SESSION_COOKIE_NAME
    return {name: client.cookies[name].value}


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@pytest.mark.django_db(transaction=True)  # the WSGI app closes its database connection after each request
def test_api_conforms_to_its_schema(case, session_cookies):
    # Our own session goes with every request, so the "ignores invalid auth" probe does not apply here;
    # tests/api/test_api.py checks that unauthenticated calls are refused.
    case.cookies = {**(case.cookies or {}), **session_cookies}
    case.call_and_validate(excluded_checks=[ignored_auth])
