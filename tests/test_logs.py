"""Production logs: one JSON object per line, each with the request's id (issue 17)."""

import json
import logging

import pytest
from django.conf import settings as django_settings
from pythonjsonlogger.json import JsonFormatter

from kb.logs import RequestIdFilter

from .factories import full_guide

pytestmark = pytest.mark.django_db


@pytest.fixture
def json_lines(caplog):
    """What the production handler would write for the `kb.requests` logger, one per line."""
    options = dict(django_settings.LOGGING["formatters"]["json"])
    options.pop("()")
    formatter = JsonFormatter(**options)
    caplog.handler.addFilter(RequestIdFilter())
    caplog.set_level(logging.INFO, logger="kb.requests")
    return lambda: [json.loads(formatter.format(record)) for record in caplog.records]


def test_every_request_logs_one_json_line_with_its_id_path_status_and_language(client, json_lines):
    guide = full_guide()
    response = client.get(f"/zh-hant/guides/{guide.slug}/", HTTP_X_REQUEST_ID="nginx-id-0123456")
    assert response["X-Request-ID"] == "nginx-id-0123456"
    [line] = [line for line in json_lines() if line["message"] == "request"]
    assert line["request_id"] == "nginx-id-0123456"
    assert line["path"] == f"/zh-hant/guides/{guide.slug}/" and line["status"] == 200
    assert line["language"] == "zh-hant" and line["duration_ms"] >= 0
    assert line["level"] == "INFO" and "time" in line


def test_a_request_without_a_sane_id_gets_one_of_its_own(client, json_lines):
    response = client.get("/en/", HTTP_X_REQUEST_ID='bad"\nid')
    made = response["X-Request-ID"]
    assert made != 'bad"\nid' and len(made) == 32
    assert [line["request_id"] for line in json_lines()] == [made]
