"""Addresses that reach the database by any road (an import, a shell, a future API) become links
on readers' pages only when they are http or https; imports refuse the others."""

import re

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from kb.links import is_web_url
from procedures.importing import demo as importing
from procedures.models import Carrier, Procedure, RegionSource, Source

from .factories import RegionFactory, full_guide, publish

pytestmark = pytest.mark.django_db

HOSTILE = [
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "//evil.example/",
    "https:alert(1)",
]
HREF = re.compile(r'href="([^"]*)"')


def hrefs(html: str) -> list[str]:
    return HREF.findall(html)


def plant(url: str):
    """A guide, its carrier and region whose stored addresses are all `url` (written with
    update(), as a shell or an import that skips validation would)."""
    guide = full_guide()
    guide.region.summary_en = "The rules."
    guide.region.save()
    RegionSource.objects.create(region=guide.region, url="https://ok.example/", title="R src")
    Carrier.objects.filter(pk=guide.carrier_id).update(website=url)
    Procedure.objects.filter(pk=guide.pk).update(
        requirement_basis_url=url, requirement_basis_en="Law 1"
    )
    Source.objects.filter(procedure=guide).update(url=url)
    RegionSource.objects.filter(region=guide.region).update(url=url)
    guide.refresh_from_db()
    publish(guide)
    return guide


@pytest.mark.parametrize("url", HOSTILE)
def test_no_stored_address_becomes_a_link_unless_it_is_http(client, url):
    guide = plant(url)
    for page in [
        "/en/",
        f"/en/carriers/{guide.carrier.slug}/",
        f"/en/regions/{guide.region.slug}/",
        f"/en/guides/{guide.slug}/",
    ]:
        response = client.get(page)
        assert response.status_code == 200
        for href in hrefs(response.content.decode()):
            assert href.startswith(("/", "http://", "https://", "#", "?", "tel:")), (page, href)
            assert not href.startswith("//"), (page, href)


def test_web_addresses_stay_links(client):
    guide = plant("https://ctm.example/rules")
    for page in [f"/en/carriers/{guide.carrier.slug}/", f"/en/guides/{guide.slug}/"]:
        assert "https://ctm.example/rules" in hrefs(client.get(page).content.decode())
    region = client.get(f"/en/regions/{guide.region.slug}/").content.decode()
    assert "https://ctm.example/rules" in hrefs(region)


addresses = st.builds(
    lambda lead, scheme, separator, rest: lead + scheme + separator + rest,
    st.sampled_from(["", " ", "\t", "\x00"]),
    st.sampled_from(["http", "HTTPS", "javascript", "JavaScript", "java\tscript", "data", "ftp"]),
    st.sampled_from(["://", ":", ":/", ""]),
    st.text(max_size=30),
)


@hypothesis_settings(max_examples=300)
@given(url=addresses)
def test_only_absolute_http_addresses_are_web_addresses(url):
    """What a browser would follow as something other than a web page is never accepted."""
    if is_web_url(url):
        assert url.lower().startswith(("http://", "https://"))
        assert not any(ord(c) < 32 for c in url)
        assert url.split("://", 1)[1][:1] not in ("", "/")


def guide_data(**changes):
    data = {
        "slug": "imported",
        "region": "macau",
        "kind": "real-name",
        "title": "T",
        "summary": "S",
        "last_verified_on": "2026-11-01",
        "sources": [{"title": "Law", "url": "https://law.example/"}],
    }
    return data | changes


@pytest.mark.parametrize("url", HOSTILE)
def test_imports_refuse_addresses_that_are_not_http(url):
    RegionFactory(slug="macau")
    report = importing.ImportReport()
    with pytest.raises(importing.ContentError, match="not an http or https address"):
        importing.guide_import(data=guide_data(requirement_basis_url=url), report=report)
    with pytest.raises(importing.ContentError, match="not an http or https address"):
        importing.guide_import(
            data=guide_data(sources=[{"title": "Law", "url": url}]), report=report
        )
    region = {"slug": "macau", "code": "MO", "name": "M"}
    with pytest.raises(importing.ContentError, match="not an http or https address"):
        importing.regions_import(
            data={"regions": [region | {"sources": [{"title": "Law", "url": url}]}]},
            report=report,
        )
    with pytest.raises(importing.ContentError, match="not an http or https address"):
        importing.regions_import(
            data={"regions": [region | {"carriers": [{"slug": "c", "name": "C", "website": url}]}]},
            report=report,
        )
    assert not Procedure.objects.filter(slug="imported").exists()
    assert not Carrier.objects.filter(slug="c").exists()
