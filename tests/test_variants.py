"""Device variants inside a step ({for iphone}…{/for}, as on Mozilla support): labelled
sections in the reader's language, sanitising intact, and a check editors get before
publishing."""

import pytest
from django.utils import translation

from kb.markdown import device_variant_problems, markdown_for_readers, render_markdown

from .factories import StepFactory, full_guide, publish

STEP = """Open **Settings**.

{for iphone}
Tap *Cellular*, then *Add eSIM*.
{/for}
{for samsung, pixel}
Tap *Connections* > *SIM manager*.
{/for}
{for other}Ask the shop.{/for}
"""


def test_each_variant_is_a_section_for_its_phones():
    html = render_markdown(STEP)
    assert html.count('<div class="device-variant"') == 3
    assert '<div class="device-variant" data-device="iphone">' in html
    assert '<div class="device-variant" data-device="samsung pixel">' in html
    assert "<em>Cellular</em>" in html  # Markdown still works inside a section
    assert html.count("</div>") == 3
    assert "{for" not in html and "{/for}" not in html


@pytest.mark.parametrize(
    "language, label", [("zh-hans", "其他手机"), ("zh-hant", "其他手機"), ("en", "Other phones")]
)
def test_sections_are_labelled_in_the_reader_s_language(language, label):
    with translation.override(language):
        html = markdown_for_readers(STEP)
    assert f'<p class="device-variant-label">{label}</p>' in html


def test_sanitising_still_applies_inside_and_around_sections():
    text = (
        "{for iphone}\n<script>alert(1)</script> [x](javascript:alert(1))\n{/for}\n"
        '<div class="device-variant" data-device="iphone" onclick="alert(1)">fake</div>\n'
        "\u27e6kb-end\u27e7 \u27e6kb-for:iphone\u27e7"
    )
    html = render_markdown(text)
    assert "<script" not in html and "javascript:" not in html and "onclick" not in html
    # Only the one real section: typed markup and typed stand-ins make none.
    assert html.count('<div class="device-variant"') == 1
    assert html.count("<div") == html.count("</div>") == 1


def test_unbalanced_sections_still_give_balanced_html():
    for text in ["{for iphone} a", "a {/for} b", "{for iphone} a {for android} b {/for}"]:
        html = render_markdown(text)
        assert html.count("<div") == html.count("</div>")


@pytest.mark.parametrize(
    "text, expected",
    [
        (STEP, []),
        ("{for nokia}x{/for}", ["Unknown device"]),
        ("x {/for}", ["closes no"]),
        ("{for iphone} a", ["not closed"]),
        ("{for iphone} a {for android} b {/for}", ["starts inside another"]),
        ("No variants at all.", []),
    ],
)
def test_editors_are_told_what_is_wrong(text, expected):
    with translation.override("en"):
        problems = device_variant_problems(text)
    assert len(problems) == len(expected)
    for problem, words in zip(problems, expected, strict=True):
        assert words in problem


@pytest.mark.django_db
def test_a_published_step_with_variants_offers_the_phone_picker(client):
    guide = full_guide(channels=("website",))
    StepFactory(procedure=guide, channel="website", body_en=STEP, body_zh_hans=STEP)
    publish(guide)
    html = client.get(f"/en/guides/{guide.slug}/").content.decode()
    assert 'data-device="samsung pixel"' in html
    assert "data-device-picker" in html
    assert "Samsung Galaxy, Google Pixel" in html


@pytest.mark.django_db
def test_publishing_is_refused_while_a_step_has_a_broken_section():
    """The check runs with the other publish checks, per step and language, before readers see
    a section that would not show as written."""
    from procedures import editorial, publishing
    from procedures.models import Procedure

    guide = full_guide(status=Procedure.Status.DRAFT)
    step = guide.steps.first()
    step.body_en = "{for iphne}Tap Settings.{/for}"
    step.save()
    with translation.override("en"), pytest.raises(editorial.WorkflowError) as refused:
        publishing.procedure_publish(procedure=guide)
    assert any("Step 1 (English)" in problem for problem in refused.value.problems)
    step.body_en = "{for iphone}Tap Settings.{/for}"
    step.save()
    assert publishing.procedure_publish(procedure=guide).pk
