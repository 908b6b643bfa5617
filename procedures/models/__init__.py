"""The domain: where a reader is, which operator they deal with, and what they have to do.

Text a reader sees is translated per field with django-modeltranslation (see translation.py):
`title` is read in the active language, `title_zh_hans`, `title_zh_hant` and `title_en` hold the
three versions.

The models live in one module per job, in the order they depend on each other: catalog →
guides → publishing, translations, editorial. Import them from here (`procedures.models`), as
Django and every other module do; the app keeps one label and the same tables.
"""

from procedures.feedback.models import Feedback
from procedures.models.catalog import (
    BaseSource,
    Carrier,
    Channel,
    ContactNumber,
    Document,
    Ordered,
    Region,
    RegionSource,
    SimType,
    SourceLanguage,
)
from procedures.models.editorial import ImportedState, ProcedureEdit
from procedures.models.guides import (
    DEFAULT_REVIEW_INTERVAL_DAYS,
    Faq,
    Note,
    Procedure,
    ProcedureDocument,
    ProcedureQuerySet,
    Source,
    Step,
)
from procedures.models.publishing import (
    FAR_FUTURE,
    GuideRedirect,
    Publication,
    PublicationPage,
    PublicationQuerySet,
)
from procedures.models.translations import FieldTranslation, RevisionTranslations, TranslationStatus
from procedures.search.models import SearchDocument, SearchTerm

__all__ = [
    "BaseSource", "Carrier", "Channel", "ContactNumber", "DEFAULT_REVIEW_INTERVAL_DAYS",
    "Document", "FAR_FUTURE", "Faq", "Feedback", "FieldTranslation", "GuideRedirect",
    "ImportedState", "Note",
    "Ordered", "Procedure", "ProcedureDocument", "ProcedureEdit", "ProcedureQuerySet",
    "Publication", "PublicationPage", "PublicationQuerySet", "Region", "RegionSource",
    "RevisionTranslations", "SearchDocument", "SearchTerm", "SimType", "Source", "SourceLanguage",
    "Step", "TranslationStatus",
]  # fmt: skip
