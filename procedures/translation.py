"""Which fields editors translate. Fallback languages are set in settings
(MODELTRANSLATION_FALLBACK_LANGUAGES)."""

from modeltranslation.translator import TranslationOptions, register

from procedures.models import (
    Carrier,
    ContactNumber,
    Document,
    Faq,
    Note,
    Procedure,
    ProcedureDocument,
    Publication,
    PublicationPage,
    Region,
    RegionSource,
    Source,
    Step,
)


@register(Region)
class RegionTranslation(TranslationOptions):
    fields = ("name", "summary")


@register(Carrier)
class CarrierTranslation(TranslationOptions):
    fields = ("name", "status_note")


@register(ContactNumber)
class ContactNumberTranslation(TranslationOptions):
    fields = ("label",)


@register(Document)
class DocumentTranslation(TranslationOptions):
    fields = ("name", "description")


@register(Procedure)
class ProcedureTranslation(TranslationOptions):
    fields = (
        "title",
        "summary",
        "requirement_basis",
        "eligibility",
        "processing_time",
        "fees",
        "official_contacts",
        "correction_notice",
    )


@register(ProcedureDocument)
class ProcedureDocumentTranslation(TranslationOptions):
    fields = ("note",)


@register(Step)
class StepTranslation(TranslationOptions):
    fields = ("title", "body")


@register(Note)
class NoteTranslation(TranslationOptions):
    fields = ("body",)


@register(Faq)
class FaqTranslation(TranslationOptions):
    fields = ("question", "answer")


@register(Source)
class SourceTranslation(TranslationOptions):
    fields = ("title",)


@register(RegionSource)
class RegionSourceTranslation(TranslationOptions):
    fields = ("title",)


@register(Publication)
class PublicationTranslation(TranslationOptions):
    fields = ("title", "summary", "change_note")


@register(PublicationPage)
class PublicationPageTranslation(TranslationOptions):
    # Rendered per language when publishing; never empty for a language, so no fallbacks.
    fields = ("rendered_body", "rendered_card")
    fallback_languages = {"default": ()}
