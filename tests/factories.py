"""Test data. Translated fields are filled in all three languages, marked so tests can tell
which language a page shows."""

import datetime

import factory
from django.contrib.auth import get_user_model

from procedures import publishing
from procedures.models import (
    Carrier,
    ContactNumber,
    Document,
    Faq,
    Note,
    Procedure,
    ProcedureDocument,
    Region,
    Source,
    Step,
)


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region

    code = factory.Sequence(lambda n: f"R{n}")
    slug = factory.Sequence(lambda n: f"region-{n}")
    name_zh_hans = factory.Sequence(lambda n: f"简 地区 {n}")
    name_zh_hant = factory.Sequence(lambda n: f"繁 地區 {n}")
    name_en = factory.Sequence(lambda n: f"EN Region {n}")


class CarrierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Carrier

    region = factory.SubFactory(RegionFactory)
    slug = factory.Sequence(lambda n: f"carrier-{n}")
    name_zh_hans = factory.Sequence(lambda n: f"简 运营商 {n}")
    name_zh_hant = factory.Sequence(lambda n: f"繁 營辦商 {n}")
    name_en = factory.Sequence(lambda n: f"EN Carrier {n}")
    website = "https://carrier.example/"


class ContactNumberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactNumber

    carrier = factory.SubFactory(CarrierFactory)
    number = "+853 1000"
    position = factory.Sequence(lambda n: n + 1)


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Document

    slug = factory.Sequence(lambda n: f"document-{n}")
    name_zh_hans = factory.Sequence(lambda n: f"简 证件 {n}")
    name_zh_hant = factory.Sequence(lambda n: f"繁 證件 {n}")
    name_en = factory.Sequence(lambda n: f"EN Document {n}")


class ProcedureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Procedure
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"guide-{n}")
    carrier = factory.SubFactory(CarrierFactory)
    region = factory.LazyAttribute(lambda o: o.carrier.region if o.carrier else None)
    kind = Procedure.Kind.REAL_NAME
    for_esim = True
    requirement = Procedure.Requirement.REQUIRED
    title_zh_hans = factory.Sequence(lambda n: f"简 指南 {n}")
    title_zh_hant = factory.Sequence(lambda n: f"繁 指南 {n}")
    title_en = factory.Sequence(lambda n: f"EN Guide {n}")
    summary_zh_hans = "简 摘要"
    summary_zh_hant = "繁 摘要"
    summary_en = "EN summary"
    processing_time_zh_hans = "简 几分钟"
    processing_time_zh_hant = "繁 幾分鐘"
    processing_time_en = "EN a few minutes"
    fees_zh_hans = "简 免费"
    fees_zh_hant = "繁 免費"
    fees_en = "EN free"
    official_contacts_zh_hans = "简 热线 1000"
    official_contacts_zh_hant = "繁 熱線 1000"
    official_contacts_en = "EN hotline 1000"
    status = Procedure.Status.PUBLISHED
    last_verified_on = datetime.date(2026, 11, 1)

    @factory.post_generation
    def with_source(obj, create, extracted, **kwargs):
        """A published guide always has an official source (publishing requires one), and
        readers see it: its working copy is published as it is."""
        if create and obj.status == Procedure.Status.PUBLISHED:
            if extracted is not False:
                SourceFactory(procedure=obj)
            publish(obj)


class ProcedureDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProcedureDocument

    procedure = factory.SubFactory(ProcedureFactory)
    document = factory.SubFactory(DocumentFactory)
    position = factory.Sequence(lambda n: n + 1)


class StepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Step

    procedure = factory.SubFactory(ProcedureFactory)
    channel = "website"
    position = factory.Sequence(lambda n: n + 1)
    title_zh_hans = factory.Sequence(lambda n: f"简 步骤 {n}")
    title_zh_hant = factory.Sequence(lambda n: f"繁 步驟 {n}")
    title_en = factory.Sequence(lambda n: f"EN Step {n}")
    body_zh_hans = "简 内容"
    body_zh_hant = "繁 內容"
    body_en = "EN body"


class NoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Note

    procedure = factory.SubFactory(ProcedureFactory)
    kind = Note.Kind.BEFORE
    position = factory.Sequence(lambda n: n + 1)
    body_zh_hans = "简 注意"
    body_zh_hant = "繁 注意"
    body_en = "EN note"


class FaqFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Faq

    procedure = factory.SubFactory(ProcedureFactory)
    position = factory.Sequence(lambda n: n + 1)
    question_zh_hans = "简 问题"
    question_zh_hant = "繁 問題"
    question_en = "EN question"
    answer_zh_hans = "简 回答"
    answer_zh_hant = "繁 回答"
    answer_en = "EN answer"


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    procedure = factory.SubFactory(ProcedureFactory)
    position = factory.Sequence(lambda n: n + 1)
    url = "https://regulator.example/rules"
    title_zh_hans = "简 来源"
    title_zh_hant = "繁 來源"
    title_en = "EN source"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")

    @factory.post_generation
    def persist(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def member_of(group: str, **fields):
    """A staff user in one of the editorial roles: "Editor", "Translator" or "Publisher"."""
    from django.contrib.auth.models import Group

    user = UserFactory(is_staff=True, **fields)
    user.groups.add(Group.objects.get(name=group))
    return user


def publish(guide: Procedure):
    """Show readers the guide as it is now (rows added after creating it included)."""
    return publishing.publication_create(procedure=guide)


def full_guide(*, steps_per_channel: int = 3, channels=("website", "store"), **kwargs):
    """A published guide with every part a guide page shows."""
    guide = ProcedureFactory(**kwargs)
    for channel in channels:
        StepFactory.create_batch(steps_per_channel, procedure=guide, channel=channel)
    ProcedureDocumentFactory.create_batch(2, procedure=guide)
    NoteFactory(procedure=guide, kind=Note.Kind.BEFORE)
    NoteFactory(procedure=guide, kind=Note.Kind.WARNING)
    NoteFactory(procedure=guide, kind=Note.Kind.TROUBLE)
    FaqFactory.create_batch(2, procedure=guide)
    if not guide.sources.exists():
        SourceFactory(procedure=guide)
    if guide.carrier:
        ContactNumberFactory(carrier=guide.carrier)
    if guide.status == Procedure.Status.PUBLISHED:
        publish(guide)
    return guide
