"""What happened to a guide, as stored in its history (django-reversion's revision comment): an
event code with its parameters, in JSON, so each editor reads it in their own admin language.
Comments written before this (plain text in the language of whoever saved) are shown as they are.
"""

import datetime
import json
from typing import TypedDict

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

VERSION = 1


class Event(TypedDict):
    """A revision comment's JSON: `v` is VERSION; `params` hold plain values (dates as ISO
    strings, languages as codes) so the text is made when it is read."""

    v: int
    event: str
    params: dict


MESSAGES = {
    "published": _("Published."),
    "scheduled": _("Scheduled for publication on %(when)s."),
    "unpublished": _("Taken off the public site."),
    "archived": _("Archived."),
    "submitted": _("Submitted for review."),
    "restored": _("Restored the version of %(date)s."),
    "translations_imported": _("Imported translations into %(language)s from an exchange file."),
}
# An admin save: Django's change message (added / changed / deleted, with field and row names),
# kept once per language because row names ("Step “…”") are the rows' texts in that language.
ADMIN_CHANGE = "admin_change"


def comment(event: str, **params) -> str:
    """The revision comment for `event` (a key of MESSAGES, or ADMIN_CHANGE) with `params`
    (datetimes are stored as ISO strings). Raises KeyError for an unknown event."""
    if event != ADMIN_CHANGE:
        MESSAGES[event]
    stored = {
        name: value.isoformat() if isinstance(value, datetime.datetime) else value
        for name, value in params.items()
    }
    return json.dumps(Event(v=VERSION, event=event, params=stored), ensure_ascii=False)


def _param(name: str, value):
    if name in ("when", "date") and isinstance(value, str) and (moment := parse_datetime(value)):
        return date_format(timezone.localtime(moment), "DATETIME_FORMAT")
    if name == "language":
        return dict(settings.LANGUAGES).get(value, value)
    return value


def describe(text: str) -> str:
    """A revision comment as a sentence in the active language: a stored event rendered with
    its parameters, an old plain comment as it was, "" for none."""
    try:
        event = json.loads(text) if text.startswith("{") else None
    except ValueError:
        event = None
    if not isinstance(event, dict) or "event" not in event:
        return text
    params = event.get("params") or {}
    if event["event"] == ADMIN_CHANGE:
        messages = params.get("messages") or {}
        language = translation.get_language()
        chosen = messages.get(language) or next(iter(messages.values()), [])
        return LogEntry(change_message=json.dumps(chosen)).get_change_message()
    message = MESSAGES.get(event["event"])
    if message is None:
        return text
    return str(message) % {name: _param(name, value) for name, value in params.items()}
