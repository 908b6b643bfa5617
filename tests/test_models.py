"""What the database refuses, and the rules that hold across languages."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from procedures.models import Procedure

from .factories import CarrierFactory, ProcedureFactory, RegionFactory, StepFactory

pytestmark = pytest.mark.django_db


def test_a_closed_carrier_needs_its_closing_date():
    region = RegionFactory()
    carrier = CarrierFactory.build(is_active=False, closed_on=None, region=region)
    with translation.override("en"), pytest.raises(ValidationError, match="needs a closing date"):
        carrier.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        carrier.save()


def test_two_steps_of_a_guide_cannot_share_a_position():
    guide = ProcedureFactory()
    StepFactory(procedure=guide, position=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        StepFactory(procedure=guide, position=1)


def test_a_guide_takes_its_region_from_its_carrier():
    carrier = CarrierFactory()
    guide = ProcedureFactory.build(carrier=carrier, region=None, slug="x")
    guide.full_clean()
    assert guide.region == carrier.region


def test_a_guide_cannot_sit_in_another_region_than_its_carrier():
    guide = ProcedureFactory.build(carrier=CarrierFactory(), region=RegionFactory(), slug="x")
    with translation.override("en"), pytest.raises(ValidationError, match="carrier's region"):
        guide.full_clean()


@pytest.mark.parametrize(
    "language, expected",
    [("zh-hans", "简 Only Chinese"), ("zh-hant", "简 Only Chinese"), ("en", "简 Only Chinese")],
)
def test_missing_translations_fall_back_explicitly(language, expected):
    guide = ProcedureFactory(title_zh_hans="简 Only Chinese", title_zh_hant="", title_en="")
    with translation.override(language):
        assert Procedure.objects.get(pk=guide.pk).title == expected


def test_traditional_falls_back_to_simplified_before_english():
    guide = ProcedureFactory(title_zh_hans="简体", title_zh_hant="", title_en="English")
    with translation.override("zh-hant"):
        assert Procedure.objects.get(pk=guide.pk).title == "简体"
    with translation.override("en"):
        assert Procedure.objects.get(pk=guide.pk).title == "English"


def test_only_published_guides_are_public():
    published = ProcedureFactory()
    ProcedureFactory(status=Procedure.Status.DRAFT)
    assert list(Procedure.objects.published()) == [published]
