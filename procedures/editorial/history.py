"""The history of what editors change (django-reversion), read as a guide: versions of a procedure
with its rows, compared as labelled texts a person can read."""

from dataclasses import dataclass

import reversion
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist
from django.dispatch import receiver
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from modeltranslation.utils import build_localized_fieldname
from reversion.models import Version
from reversion.signals import post_revision_commit

from procedures.editorial import textdiff
from procedures.models import (
    Carrier,
    ContactNumber,
    Document,
    Faq,
    FieldTranslation,
    Note,
    Procedure,
    ProcedureDocument,
    Region,
    RegionSource,
    RevisionTranslations,
    Source,
    Step,
)
from procedures.translations.texts import LANGUAGE_CODES, text_in

# Registered here, imported by admin.py before the admin classes: after modeltranslation has added
# the translation fields (so every language is recorded), before VersionAdmin would register the
# models itself. (Every field is recorded: reverting writes rows back as they were, so a field
# left out would come back empty; services.procedure_restore sets the bookkeeping fields again.)
PROCEDURE_CHILDREN = ["steps", "notes", "faqs", "sources", "procedure_documents"]  # GUIDE_ROWS
reversion.register(Procedure, follow=PROCEDURE_CHILDREN)
for model in (Step, Note, Faq, Source, ProcedureDocument, ContactNumber, RegionSource):
    reversion.register(model)
reversion.register(Carrier, follow=["contact_numbers"])
reversion.register(Region, follow=["sources"])
reversion.register(Document)


GUIDE_ROWS = {"steps": Step, "notes": Note, "faqs": Faq, "sources": Source,
              "procedure_documents": ProcedureDocument}  # fmt: skip


@receiver(post_revision_commit)
def remember_translations(sender, revision, versions, **kwargs) -> None:
    """Store, with every revision that records a guide, where each of its translations stood
    (FieldTranslation rows), so a restore can bring that back (see `translation_states`)."""
    procedure_type = ContentType.objects.get_for_model(Procedure)
    ids = [int(version.object_id) for version in versions
           if version.content_type_id == procedure_type.pk]  # fmt: skip
    if not ids:
        return
    states: dict[str, list[dict]] = {}
    rows = FieldTranslation.objects.filter(procedure_id__in=ids).select_related("content_type")
    for row in rows:
        states.setdefault(str(row.procedure_id), []).append(
            {
                "model": row.content_type.model,
                "id": row.object_id,
                "field": row.field,
                "language": row.language,
                "status": row.status,
                "source_language": row.source_language,
                "source_hash": row.source_hash,
                "machine": row.machine_converted,
            }
        )
    RevisionTranslations.objects.create(revision=revision, states=states)


def translation_states(version: Version, procedure: Procedure) -> list[dict] | None:
    """Where the guide's translations stood when `version` was recorded, or None when the
    version is older than this record (see `remember_translations`)."""
    meta = RevisionTranslations.objects.filter(revision_id=version.revision_id).first()
    if meta is None:
        return None
    return meta.states.get(str(procedure.pk), [])


def guide_versions_in(version: Version, procedure: Procedure) -> dict[type, list[Version]]:
    """The versions of the guide's own rows (steps, notes, …) recorded with `version`, by model;
    a model with no row then maps to []."""
    content_types = {
        ContentType.objects.get_for_model(model): model for model in GUIDE_ROWS.values()
    }
    found: dict[type, list[Version]] = {model: [] for model in GUIDE_ROWS.values()}
    for other in version.revision.version_set.filter(content_type__in=content_types):
        if other._object_version.object.procedure_id == procedure.pk:
            found[content_types[other.content_type]].append(other)
    return found


def procedure_versions(procedure: Procedure):
    return (
        Version.objects.get_for_object(procedure)
        .select_related("revision", "revision__user")
        .order_by("-revision__date_created", "-pk")
    )


def _objects_in(version: Version) -> tuple[Procedure, dict[type, list]]:
    """The procedure and its rows as they were in this version's revision."""
    procedure = version._object_version.object
    rows: dict[type, list] = {Step: [], Note: [], Faq: [], Source: [], ProcedureDocument: []}
    content_types = {ContentType.objects.get_for_model(model): model for model in rows}
    for other in version.revision.version_set.filter(content_type__in=content_types):
        row = other._object_version.object
        if row.procedure_id == procedure.pk:
            rows[content_types[other.content_type]].append(row)
    for items in rows.values():
        items.sort(key=lambda row: (row.position, row.pk))
    return procedure, rows


def _texts(obj, fields, prefix: str) -> dict[str, str]:
    texts = {}
    for field in fields:
        label = f"{prefix}{obj._meta.get_field(field).verbose_name}"
        model_field = build_localized_fieldname(field, LANGUAGE_CODES[0])
        if hasattr(obj, model_field):
            for code in LANGUAGE_CODES:
                texts[f"{label} [{code}]"] = text_in(obj, field, code)
        elif obj._meta.get_field(field).is_relation:
            try:
                value = getattr(obj, field)
            except ObjectDoesNotExist:
                value = f"#{getattr(obj, field + '_id')}"
            texts[label] = "" if value is None else str(value)
        else:
            value = getattr(obj, field)
            display = getattr(obj, f"get_{field}_display", None)
            texts[label] = str(display() if display else ("" if value is None else value))
    return texts


PROCEDURE_FIELDS = [
    "title", "slug", "carrier", "region", "kind", "summary", "for_esim", "for_physical_sim",
    "for_data_only_sim", "eligibility", "requirement", "requirement_basis",
    "requirement_basis_url", "processing_time", "fees", "official_contacts",
    "correction_notice", "is_featured",
    "last_verified_on", "verified_by", "review_interval_days",
]  # fmt: skip


def version_texts(version: Version) -> dict[str, str]:
    """A version of a guide as {label: text}: every field in every language, every row."""
    procedure, rows = _objects_in(version)
    texts = _texts(procedure, PROCEDURE_FIELDS, "")
    for number, item in enumerate(rows[ProcedureDocument], start=1):
        texts |= _texts(item, ["document", "note"], _("Document %(n)s · ") % {"n": number})
    for number, step in enumerate(rows[Step], start=1):
        texts |= _texts(step, ["channel", "title", "body"], _("Step %(n)s · ") % {"n": number})
    for number, note in enumerate(rows[Note], start=1):
        texts |= _texts(note, ["kind", "body"], _("Note %(n)s · ") % {"n": number})
    for number, faq in enumerate(rows[Faq], start=1):
        texts |= _texts(faq, ["question", "answer"], _("Question %(n)s · ") % {"n": number})
    for number, source in enumerate(rows[Source], start=1):
        texts |= _texts(source, ["title", "url", "language"], _("Source %(n)s · ") % {"n": number})
    return texts


@dataclass
class Difference:
    label: str
    old: str
    new: str

    @property
    def html(self):
        """Old and new text with the changed words (Chinese: characters) marked (<del>/<ins>)."""
        return mark_safe(textdiff.diff_html(self.old, self.new))  # noqa: S308 - escaped there


def compare_texts(old: dict[str, str], new: dict[str, str]) -> list[Difference]:
    labels = list(old) + [label for label in new if label not in old]
    return [
        Difference(label, old.get(label, ""), new.get(label, ""))
        for label in labels
        if old.get(label, "") != new.get(label, "")
    ]


def compare_versions(old: Version, new: Version) -> list[Difference]:
    return compare_texts(version_texts(old), version_texts(new))
