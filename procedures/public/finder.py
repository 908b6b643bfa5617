"""The guide finder: a few questions that lead a reader to the guide for their case, in the manner
of GOV.UK's "smart answers".

Where are you (region), which operator (a carrier, or any), what do you want to do (the guide's
kind) and, for real-name registration, which document you hold. The answers travel in the query
string (`?region=macau&carrier=ctm&kind=real-name&document=passport`), so every step is a plain
GET form that works without JavaScript and every answer page is a link a reader can share. Only
live guides are found: the answers are matched against the guide index (procedures/listing.py),
the same bits the guide list filters with, so a step costs the same for 100 or 100,000 guides.
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from kb.pagecache import tag
from procedures.models import Carrier, Document, Procedure, Publication, Region
from procedures.public import cards, listing
from procedures.publishing import tags
from procedures.publishing.rendering import render_page

ANY_CARRIER = "any"
OTHER_DOCUMENT = "other"
MAX_MATCHES = 5  # more than this is a list, not an answer: the rest is one link away
QUESTIONS = ("region", "carrier", "kind", "document")


@dataclass
class Match:
    """A guide the answers lead to, with the checklist of what to bring."""

    guide: Publication
    documents: list[Document]
    scope: str  # "carrier" (the operator's own guide), "region" (every operator there), "any"


@dataclass
class FinderResult:
    """Where a reader stands in the finder: the answers understood so far, the question to ask
    next (None once every question is answered) with its choices, and the guides found."""

    region: Region | None = None
    carrier: Carrier | None = None
    any_carrier: bool = False
    kind: str = ""
    document: Document | None = None
    other_document: bool = False
    question: str | None = "region"
    choices: list = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    matches: list[Match] = field(default_factory=list)
    total: int = 0
    # The reader's document is not on any matching guide's list (the guides are shown anyway).
    document_not_listed: bool = False
    answers: list[dict] = field(default_factory=list)  # {"question", "answer", "change_url"}
    list_url: str = ""  # every match in the guide list, filtered the same way

    @property
    def kind_label(self) -> str:
        return Procedure.Kind(self.kind).label if self.kind else ""

    @property
    def hidden(self) -> list[tuple[str, str]]:
        """The answers so far, as (name, value) for the hidden fields of the next question."""
        values = {
            "region": self.region.slug if self.region else "",
            "carrier": ANY_CARRIER if self.any_carrier else (self.carrier and self.carrier.slug),
            "kind": self.kind,
        }
        position = QUESTIONS.index(self.question) if self.question else len(QUESTIONS)
        return [(name, values[name]) for name in QUESTIONS[:position] if values.get(name)]


def _url(**params) -> str:
    query = urlencode({name: value for name, value in params.items() if value})
    return reverse("procedures:finder") + ("?" + query if query else "")


def find(params) -> FinderResult:
    """Read the reader's answers from `params` (a QueryDict or dict of slugs) and work out the
    next question, or the guides they lead to.

    Unknown or inconsistent values (a carrier of another region, a kind that does not exist)
    are never an error page: the question is asked again with a message in `errors`. Costs
    three queries for the regions, carriers and documents, and one for the guides found.
    """
    result = FinderResult()
    regions = {region.slug: region for region in Region.objects.all()}
    carriers = {carrier.slug: carrier for carrier in Carrier.objects.all()}
    documents = {document.slug: document for document in Document.objects.all()}
    index = listing.guide_index()
    everywhere = index.option("region", None) & index.option("carrier", None)
    no_carrier = index.option("carrier", None)

    def value(name) -> str:
        raw = params.get(name, "")
        return raw.strip()[:120] if isinstance(raw, str) else ""

    # 1. Where are you?
    region_slug = value("region")
    if region_slug not in regions:
        if region_slug:
            result.errors.append(_("We do not know that region. Choose one from the list."))
        result.question = "region"
        result.choices = list(regions.values())
        return result
    result.region = region = regions[region_slug]
    region_wide = index.option("region", region.pk) & no_carrier
    result.answers.append({"question": _("Where are you?"), "answer": region, "change_url": _url()})

    # 2. Which operator?
    carrier_slug = value("carrier")
    own = 0
    if carrier_slug == ANY_CARRIER:
        result.any_carrier = True
        bits = index.option("region", region.pk) | everywhere
    elif carrier_slug in carriers and carriers[carrier_slug].region_id == region.pk:
        result.carrier = carriers[carrier_slug]
        own = index.option("operator", result.carrier.pk)
        bits = own | region_wide | everywhere
    else:
        if carrier_slug:
            result.errors.append(
                _("That operator is not one of this region's. Choose one from the list.")
            )
        result.question = "carrier"
        result.choices = [c for c in carriers.values() if c.region_id == region.pk]
        return result
    result.answers.append(
        {
            "question": _("Which operator?"),
            "answer": result.carrier or _("Any operator"),
            "change_url": _url(region=region.slug),
        }
    )

    # 3. What do you want to do?
    kind = value("kind")
    if kind not in Procedure.Kind.values:
        if kind:
            result.errors.append(_("We do not know that procedure. Choose one from the list."))
        result.question = "kind"
        result.choices = [
            (choice, (bits & index.option("kind", choice)).bit_count()) for choice in Procedure.Kind
        ]
        return result
    result.kind = kind
    carrier_value = ANY_CARRIER if result.any_carrier else result.carrier.slug
    result.answers.append(
        {
            "question": _("What do you want to do?"),
            "answer": result.kind_label,
            "change_url": _url(region=region.slug, carrier=carrier_value),
        }
    )
    matching = bits & index.option("kind", kind)

    # 4. For real-name registration: which document do you hold?
    document_slug = ""
    if kind == Procedure.Kind.REAL_NAME and matching:
        offered = [
            document
            for document in documents.values()
            if matching & index.option("document", document.slug)
        ]
        document_slug = value("document")
        if document_slug == OTHER_DOCUMENT:
            result.other_document = True
        elif document_slug in documents:
            result.document = documents[document_slug]
        else:
            if document_slug:
                result.errors.append(_("We do not know that document. Choose one from the list."))
            result.question = "document"
            result.choices = offered
            return result
        result.answers.append(
            {
                "question": _("Which document do you have?"),
                "answer": result.document or _("Another document"),
                "change_url": _url(region=region.slug, carrier=carrier_value, kind=kind),
            }
        )
        if result.document is not None:
            with_document = matching & index.option("document", document_slug)
            if with_document:
                matching = with_document
            else:
                result.document_not_listed = True
        else:
            result.document_not_listed = True

    result.question = None
    result.total = matching.bit_count()
    listed = {"region": region.slug, "carrier": result.carrier and result.carrier.slug}
    listed["kind"] = kind
    if result.document is not None and not result.document_not_listed:
        listed["document"] = document_slug
    result.list_url = (
        reverse("procedures:guide_list")
        + "?"
        + urlencode({name: value for name, value in listed.items() if value})
    )
    # The operator's own guides first, then the rules of the whole region, then any phone's.
    # With any operator, the carriers' own guides come after the region-wide ones.
    scopes = [("carrier", own), ("region", region_wide), ("any", everywhere)]
    if result.any_carrier:
        scopes.append(("carrier", matching & ~region_wide & ~everywhere))
    ordered: dict[int, str] = {}
    for scope, scope_bits in scopes:
        for pk in index.page(matching & scope_bits, 1, MAX_MATCHES):
            ordered.setdefault(pk, scope)
    ordered = dict(list(ordered.items())[:MAX_MATCHES])
    if ordered:
        found = {guide.pk: guide for guide in cards.listed_guides().filter(pk__in=ordered)}
        for pk, scope in ordered.items():
            guide = found.get(pk)
            if guide is None:
                continue
            slugs = guide.document_slugs.strip("|").split("|") if guide.document_slugs else []
            result.matches.append(
                Match(
                    guide=guide,
                    documents=[documents[slug] for slug in slugs if slug in documents],
                    scope=scope,
                )
            )
    return result


def finder(request):
    """The finder page: the next question, or the guides the answers lead to. Answers that make
    no sense are asked again with a message, answered 400 so no cache keeps made-up addresses."""
    result = find(request.GET)
    tag(request, tags.GUIDES)
    response = render_page(request, "procedures/finder.html", {"finder": result})
    if result.errors:
        response.status_code = 400
    return response
