"""What a page says about itself and how a reader moves around it, checked in the HTML: Open
Graph tags, the favicon, breadcrumbs with their structured data (safe whatever an editor types),
step anchors, and the guide list's active filters as chips that each remove one filter."""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings

from .factories import CarrierFactory, ProcedureFactory, full_guide

pytestmark = pytest.mark.django_db


def meta(html: str, prop: str) -> str:
    found = re.search(rf'<meta property="{re.escape(prop)}" content="([^"]*)">', html)
    assert found, prop
    return found.group(1)


def structured_data(html: str) -> dict:
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert found
    return json.loads(found.group(1))


def test_a_guide_page_has_open_graph_tags_and_a_favicon(client):
    guide = full_guide(title_en="Register a Macao eSIM", summary_en="What to bring and do.")
    html = client.get(f"/en/guides/{guide.slug}/").content.decode()
    assert meta(html, "og:title") == "Register a Macao eSIM"
    assert meta(html, "og:description") == "What to bring and do."
    assert meta(html, "og:type") == "article"
    assert meta(html, "og:url") == f"http://testserver/en/guides/{guide.slug}/"
    icon = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', html).group(1)
    assert Path(settings.BASE_DIR, "static", icon.removeprefix(settings.STATIC_URL)).exists()
    home = client.get("/zh-hans/").content.decode()
    assert meta(home, "og:type") == "website" and meta(home, "og:site_name")


def test_a_guide_page_has_breadcrumbs_and_a_breadcrumb_list(client):
    guide = full_guide(title_en="Register a Macao eSIM")
    html = client.get(f"/en/guides/{guide.slug}/").content.decode()
    nav = html.split('<nav class="breadcrumbs"', 1)[1].split("</nav>", 1)[0]
    assert 'href="/en/"' in nav
    assert f'href="/en/regions/{guide.region.slug}/"' in nav
    assert f'href="/en/carriers/{guide.carrier.slug}/"' in nav
    items = structured_data(html)["itemListElement"]
    assert [item["name"] for item in items] == [
        "Home",
        guide.region.name_en,
        guide.carrier.name_en,
        "Register a Macao eSIM",
    ]
    assert items[-1]["item"] == f"/en/guides/{guide.slug}/"


def test_an_editors_title_cannot_close_the_structured_data_block(client):
    guide = ProcedureFactory(title_en='</script><script>alert("x")</script>')
    html = client.get(f"/en/guides/{guide.slug}/").content.decode()
    block = html.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert "<" not in block
    assert structured_data(html)["itemListElement"][-1]["name"] == guide.title_en


def test_list_carrier_and_region_pages_have_breadcrumbs_with_absolute_addresses(client):
    carrier = CarrierFactory(name_en="CTM")
    ProcedureFactory(carrier=carrier)
    for path, last in [
        ("/en/guides/", "Guides"),
        (f"/en/carriers/{carrier.slug}/", "CTM"),
        (f"/en/regions/{carrier.region.slug}/", carrier.region.name_en),
    ]:
        html = client.get(path).content.decode()
        assert '<nav class="breadcrumbs"' in html
        items = structured_data(html)["itemListElement"]
        assert items[0]["item"] == "http://testserver/en/"
        assert items[-1] == {
            "@type": "ListItem",
            "position": len(items),
            "name": last,
            "item": f"http://testserver{path}",
        }


def test_every_step_has_an_anchor_named_after_its_way_and_place(client):
    guide = full_guide(steps_per_channel=3, channels=("website", "store"))
    for language in ("en", "zh-hant"):
        html = client.get(f"/{language}/guides/{guide.slug}/").content.decode()
        anchors = re.findall(r'<li class="step" id="([^"]+)">', html)
        assert anchors == [f"step-{way}-{n}" for way in ("website", "store") for n in (1, 2, 3)]
        for anchor in anchors:
            assert f'<a class="step-link" href="#{anchor}"' in html
    assert 'class="initials"' not in html  # no clipped initials for an operator


def test_chips_show_the_active_filters_and_each_link_removes_one(client):
    carrier = CarrierFactory(name_en="CTM")
    ProcedureFactory(carrier=carrier)
    region = carrier.region.slug
    html = client.get(
        f"/en/guides/?region={region}&carrier={carrier.slug}&q=guide&page=1"
    ).content.decode()
    assert "Filter (2)" in html  # the search is not a filter: it has its own chip
    chips = re.findall(r'<li class="chip"><span>([^<]+)</span> <a href="([^"]+)"', html)
    assert [label for label, _url in chips] == [
        "Search: guide",
        f"Region: {carrier.region.name_en}",
        "Carrier: CTM",
    ]
    removes = {label: url.replace("&amp;", "&") for label, url in chips}
    assert removes["Carrier: CTM"] == f"/en/guides/?region={region}&q=guide"
    assert removes[f"Region: {carrier.region.name_en}"] == (
        f"/en/guides/?carrier={carrier.slug}&q=guide"
    )
    assert removes["Search: guide"] == f"?region={region}&carrier={carrier.slug}"


def test_an_invalid_filter_is_no_chip_and_opens_the_filters(client):
    html = client.get("/en/guides/?region=nowhere").content.decode()
    assert "Filter (0)" in html
    assert '<li class="chip">' not in html
    assert '<details class="filter-panel open-when-wide" open>' in html
