"""Related guides on a guide page: other live guides of the same kind for the same operator or
region, then the operator's other guides.

The guide body is rendered when publishing and stored; this list is read when the page around
it is rendered, and the page cache (kb/pagecache/) keeps the page with it: a cached page costs
nothing more. The page carries the cache tags of the guides it lists, so changing or
withdrawing one of them renders it again. The read uses the in-process guide index
(public/listing.py) and one query for the cards, whatever the number of guides.
"""

from functools import cached_property

from procedures.public import listing, selectors
from procedures.publishing import tags

RELATED_LIMIT = 4


def related_guides(*, publication_id: int, carrier_id, region_id, limit: int = RELATED_LIMIT):
    """Up to `limit` live guides related to the live publication `publication_id`, best first.

    Takes the publication's id and its carrier and region ids (either may be None). Returns
    listed guides (cards, as on the guide list): first the same kind for the same carrier,
    then the same kind in the same region (region-wide guides included, or, for a guide that
    applies everywhere, other such guides), then the carrier's guides of other kinds. Returns
    [] when the publication is not live (a preview, or one that just ended). One query.
    """
    index = listing.guide_index()
    try:
        position = index.ids.index(publication_id)
    except ValueError:
        return []
    own = 1 << position
    same_kind = next((bits for bits in index.facets["kind"].values() if bits & own), 0)
    same_carrier = index.option("operator", carrier_id) if carrier_id else 0
    if region_id is not None:
        same_region = index.option("region", region_id)
    elif carrier_id is None:  # a guide for any phone, anywhere: others like it
        same_region = index.option("region", None) & index.option("carrier", None)
    else:
        same_region = 0
    ids: list[int] = []
    for bits in (
        same_kind & same_carrier,
        same_kind & same_region,
        same_carrier & ~same_kind,
    ):
        for pk in index.page(bits & ~own, 1, limit):
            if pk not in ids:
                ids.append(pk)
        if len(ids) >= limit:
            break
    if not ids:
        return []
    return selectors.guide_cards(ids[:limit])


class RelatedGuides:
    """The related guides of a guide page, read only when the page's template asks for them
    (so never for a page served from the page cache). Iterable in a template."""

    def __init__(self, guide):
        self.guide = guide

    @cached_property
    def guides(self) -> list[selectors.ListedGuide]:
        publication = getattr(self.guide, "publication", None)
        if publication is None:  # an editors' preview: nothing live to relate it to
            return []
        return related_guides(
            publication_id=publication.pk,
            carrier_id=self.guide.carrier_id,
            region_id=self.guide.region_id,
        )

    def __iter__(self):
        return iter(self.guides)

    def __bool__(self) -> bool:
        return bool(self.guides)

    def cache_tags(self) -> list[str]:
        """The page-cache tags of the guides listed, once the page has been rendered."""
        if "guides" not in self.__dict__:
            return []
        return [tags.guide(guide.procedure_id) for guide in self.guides]
