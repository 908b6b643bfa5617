"""The whole knowledge base as one JSON-lines file, and back (`manage.py exportkb` /
`importkb`): to move a site, keep a readable backup, or seed a new one.

The file holds regions and their sources, carriers and their numbers, documents, guides (the
editors' working copies) with every row (steps, notes, questions, documents, sources) in every
language, where each translation stands, the publications readers see (with their stored
pages), old guide addresses and the demo importer's fingerprints. Every concrete field of every
row is written as Django's serializer writes it, primary keys included, so an import gives the
same rows back (tests/test_transfer.py compares every field). Not included: editors' accounts
(only the user names guides point to; an import makes missing ones as inactive accounts without
a password), the edit history (django-reversion) and cache state.

Line 1 is the header (`ExportHeader`), every other line one row:
`{"model": "procedures.step", "pk": 12, "fields": {"procedure": 3, "title_en": "…", …}}`.
"""

import datetime
import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import IO, TypedDict

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.management.color import no_style
from django.db import IntegrityError, connection, transaction
from django.utils import translation
from modeltranslation.translator import NotRegistered, translator
from modeltranslation.utils import fallbacks

from kb import pagecache
from procedures.public import listing
from procedures.publishing import tags

FORMAT = "sim-esim-kb"
VERSION = 1

# In dependency order: a row only points to rows written before it.
MODELS = [
    "procedures.region",
    "procedures.regionsource",
    "procedures.carrier",
    "procedures.contactnumber",
    "procedures.document",
    "procedures.procedure",
    "procedures.proceduredocument",
    "procedures.step",
    "procedures.note",
    "procedures.faq",
    "procedures.source",
    "procedures.fieldtranslation",
    "procedures.publication",
    "procedures.publicationpage",
    "procedures.guideredirect",
    "procedures.importedstate",
]
USER_FIELDS = {
    "procedures.procedure": ["last_edited_by"],
    "procedures.publication": ["published_by"],
}


class ExportHeader(TypedDict):
    format: str  # always FORMAT
    version: int  # VERSION when written; importkb refuses other versions
    exported_at: str  # ISO 8601, UTC
    counts: dict[str, int]  # rows per model label
    users: list[str]  # user names the rows point to


class TransferError(Exception):
    """The file cannot be imported here; the message says why, for the person running it."""


def _model(label: str):
    return apps.get_model(label)


def _queryset(label: str):
    return _model(label)._base_manager.order_by("pk")


def header() -> ExportHeader:
    """What an export of the database as it is now will hold."""
    users = set()
    for label, fields in USER_FIELDS.items():
        for field in fields:
            users.update(
                _queryset(label)
                .exclude(**{f"{field}__isnull": True})
                .values_list(f"{field}__{get_user_model().USERNAME_FIELD}", flat=True)
            )
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": datetime.datetime.now(datetime.UTC).isoformat(),
        "counts": {label: _queryset(label).count() for label in MODELS},
        "users": sorted(users),
    }


def _fields(model) -> list[str]:
    """Every concrete field but the primary key (written as "pk") and modeltranslation's
    original fields (`title`, which reads and writes one of `title_zh_hans`, … depending on the
    active language): the per-language columns are the data."""
    try:
        originals = set(translator.get_options_for_model(model).fields)
    except NotRegistered:
        originals = set()
    return [
        field.name
        for field in model._meta.concrete_fields
        if not field.primary_key and field.name not in originals
    ]


@contextmanager
def _plain_columns():
    """Original translated fields read and written as the default language, no fallbacks."""
    with translation.override(settings.MODELTRANSLATION_DEFAULT_LANGUAGE), fallbacks(False):
        yield


def export_lines(head: ExportHeader) -> Iterator[str]:
    """The file's lines (without newlines): the header, then every row, model by model. User
    and content-type references are written by name (natural keys), so they survive a move."""
    yield json.dumps(head, ensure_ascii=False)
    with _plain_columns():
        for label in MODELS:
            fields = _fields(_model(label))
            for row in _queryset(label).iterator(chunk_size=500):
                [data] = serializers.serialize(
                    "python", [row], fields=fields, use_natural_foreign_keys=True
                )
                yield json.dumps(data, ensure_ascii=False, default=str, sort_keys=True)


def read_header(lines: Iterator[str]) -> ExportHeader:
    """The header of an export; raises TransferError for a file that is not one we can read."""
    try:
        head = json.loads(next(lines))
    except (StopIteration, json.JSONDecodeError) as error:
        raise TransferError("The file is empty or not an export of this knowledge base.") from error
    if not isinstance(head, dict) or head.get("format") != FORMAT:
        raise TransferError("The file is not an export of this knowledge base.")
    if head.get("version") != VERSION:
        raise TransferError(
            f"The file is an export of version {head.get('version')}; this site reads {VERSION}."
        )
    return head


def import_rows(head: ExportHeader, lines: Iterable[str], progress=None) -> dict[str, int]:
    """Write the rows of an export into this database, which must hold no knowledge base yet.
    All or nothing (one transaction). Returns rows written per model label; raises
    TransferError for a database with content, or a row that cannot be read or written."""
    if any(_queryset(label).exists() for label in ("procedures.region", "procedures.procedure")):
        raise TransferError(
            "This database already holds a knowledge base; import into an empty one."
        )
    written = dict.fromkeys(MODELS, 0)
    with transaction.atomic(durable=True), _plain_columns():
        _ensure_users(head.get("users", []))
        for number, line in enumerate(lines, start=2):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
                if data.get("model") not in written:
                    raise TransferError(f"line {number}: unknown kind of row {data.get('model')!r}")
                [row] = serializers.deserialize("python", [data], handle_forward_references=False)
                row.save()
            except TransferError:
                raise
            except Exception as error:
                raise TransferError(f"line {number}: {error}") from error
            written[data["model"]] += 1
            if progress is not None:
                progress.update(1)
        try:
            connection.check_constraints()  # references are checked at the end, as loaddata does
        except IntegrityError as error:
            raise TransferError(f"The file refers to rows it does not hold: {error}") from error
        # Rows kept their ids: new rows must be numbered after them.
        sql = connection.ops.sequence_reset_sql(no_style(), [_model(label) for label in MODELS])
        with connection.cursor() as cursor:
            for statement in sql:
                cursor.execute(statement)
        pagecache.bump(pagecache.EVERYTHING, tags.GUIDES)
    listing.forget()
    return written


def _ensure_users(names: list[str]) -> None:
    users = get_user_model()
    existing = set(
        users._default_manager.filter(**{f"{users.USERNAME_FIELD}__in": names}).values_list(
            users.USERNAME_FIELD, flat=True
        )
    )
    for name in names:
        if name not in existing:
            user = users(**{users.USERNAME_FIELD: name}, is_active=False)
            user.set_unusable_password()
            user.save()


def write_export(out: IO[str], progress=None) -> ExportHeader:
    """Write the whole export to `out`; returns its header."""
    head = header()
    for line in export_lines(head):
        out.write(line + "\n")
        if progress is not None:
            progress.update(1)
    return head
