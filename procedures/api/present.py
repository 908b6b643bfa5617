"""Live content turned into the API's shapes (schemas.py), in the active language, with each
text's real language as `snapshots.pick` finds it: the same fallbacks and machine conversions
as the pages, from the same data (a publication's snapshot, a carrier's or region's row)."""

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils.translation import get_language

from procedures.api import schemas
from procedures.api.schemas import optional_text, text
from procedures.models import Carrier as CarrierRow
from procedures.models import Channel, Publication
from procedures.models import Region as RegionRow
from procedures.translations.reading import field_text, pick


def _absolute(request, path: str) -> str:
    return request.build_absolute_uri(path)


def _page(request, name: str, slug: str) -> str:
    """The reader's page of an object, in the active language. Reversed in the site's URLconf:
    requests to /api/v1/ are routed with the API's own (middleware.py)."""
    url = reverse(f"procedures:{name}", kwargs={"slug": slug}, urlconf=settings.ROOT_URLCONF)
    return request.build_absolute_uri(url)


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def guide_card(request, publication: Publication) -> schemas.GuideCard:
    """A live guide as listed (expects its carrier and region loaded: no query)."""
    carrier, region = publication.carrier, publication.region
    return schemas.GuideCard(
        slug=publication.slug,
        title=text(field_text(publication, "title")),
        summary=text(field_text(publication, "summary")),
        kind=publication.kind,
        requirement=publication.requirement,
        sim_types=[str(value) for value in publication.sim_types],
        carrier=schemas.Ref(slug=carrier.slug, name=text(field_text(carrier, "name")))
        if carrier
        else None,
        region=schemas.Ref(slug=region.slug, name=text(field_text(region, "name")))
        if region
        else None,
        last_verified_on=publication.last_verified_on,
        live_from=publication.live_from,
        languages=publication.language_codes,
        url=_page(request, "guide_detail", publication.slug),
    )


def _guide_carrier(block: dict | None) -> schemas.GuideCarrier | None:
    if block is None:
        return None
    return schemas.GuideCarrier(
        slug=block["slug"],
        name=text(pick(block["name"])),
        in_service=block["is_active"],
        contact_numbers=[
            schemas.ContactNumber(
                number=number["number"],
                tel_href=number["tel_href"],
                label=optional_text(pick(number["label"])),
            )
            for number in block["contact_numbers"]
        ],
    )


def _channels(steps: list[dict]) -> list[schemas.Channel]:
    """Steps grouped by channel, in the order the channels first appear (as on the page)."""
    groups: dict[str, list[schemas.Step]] = {}
    for step in steps:
        groups.setdefault(step["channel"], []).append(
            schemas.Step(title=text(pick(step["title"])), body=optional_text(pick(step["body"])))
        )
    return [
        schemas.Channel(channel=channel, label=str(Channel(channel).label), steps=items)
        for channel, items in groups.items()
    ]


def _outdated(content: dict) -> schemas.Outdated | None:
    stale = content.get("translation", {}).get("stale", {}).get(get_language())
    if not stale:
        return None
    return schemas.Outdated(source_language=stale["source"], updated_on=_date(stale["updated"]))


def _optional(content: dict, key: str) -> schemas.Text | None:
    """An optional text of a snapshot; snapshots stored by older code may not have it."""
    return optional_text(pick(content.get(key) or {}))


def guide(request, publication: Publication) -> schemas.Guide:
    """A live guide in full, from its publication's snapshot (`page` loaded with it)."""
    content = publication.page.content
    region = content.get("region")
    return schemas.Guide(
        format=schemas.API_FORMAT,
        slug=publication.slug,
        title=text(pick(content["title"])),
        summary=text(pick(content["summary"])),
        kind=content["kind"],
        requirement=content["requirement"],
        requirement_basis=_optional(content, "requirement_basis"),
        requirement_basis_url=content.get("requirement_basis_url", ""),
        sim_types=content["sim_types"],
        eligibility=_optional(content, "eligibility"),
        processing_time=_optional(content, "processing_time"),
        fees=_optional(content, "fees"),
        official_contacts=_optional(content, "official_contacts"),
        correction_notice=_optional(content, "correction_notice"),
        carrier=_guide_carrier(content.get("carrier")),
        region=schemas.Ref(slug=region["slug"], name=text(pick(region["name"])))
        if region
        else None,
        documents=[
            schemas.Document(
                slug=item["slug"],
                name=text(pick(item["name"])),
                note=optional_text(pick(item["note"])),
            )
            for item in content.get("documents", [])
        ],
        channels=_channels(content.get("steps", [])),
        notes=[
            schemas.Note(kind=note["kind"], body=text(pick(note["body"])))
            for note in content.get("notes", [])
        ],
        faqs=[
            schemas.Faq(question=text(pick(faq["question"])), answer=text(pick(faq["answer"])))
            for faq in content.get("faqs", [])
        ],
        sources=[
            schemas.Source(
                title=text(pick(source["title"])), url=source["url"], language=source["language"]
            )
            for source in content.get("sources", [])
        ],
        last_verified_on=_date(content.get("last_verified_on")),
        verified_by=content.get("verified_by") or "",
        review_due_on=_date(content.get("review_due_on")),
        live_from=publication.live_from,
        languages=publication.language_codes,
        outdated=_outdated(content),
        url=_page(request, "guide_detail", publication.slug),
    )


def carrier(request, row: CarrierRow) -> schemas.Carrier:
    """A carrier (expects its region and contact numbers loaded: no query)."""
    return schemas.Carrier(
        slug=row.slug,
        name=text(field_text(row, "name")),
        region=row.region.slug,
        website=row.website,
        in_service=row.is_active,
        closed_on=row.closed_on,
        status_note=optional_text(field_text(row, "status_note")),
        contact_numbers=[
            schemas.ContactNumber(
                number=number.number,
                tel_href=number.tel_href,
                label=optional_text(field_text(number, "label")),
            )
            for number in row.contact_numbers.all()
        ],
        url=_page(request, "carrier_detail", row.slug),
    )


def region(request, row: RegionRow) -> schemas.Region:
    """A region (expects its carriers and sources loaded: no query)."""
    return schemas.Region(
        slug=row.slug,
        code=row.code,
        name=text(field_text(row, "name")),
        rules=optional_text(field_text(row, "summary")),
        carriers=[item.slug for item in row.carriers.all()],
        sources=[
            schemas.RegionSource(
                title=text(field_text(source, "title")), url=source.url, language=source.language
            )
            for source in row.sources.all()
        ],
        url=_page(request, "region_detail", row.slug),
    )


def page_link(request, number: int) -> str:
    query = request.GET.copy()
    query["page"] = str(number)
    return _absolute(request, f"{request.path}?{query.urlencode()}")
