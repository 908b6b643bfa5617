"""The vocabulary of the page cache's tags: what a cached page (or API answer) showed, so that
changing it drops exactly those pages (kb/pagecache/). Every tag name is made here, by a
function, so a misspelt tag is a NameError rather than a page that silently stays stale.

A page tags what it shows (`pagecache.tag(request, tags.guide(pk))`); a change bumps what
changed (`pagecache.bump(tags.guide(pk), tags.GUIDES)`).
"""

# Every page that lists or counts guides (lists, home, region and carrier pages, feeds,
# sitemap, API lists): bumped whenever a publication starts or ends, or a catalogue row changes.
GUIDES = "guides"


def guide(procedure_id: int) -> str:
    """The pages of one guide (its page, its API detail): by the procedure's id, which stays
    the same across publications."""
    return f"guide:{int(procedure_id)}"


def carrier(carrier_id: int) -> str:
    """Pages that show a carrier's own texts (its page, guides naming it, its numbers)."""
    return f"carrier:{int(carrier_id)}"


def region(region_id: int) -> str:
    """Pages that show a region's own texts (its page, guides naming it)."""
    return f"region:{int(region_id)}"
