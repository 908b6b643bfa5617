"""Publishing actions: publish a guide now or at a time (checks first, then one publication
with its snapshot and rendered pages), unpublish, archive, and render a publication again."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from kb import pagecache as page_cache
from procedures.editorial import events
from procedures.editorial.workflow import (
    WorkflowError,
    check_permission,
    live_publication,
    procedure_publish_problems,
    publish_refusal,
    publish_time_problem,
    record_event,
)
from procedures.models import (
    GuideRedirect,
    Procedure,
    Publication,
    PublicationPage,
)
from procedures.publishing import tags
from procedures.publishing.pages import GuideView
from procedures.publishing.rendering import (
    render_all_languages,
    render_body,
    render_card,
    render_stamp,
)
from procedures.publishing.snapshot import guide_snapshot
from procedures.translations.texts import LANGUAGE_CODES, column, text_in


def search_text(guide: Procedure | Publication) -> str:
    """What the guide list's search matches, lower case: a guide's (or a publication's) title and
    summary in every language, and its carrier's name."""
    parts = []
    for field in ("title", "summary"):
        parts += [text_in(guide, field, code) for code in LANGUAGE_CODES]
    if guide.carrier:
        parts += [text_in(guide.carrier, "name", code) for code in LANGUAGE_CODES]
    return " ".join(part for part in parts if part).lower()


def publication_values(procedure: Procedure, snapshot: dict) -> dict:
    channels = {step["channel"] for step in snapshot["steps"]}
    documents = [item["slug"] for item in snapshot["documents"]]
    values = {
        "slug": procedure.slug,
        "region_id": procedure.region_id,
        "carrier_id": procedure.carrier_id,
        "kind": procedure.kind,
        "requirement": procedure.requirement,
        "for_esim": procedure.for_esim,
        "for_physical_sim": procedure.for_physical_sim,
        "for_data_only_sim": procedure.for_data_only_sim,
        "is_featured": procedure.is_featured,
        "channels": "|" + "|".join(sorted(channels)) + "|" if channels else "",
        "document_slugs": "|" + "|".join(documents) + "|" if documents else "",
        "search_text": search_text(procedure),
        "last_verified_on": procedure.last_verified_on,
        "review_due_on": procedure.review_due_on,
        "languages": " ".join(
            code
            for code in LANGUAGE_CODES
            if all(
                snapshot[field].get(code) and code not in snapshot[field].get("auto", ())
                for field in ("title", "summary")
            )
        ),
    }
    for code in LANGUAGE_CODES:
        values[column("title", code)] = text_in(procedure, "title", code)
        values[column("summary", code)] = text_in(procedure, "summary", code)
    return values


@transaction.atomic
def procedure_publish(
    *,
    procedure: Procedure,
    user=None,
    change_note: dict[str, str] | None = None,
    publish_at: datetime.datetime | None = None,
    reviewed_version: str | None = None,
) -> Publication:
    """Publish the working copy: readers see it from `publish_at` (now by default).

    `user=None` is the system (demo content import): no permission or second-reader check.
    `reviewed_version`: the guide's `updated_at` (ISO) when the publisher looked at it; a save
    since then is refused, as it is not what they reviewed. Raises WorkflowError with every
    reason it cannot be published."""
    check_permission(user, "procedures.publish_procedure", _("Only publishers can publish guides."))
    procedure = Procedure.objects.working_copy(
        Procedure.objects.select_for_update().get(pk=procedure.pk)
    )
    if refusal := publish_refusal(procedure=procedure, user=user):
        raise WorkflowError([refusal])
    if reviewed_version and reviewed_version != procedure.updated_at.isoformat():
        raise WorkflowError(
            [
                _(
                    "The guide was saved again since you opened this page (%(when)s): check "
                    "what changed, then publish."
                )
                % {"when": date_format(timezone.localtime(procedure.updated_at), "DATETIME_FORMAT")}
            ]
        )
    problems = procedure_publish_problems(procedure=procedure)
    if problem := publish_time_problem(publish_at):
        problems.append(problem)
    if problems:
        raise WorkflowError(problems)

    # The tree loaded for the checks is the one frozen: loaded once, checked once.
    publication = _freeze(procedure, user=user, change_note=change_note, publish_at=publish_at)
    if publication.live_from > timezone.now():
        event = events.comment("scheduled", when=publication.live_from)
    else:
        event = events.comment("published")
    record_event(procedure=procedure, user=user, comment=event, loaded=True)
    return publication


@transaction.atomic
def publication_create(
    *,
    procedure: Procedure,
    user=None,
    change_note: dict[str, str] | None = None,
    publish_at: datetime.datetime | None = None,
) -> Publication:
    """Freeze the working copy into a publication, without the editorial checks (those are
    `procedure_publish`'s job): the demo import and tests publish this way."""
    return _freeze(
        Procedure.objects.working_copy(procedure),
        user=user,
        change_note=change_note,
        publish_at=publish_at,
    )


def _freeze(
    procedure: Procedure,
    *,
    user,
    change_note: dict[str, str] | None,
    publish_at: datetime.datetime | None,
) -> Publication:
    """`procedure` is a working copy (`Procedure.objects.working_copy`), its rows loaded."""
    now = timezone.now()
    live_from = max(publish_at, now) if publish_at else now
    change_note = {code: (change_note or {}).get(code, "") for code in LANGUAGE_CODES}
    snapshot = guide_snapshot(procedure)
    # "What changed" travels with the guide: earlier notes, then this one, newest first.
    current = live_publication(procedure)
    if current is not None and current.slug != procedure.slug:
        # Links to the old address keep working, for good (301), once this one is live.
        GuideRedirect.objects.update_or_create(
            old_slug=current.slug, defaults={"procedure": procedure}
        )
    GuideRedirect.objects.filter(old_slug=procedure.slug).delete()
    snapshot["changes"] = list(current.page.content.get("changes", [])) if current else []
    if any(change_note.values()):
        snapshot["changes"].insert(0, {"date": live_from.isoformat(), "note": change_note})
    # The live publication ends when this one starts; one still scheduled never starts.
    Publication.objects.filter(procedure=procedure, live_until__gt=live_from).update(
        live_until=live_from
    )
    publication = Publication.objects.create(
        procedure=procedure,
        live_from=live_from,
        published_by=user,
        **publication_values(procedure, snapshot),
        **{column("change_note", code): note for code, note in change_note.items()},
    )
    PublicationPage.objects.create(publication=publication, content=snapshot)
    publication_render(publication)
    Procedure.objects.filter(pk=procedure.pk).update(status=Procedure.Status.PUBLISHED)
    procedure.status = Procedure.Status.PUBLISHED  # the tree in hand stays as it is stored
    page_cache.bump(tags.guide(procedure.pk), tags.GUIDES)
    if live_from > now:
        page_cache.schedule_go_live(live_from)
    return publication


def _end_publication(*, procedure: Procedure, status: str) -> None:
    now = timezone.now()
    Publication.objects.filter(procedure=procedure, live_until__gt=now).update(live_until=now)
    page_cache.bump(tags.guide(procedure.pk), tags.GUIDES)
    Procedure.objects.filter(pk=procedure.pk).update(status=status)


@transaction.atomic
def procedure_unpublish(*, procedure: Procedure, user) -> None:
    """Take a guide off the public site at once; it goes back to draft."""
    check_permission(
        user, "procedures.publish_procedure", _("Only publishers can unpublish guides.")
    )
    _end_publication(procedure=procedure, status=Procedure.Status.DRAFT)
    record_event(procedure=procedure, user=user, comment=events.comment("unpublished"))


@transaction.atomic
def procedure_archive(*, procedure: Procedure, user) -> None:
    """Take a guide off the public site for good (kept, with its history)."""
    check_permission(user, "procedures.publish_procedure", _("Only publishers can archive guides."))
    _end_publication(procedure=procedure, status=Procedure.Status.ARCHIVED)
    record_event(procedure=procedure, user=user, comment=events.comment("archived"))


def publication_rendered_fields(publication: Publication) -> dict[str, str]:
    """A publication's page body and card in every language, as PublicationPage fields."""
    content = publication.page.content
    bodies = render_all_languages(
        render_body, lambda: GuideView(content, procedure_id=publication.procedure_id)
    )
    cards = render_all_languages(render_card, lambda: publication)
    fields = {column("rendered_body", code): html for code, html in bodies.items()}
    fields |= {column("rendered_card", code): html for code, html in cards.items()}
    return fields


def publication_render(publication: Publication) -> None:
    """Render and store a publication's page body and card in every language."""
    PublicationPage.objects.filter(pk=publication.pk).update(
        **publication_rendered_fields(publication)
    )
    Publication.objects.filter(pk=publication.pk).update(rendered_stamp=render_stamp())
