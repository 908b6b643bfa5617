"""What a reader sees of a list of guides: the cards of a page, in order, read from its HTML."""

import html
import re

CARD_TITLE = re.compile(
    r'<h3 class="card-title"><a href="/[a-z-]+/guides/(?P<slug>[^/"]+)/">(?P<title>.*?)</a></h3>'
)
RESULTS = re.compile(r'<section class="results".*?</section>', re.S)


def cards(response) -> list[tuple[str, str]]:
    """(slug, title) of each guide card in the results of a list page, in order; titles as
    shown, without any language mark."""
    section = RESULTS.search(response.content.decode())
    if section is None:
        return []
    return [
        (match["slug"], html.unescape(re.sub(r"<[^>]+>", "", match["title"])))
        for match in CARD_TITLE.finditer(section.group())
    ]
