"""The API against its own OpenAPI schema (schemathesis): for generated requests to every
operation, in every language, never a server error, and every response matches the schema."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

app = get_wsgi_application()
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
# The same endpoints under a language prefix (the addresses the page cache keeps).
prefixed = schemathesis.openapi.from_wsgi("/zh-hant/api/v1/openapi.json", app)


@pytest.fixture(autouse=True)
def _unlimited(settings):
    settings.KB_API_RATE = "100000/m"  # the fuzzer sends far more than a reader would


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Requests go straight to the WSGI application, whose end closes old database connections:
    that would close the test's own transaction (PostgreSQL). Django's test client does the same."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_operation_answers_as_its_schema_says(case, demo):
    for language in ("zh-hans", "zh-hant", "en"):
        case.headers = {**(case.headers or {}), "Accept-Language": language}
        response = case.call(app=app)
        assert response.status_code < 500, response.text[:500]
        # A filter naming a region, carrier or document that does not exist is refused (400),
        # though any string is a valid slug in the schema.
        case.validate_response(response, excluded_checks=[positive_data_acceptance])


@pytest.mark.django_db
@prefixed.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_operation_under_a_language_prefix_answers_as_its_schema_says(case, demo):
    response = case.call(app=app)
    assert response.status_code < 500, response.text[:500]
    case.validate_response(response, excluded_checks=[positive_data_acceptance])
