"""Publishing renders a guide's page body and card once per language; readers get that stored
HTML while it matches the running code, and a live rendering otherwise."""

import io

import pytest
from django.core.management import call_command
from django.utils import translation

from procedures.models import Publication
from procedures.public import cards
from procedures.publishing.rendering import render_stamp

from .factories import full_guide

pytestmark = pytest.mark.django_db


@pytest.fixture
def published():
    guide = full_guide(title_en="Stored guide")
    return guide, Publication.objects.live().get(procedure=guide)


def test_publishing_stores_the_body_and_card_in_every_language(published):
    _guide, publication = published
    page = publication.page
    assert publication.rendered_stamp == render_stamp()
    assert "Stored guide" in page.rendered_body_en and "Step 1" in page.rendered_body_en
    assert "简 指南" in page.rendered_body_zh_hans and "第 1 步" in page.rendered_body_zh_hans
    assert "繁 指南" in page.rendered_body_zh_hant
    assert "Stored guide" in page.rendered_card_en and "简 指南" in page.rendered_card_zh_hans


def test_readers_get_the_stored_rendering(client, published):
    guide, publication = published
    page = publication.page
    page.rendered_body_en = page.rendered_body_en.replace("Stored guide", "From store")
    page.rendered_card_en = page.rendered_card_en.replace("Stored guide", "Card store")
    page.save()
    assert "From store" in client.get(f"/en/guides/{guide.slug}/").content.decode()
    assert "Card store" in client.get("/en/guides/").content.decode()


def test_a_rendering_made_by_other_code_is_not_used(client, published):
    guide, publication = published
    publication.page.rendered_body_en = "<p>made by an older release</p>"
    publication.page.save()
    Publication.objects.filter(pk=publication.pk).update(rendered_stamp="older-release")
    html = client.get(f"/en/guides/{guide.slug}/").content.decode()
    assert "older release" not in html and "Stored guide" in html

    out = io.StringIO()
    call_command("rerender", stdout=out)
    assert "Rendered 1 guides again." in out.getvalue()
    publication.refresh_from_db()
    publication.page.refresh_from_db()
    assert publication.rendered_stamp == render_stamp()
    assert "Stored guide" in publication.page.rendered_body_en


def test_a_card_made_by_other_code_is_rendered_again_on_lists(client, published):
    _guide, publication = published
    full_guide(title_en="Current guide")
    publication.page.rendered_card_en = "<p>card of an older release</p>"
    publication.page.save()
    Publication.objects.filter(pk=publication.pk).update(rendered_stamp="older-release")
    html = client.get("/en/guides/").content.decode()
    assert "older release" not in html
    assert "Stored guide" in html and "Current guide" in html


def test_a_stale_card_replaced_while_its_page_is_read_is_left_out(published, monkeypatch):
    """A card made by other code is read again with the whole publication; if that one was
    replaced in between (a scheduled publication went live), the list leaves it out rather
    than showing an empty card."""
    _guide, publication = published
    Publication.objects.filter(pk=publication.pk).update(rendered_stamp="older-release")
    monkeypatch.setattr(cards, "listed_guides", lambda: Publication.objects.none())
    with translation.override("en"):
        assert cards.guide_cards([publication.pk]) == []


def test_renaming_the_carrier_renders_its_guides_again(client, published):
    guide, publication = published
    carrier = guide.carrier
    carrier.name_en = "Renamed Carrier"
    carrier.save()
    publication.page.refresh_from_db()
    assert "Renamed Carrier" in publication.page.rendered_body_en
    assert "Renamed Carrier" in publication.page.rendered_card_en
    assert "Renamed Carrier" in client.get(f"/en/guides/{guide.slug}/").content.decode()
