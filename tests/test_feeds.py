"""Atom feeds are valid Atom (RFC 4287) and say truthfully what their texts are."""

import xml.etree.ElementTree as ET

import pytest

from .conftest import LANGUAGES
from .factories import ProcedureFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def atom_problems(document: bytes) -> list[str]:
    """What breaks RFC 4287 in a feed (the rules a feed reader relies on)."""
    problems = []
    feed = ET.fromstring(document)
    if feed.tag != f"{ATOM}feed":
        return [f"root is {feed.tag}"]

    def once(element, name, where):
        if len(element.findall(f"{ATOM}{name}")) != 1:
            problems.append(f"{where}: needs exactly one {name}")

    def text_constructs(element, where):
        for name in ("title", "subtitle", "summary", "rights"):
            for child in element.findall(f"{ATOM}{name}"):
                kind = child.get("type", "text")
                if kind not in ("text", "html", "xhtml"):
                    problems.append(f"{where} {name}: type {kind!r}")
                if kind in ("text", "html") and len(child):
                    problems.append(f"{where} {name}: child elements in {kind} content")

    for name in ("id", "title", "updated"):
        once(feed, name, "feed")
    text_constructs(feed, "feed")
    entries = feed.findall(f"{ATOM}entry")
    if not feed.findall(f"{ATOM}author") and not all(
        entry.findall(f"{ATOM}author") for entry in entries
    ):
        problems.append("feed: no author, and not every entry has one")
    for number, entry in enumerate(entries, start=1):
        where = f"entry {number}"
        for name in ("id", "title", "updated"):
            once(entry, name, where)
        text_constructs(entry, where)
        links = entry.findall(f"{ATOM}link")
        if not entry.findall(f"{ATOM}content") and not any(
            link.get("rel", "alternate") == "alternate" for link in links
        ):
            problems.append(f"{where}: no content and no alternate link")
    return problems


@pytest.mark.parametrize("language", LANGUAGES)
def test_feeds_are_valid_atom(client, language):
    guide = ProcedureFactory()
    for url in [
        f"/{language}/feeds/guides.atom",
        f"/{language}/feeds/carriers/{guide.carrier.slug}.atom",
    ]:
        response = client.get(url)
        assert response.status_code == 200
        assert atom_problems(response.content) == [], url


def test_an_editors_summary_reaches_feed_readers_as_the_text_they_typed(client):
    typed = "Bring <b>your passport</b> & a <script>copy</script>"
    ProcedureFactory(summary_en=typed)
    feed = ET.fromstring(client.get("/en/feeds/guides.atom").content)
    summary = feed.find(f"{ATOM}entry/{ATOM}summary")
    assert summary.get("type", "text") == "text"
    assert summary.text == typed
