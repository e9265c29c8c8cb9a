"""The REST API keeps to its OpenAPI schema for generated requests (schemathesis), as a signed-in caseworker."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import ignored_auth

from familybridge.agencies.roles import Role
from familybridge.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/schema/", application)


@pytest.fixture
def token(agencies, family, make_user, assign) -> str:
    worker = make_user("api-worker", agencies["cw"], Role.CASEWORKER)
    assign(worker, family)
    return Token.objects.create(user=worker).key


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@pytest.mark.django_db(transaction=True)  # the WSGI app closes its database connection after each request
def test_api_conforms_to_its_schema(case, token):
    # Our own token goes with every request, so the "ignores invalid auth" probe does not apply here;
    # tests/api/test_api.py checks that unauthenticated calls are refused.
    case.call_and_validate(headers={"Authorization": f"Token {token}"}, excluded_checks=[ignored_auth])
