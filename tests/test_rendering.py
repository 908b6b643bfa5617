"""Publishing renders a guide's page body and card once per language; readers get that stored
HTML while it matches the running code, and a live rendering otherwise."""

import io

import pytest
from django.core.management import call_command

from procedures.models import Publication
from procedures.rendering import render_stamp

from .factories import full_guide

pytestmark = pytest.mark.django_db


@pytest.fixture
def published():
    guide = full_guide(title_en="Stored guide")
    return guide, Publication.objects.live().get(procedure=guide)


def test_publishing_stores_the_body_and_card_in_every_language(published):
    _guide, publication = published
    assert publication.rendered_stamp == render_stamp()
    assert set(publication.body_html) == set(publication.card_html) == {"zh-hans", "zh-hant", "en"}
    assert "Stored guide" in publication.body_html["en"]
    assert "简 指南" in publication.body_html["zh-hans"] and "Step 1" in publication.body_html["en"]
    assert "Stored guide" in publication.card_html["en"]


def test_readers_get_the_stored_rendering(client, published):
    guide, publication = published
    publication.body_html["en"] = publication.body_html["en"].replace("Stored guide", "From store")
    publication.card_html["en"] = publication.card_html["en"].replace("Stored guide", "Card store")
    publication.save()
    assert "From store" in client.get(f"/en/guides/{guide.slug}/").content.decode()
    assert "Card store" in client.get("/en/guides/").content.decode()


def test_a_rendering_made_by_other_code_is_not_used(client, published):
    guide, publication = published
    publication.body_html["en"] = "<p>made by an older release</p>"
    publication.rendered_stamp = "older-release"
    publication.save()
    html = client.get(f"/en/guides/{guide.slug}/").content.decode()
    assert "older release" not in html and "Stored guide" in html

    out = io.StringIO()
    call_command("rerender", stdout=out)
    assert "Rendered 1 guides again." in out.getvalue()
    publication.refresh_from_db()
    assert publication.rendered_stamp == render_stamp()
    assert "Stored guide" in publication.body_html["en"]


def test_renaming_the_carrier_renders_its_guides_again(client, published):
    guide, publication = published
    carrier = guide.carrier
    carrier.name_en = "Renamed Carrier"
    carrier.save()
    publication.refresh_from_db()
    assert "Renamed Carrier" in publication.body_html["en"]
    assert "Renamed Carrier" in publication.card_html["en"]
    assert "Renamed Carrier" in client.get(f"/en/guides/{guide.slug}/").content.decode()
