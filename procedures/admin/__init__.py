"""Where editors keep carriers and guides. One screen per guide: its steps, documents, notes,
questions and sources are inlines, the three languages are switched once per form, rows are
reordered by drag and drop. Publishing is a separate, checked step (draft → in review →
published); every save is recorded (django-reversion) and two editors cannot silently overwrite
each other.

One module per screen: base (what every screen shares), catalog (regions, carriers, documents),
guides (the guide list and change form), languages (the forms' content-language switch and
per-field translation marks), forms, publishing, conversion (the list's translation
actions), dashboard (translation work), history, and security (django-axes' records, for
superusers only). Importing them registers their models."""

from procedures.admin import base, catalog, guides, publishing, security  # noqa: F401 - importing registers the screens
from procedures.admin.guides import ProcedureAdmin, StepInline  # noqa: F401 - named by tests and other apps
from procedures.feedback import admin as feedback_admin  # noqa: F401 - readers' feedback inbox
from procedures.search import admin as search_admin  # noqa: F401 - the search-terms report
