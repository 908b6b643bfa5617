"""Writes that carry the knowledge base's rules. Admin actions, views and commands call these."""

import datetime
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field

import reversion
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F, Model, Prefetch
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from modeltranslation.utils import build_localized_fieldname

from kb import cache as page_cache

from . import conversion, events, history, translation_status
from .models import (
    Carrier,
    Document,
    GuideRedirect,
    Note,
    Procedure,
    ProcedureDocument,
    ProcedureEdit,
    Publication,
    PublicationPage,
    Region,
    TranslationStatus,
)
from .snapshots import (
    LANGUAGE_CODES,
    GuideView,
    guide_snapshot,
)
from .texts import text_in

# Rows are moved this far out of the way while their parent's rows are renumbered.
_POSITION_OFFSET = 1_000_000


@transaction.atomic
def rows_save_in_order(*, parent_field: str, parent: Model, rows: Sequence[Model]) -> None:
    """Save `rows` (steps, notes, questions, …) of `parent` numbered 1, 2, 3… in the order given.

    A parent's rows have unique positions; rows swapping places would collide if saved one by
    one, so the stored rows are first moved out of the way, in the same transaction.
    """
    if not rows:
        return
    model = type(rows[0])
    model.objects.filter(**{parent_field: parent}).update(position=F("position") + _POSITION_OFFSET)
    for position, row in enumerate(rows, start=1):
        row.position = position
        row.save()


# --- Editorial workflow: draft → in review → published (→ archived) -------------------------


class WorkflowError(Exception):
    """A workflow step that cannot be taken, with every reason, in the user's language."""

    def __init__(self, problems: list[str]):
        super().__init__(" ".join(str(problem) for problem in problems))
        self.problems = problems


def _check_permission(user, permission: str, message: str) -> None:
    if user is not None and not user.has_perm(permission):
        raise WorkflowError([message])


def working_copy(procedure: Procedure) -> Procedure:
    """The editors' version of a guide with every row its page shows."""
    return (
        Procedure.objects.select_related("carrier__region", "region")
        .prefetch_related(
            "steps",
            "notes",
            "faqs",
            "sources",
            Prefetch(
                "procedure_documents",
                queryset=ProcedureDocument.objects.select_related("document"),
            ),
            "carrier__contact_numbers",
        )
        .get(pk=procedure.pk)
    )


def procedure_publish_problems(*, procedure: Procedure) -> list[str]:
    """Everything that stops a guide from being published. Readers must always see where a
    guide's facts come from, how fresh they are, and the whole guide in their language."""
    problems = []
    if procedure.last_verified_on is None:
        problems.append(
            _("A published guide needs the date it was last verified against its sources.")
        )
    if not procedure.sources.all():
        problems.append(_("A published guide needs at least one official source."))
    steps = procedure.steps.all()
    if not steps:
        problems.append(_("A published guide needs at least one step."))

    def require(obj, field, label):
        empty = [code for code in LANGUAGE_CODES if not text_in(obj, field, code)]
        if empty:
            problems.append(
                _("%(part)s is missing in %(languages)s.")
                % {"part": label, "languages": _language_names(empty)}
            )

    if problem := slug_problem(procedure=procedure, slug=procedure.slug):
        problems.append(problem)
    require(procedure, "title", _("The title"))
    require(procedure, "summary", _("The summary"))
    # Every guide answers at a glance how long it takes and what it costs (or says the operator
    # does not publish it), what to do when it goes wrong, and whom to ask (issue 16).
    require(procedure, "processing_time", _("The processing time"))
    require(procedure, "fees", _("The cost"))
    if not any(note.kind == Note.Kind.TROUBLE for note in procedure.notes.all()):
        problems.append(
            _("A published guide needs at least one note on what to do if something goes wrong.")
        )
    has_numbers = procedure.carrier is not None and procedure.carrier.contact_numbers.all()
    if not has_numbers:
        if any(text_in(procedure, "official_contacts", code) for code in LANGUAGE_CODES):
            require(procedure, "official_contacts", _("The official contacts"))
        else:
            problems.append(
                _(
                    "A published guide needs an official contact: the carrier's customer "
                    "service numbers, or the official contacts field."
                )
            )
    for number, step in enumerate(steps, start=1):
        require(step, "title", _("The title of step %(number)s") % {"number": number})
    for number, note in enumerate(procedure.notes.all(), start=1):
        require(note, "body", _("Note %(number)s") % {"number": number})
    for number, faq in enumerate(procedure.faqs.all(), start=1):
        require(faq, "question", _("Question %(number)s") % {"number": number})
        require(faq, "answer", _("The answer to question %(number)s") % {"number": number})
    return problems


def slug_problem(*, procedure: Procedure, slug: str) -> str | None:
    """Why `procedure` may not use `slug` as its address (None: it may). A live guide keeps its
    address until it is unpublished, and an old address keeps leading to the live guide it was
    moved to, so no link readers have ever been given starts showing another guide."""
    # Live or scheduled: a publication waiting to go live holds its address too.
    others = Publication.objects.filter(slug=slug, live_until__gt=timezone.now())
    if procedure.pk:
        others = others.exclude(procedure_id=procedure.pk)
    holder = others.first()
    if holder is not None:
        return _(
            "The address “%(slug)s” belongs to the live guide “%(title)s” until it is "
            "unpublished: choose another one."
        ) % {"slug": slug, "title": holder.title}
    moved = GuideRedirect.objects.filter(old_slug=slug).select_related("procedure").first()
    if moved and moved.procedure_id != procedure.pk and live_publication(moved.procedure):
        return _(
            "The address “%(slug)s” still leads readers to the live guide “%(title)s”: "
            "choose another one."
        ) % {"slug": slug, "title": moved.procedure.title}
    return None


def _language_names(codes) -> str:
    names = dict(settings.LANGUAGES)
    return ", ".join(names[code] for code in codes)


def _field(field: str, code: str) -> str:
    return build_localized_fieldname(field, code)


def search_text(guide: Procedure | Publication) -> str:
    """What the guide list's search matches, lower case: a guide's (or a publication's) title and
    summary in every language, and its carrier's name."""
    parts = []
    for field in ("title", "summary"):
        parts += [text_in(guide, field, code) for code in LANGUAGE_CODES]
    if guide.carrier:
        parts += [text_in(guide.carrier, "name", code) for code in LANGUAGE_CODES]
    return " ".join(part for part in parts if part).lower()


# How far ahead a publication can be scheduled. A later date is almost always a typo (2300 for
# 2030), and the page cache keeps go-live times as 64-bit nanoseconds, which end in 2262.
MAX_SCHEDULE_AHEAD = datetime.timedelta(days=366)
# A time this far in the past is a mistake too; a minute or so is the time the form took.
MAX_SCHEDULE_BEHIND = datetime.timedelta(hours=1)


def publish_time_problem(publish_at: datetime.datetime | None) -> str | None:
    """Why `publish_at` cannot be a publication's start (None: it can, or it is empty = now).

    Accepted: from an hour ago (taken as now) to a year ahead, so a typed year cannot schedule a
    guide for a century (or past what the page cache's clock can hold)."""
    if publish_at is None:
        return None
    now = timezone.now()
    earliest, latest = now - MAX_SCHEDULE_BEHIND, now + MAX_SCHEDULE_AHEAD
    if earliest <= publish_at <= latest:
        return None
    return _("Choose a time between now and %(latest)s, or leave it empty to publish now.") % {
        "latest": date_format(timezone.localtime(latest), "DATETIME_FORMAT")
    }


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
        values[_field("title", code)] = text_in(procedure, "title", code)
        values[_field("summary", code)] = text_in(procedure, "summary", code)
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
    _check_permission(
        user, "procedures.publish_procedure", _("Only publishers can publish guides.")
    )
    procedure = working_copy(Procedure.objects.select_for_update().get(pk=procedure.pk))
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

    publication = publication_create(
        procedure=procedure, user=user, change_note=change_note, publish_at=publish_at
    )
    if publication.live_from > timezone.now():
        event = events.comment("scheduled", when=publication.live_from)
    else:
        event = events.comment("published")
    _record_event(procedure=procedure, user=user, comment=event)
    return publication


def _record_event(*, procedure: Procedure, user, comment: str) -> None:
    """Put a workflow step (submitted, published, unpublished, archived) in the guide's history
    with who and when, as a version of the guide as it then was. Inside a revision that is already
    being recorded (an import), that revision records the guide and says what happened."""
    if reversion.is_active():
        return
    with reversion.create_revision():
        reversion.add_to_revision(Procedure.objects.get(pk=procedure.pk))
        if user is not None:
            reversion.set_user(user)
        reversion.set_comment(comment)


@transaction.atomic
def publication_create(
    *,
    procedure: Procedure,
    user=None,
    change_note: dict[str, str] | None = None,
    publish_at: datetime.datetime | None = None,
) -> Publication:
    """Freeze the working copy into a publication, without the editorial checks (those are
    `procedure_publish`'s job)."""
    procedure = working_copy(procedure)
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
        **{_field("change_note", code): note for code, note in change_note.items()},
    )
    PublicationPage.objects.create(publication=publication, content=snapshot)
    publication_render(publication)
    Procedure.objects.filter(pk=procedure.pk).update(status=Procedure.Status.PUBLISHED)
    page_cache.bump(f"guide:{procedure.pk}", "guides")
    if live_from > now:
        page_cache.schedule_go_live(live_from)
    return publication


def _end_publication(*, procedure: Procedure, status: str) -> None:
    now = timezone.now()
    Publication.objects.filter(procedure=procedure, live_until__gt=now).update(live_until=now)
    page_cache.bump(f"guide:{procedure.pk}", "guides")
    Procedure.objects.filter(pk=procedure.pk).update(status=status)


@transaction.atomic
def procedure_unpublish(*, procedure: Procedure, user) -> None:
    """Take a guide off the public site at once; it goes back to draft."""
    _check_permission(
        user, "procedures.publish_procedure", _("Only publishers can unpublish guides.")
    )
    _end_publication(procedure=procedure, status=Procedure.Status.DRAFT)
    _record_event(procedure=procedure, user=user, comment=events.comment("unpublished"))


@transaction.atomic
def procedure_archive(*, procedure: Procedure, user) -> None:
    """Take a guide off the public site for good (kept, with its history)."""
    _check_permission(
        user, "procedures.publish_procedure", _("Only publishers can archive guides.")
    )
    _end_publication(procedure=procedure, status=Procedure.Status.ARCHIVED)
    _record_event(procedure=procedure, user=user, comment=events.comment("archived"))


@transaction.atomic
def procedure_submit_for_review(*, procedure: Procedure, user) -> None:
    _check_permission(
        user, "procedures.change_procedure", _("Only editors can submit guides for review.")
    )
    if procedure.status not in (Procedure.Status.DRAFT, Procedure.Status.ARCHIVED):
        raise WorkflowError([_("Only a draft can be submitted for review.")])
    Procedure.objects.filter(pk=procedure.pk).update(status=Procedure.Status.IN_REVIEW)
    _record_event(procedure=procedure, user=user, comment=events.comment("submitted"))


def procedure_mark_edited(
    *, procedure: Procedure, user, status: str | None = None, changed: bool = True
) -> None:
    """After an editor saves: stamp the time (the edit lock compares it), remember who changed
    the content (the four-eyes rule reads it), and put a published or archived guide back to
    draft (its publication stays live until the next publish). A save that changed nothing
    (`changed=False`) only stamps the time: opening and saving a guide is not an edit."""
    updates = {"updated_at": timezone.now()}
    if changed:
        updates["last_edited_by"] = user
        if status:
            updates["status"] = status
        elif procedure.status in (Procedure.Status.PUBLISHED, Procedure.Status.ARCHIVED):
            updates["status"] = Procedure.Status.DRAFT
        if isinstance(user, get_user_model()):
            ProcedureEdit.objects.create(procedure=procedure, user=user)
    Procedure.objects.filter(pk=procedure.pk).update(**updates)
    procedure.refresh_from_db(fields=["updated_at", "status", "last_edited_by"])


def publish_refusal(*, procedure: Procedure, user) -> str | None:
    """Why `user` may not publish `procedure` whatever its content (None: they may).

    The four-eyes rule (setting KB_PUBLISHER_MUST_DIFFER_FROM_EDITOR, on by default): a publisher
    who changed the content since its last publication cannot publish it; superusers and the
    system (`user=None`) can. It follows who changed the content, not who saved last, so a later
    save without changes by someone else does not clear it."""
    if user is None or user.is_superuser or not settings.KB_PUBLISHER_MUST_DIFFER_FROM_EDITOR:
        return None
    edits = ProcedureEdit.objects.filter(procedure_id=procedure.pk, user_id=user.pk)
    last = (
        Publication.objects.filter(procedure_id=procedure.pk)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    if last is not None:
        edits = edits.filter(at__gt=last)
    if edits.exists():
        return _("You changed this guide since it was last published: another publisher must "
                 "review and publish it.")  # fmt: skip
    return None


@transaction.atomic
def procedure_restore(*, procedure: Procedure, version, user) -> list[str]:
    """Bring a guide's working copy back to an earlier version (a reversion `Version` of it), its
    rows and the state of its translations included, in one step; recorded as a new version, so
    it can be undone the same way. The guide goes back to draft: readers keep the publication.

    What cannot come back as it was is kept as it is today and said in the returned messages: an
    address another guide now holds, a carrier or region since deleted, checklist rows whose
    document was deleted. Raises WorkflowError when `user` may not restore.
    """
    _check_permission(user, "procedures.change_procedure", _("Only editors can restore versions."))
    procedure = Procedure.objects.select_for_update().get(pk=procedure.pk)
    rows = history.guide_versions_in(version, procedure)
    kept = []
    old = version._object_version.object
    taken = Procedure.objects.filter(slug=old.slug).exclude(pk=procedure.pk).exists()
    if old.slug != procedure.slug and (taken or slug_problem(procedure=procedure, slug=old.slug)):
        old.slug = procedure.slug
        kept.append(_("The old address is used by another guide: the guide keeps its address."))
    if old.carrier_id and not Carrier.objects.filter(pk=old.carrier_id).exists():
        old.carrier_id, old.region_id = procedure.carrier_id, procedure.region_id
        kept.append(_("The old carrier no longer exists: the guide keeps its carrier."))
    if old.region_id and not Region.objects.filter(pk=old.region_id).exists():
        old.region_id = procedure.region_id
        kept.append(_("The old region no longer exists: the guide keeps its region."))
    # The guide's rows are written back as they were, with their old ids and positions: today's
    # rows go first, so no position or checklist document can collide, whatever was reordered,
    # added or deleted since.
    for model in rows:
        model.objects.filter(procedure=procedure).delete()
    documents = set(Document.objects.values_list("pk", flat=True))
    left_out = 0
    with reversion.create_revision():
        version._object_version.save()
        for model, versions in rows.items():
            for row_version in versions:
                row = row_version._object_version.object
                if model is ProcedureDocument and row.document_id not in documents:
                    left_out += 1
                    continue
                row_version.revert()
        procedure = Procedure.objects.get(pk=procedure.pk)
        procedure.save()  # recomputes derived fields and records the restored state
        reversion.set_user(user)
        reversion.set_comment(events.comment("restored", date=version.revision.date_created))
        tree = working_copy(procedure)
        translation_status.restore(
            [tree, *(row for name in history.GUIDE_ROWS for row in getattr(tree, name).all())],
            states=history.translation_states(version, procedure),
        )
    if left_out:
        kept.append(
            ngettext(
                "%(count)s document of the checklist no longer exists and was left out.",
                "%(count)s documents of the checklist no longer exist and were left out.",
                left_out,
            )
            % {"count": left_out}
        )
    procedure_mark_edited(procedure=procedure, user=user, status=Procedure.Status.DRAFT)
    return kept


def publication_rendered_fields(publication: Publication) -> dict[str, str]:
    """A publication's page body and card in every language, as PublicationPage fields."""
    from .rendering import render_all_languages, render_body, render_card

    content = publication.page.content
    bodies = render_all_languages(
        render_body, lambda: GuideView(content, procedure_id=publication.procedure_id)
    )
    cards = render_all_languages(render_card, lambda: publication)
    fields = {_field("rendered_body", code): html for code, html in bodies.items()}
    fields |= {_field("rendered_card", code): html for code, html in cards.items()}
    return fields


def publication_render(publication: Publication) -> None:
    """Render and store a publication's page body and card in every language."""
    from .rendering import render_stamp

    PublicationPage.objects.filter(pk=publication.pk).update(
        **publication_rendered_fields(publication)
    )
    Publication.objects.filter(pk=publication.pk).update(rendered_stamp=render_stamp())


# --- Simplified ↔ Traditional Chinese -----------------------------------------------------------


@dataclass
class ConversionProposal:
    """One text a conversion would write: `key` names it ("procedures.step:12:title")."""

    key: str
    label: str
    current: str
    proposed: str
    reviewed: bool  # a person's stale translation: replaced only when asked


@dataclass
class Conversion:
    filled: list[str]  # "Step 2 · title" …
    held_back: list[str]  # reviewed translations left as they are (ask before replacing them)
    proposals: list[ConversionProposal] = dataclass_field(default_factory=list)  # preview only


def _rows_of(procedure: Procedure) -> list[Model]:
    procedure = working_copy(procedure)
    rows = [procedure]
    for related in (procedure.procedure_documents, procedure.steps, procedure.notes,
                    procedure.faqs, procedure.sources):  # fmt: skip
        rows += list(related.all())
    return rows


def _label(row, field: str) -> str:
    name = str(row._meta.get_field(field).verbose_name)
    if isinstance(row, Procedure):
        return name
    return f"{row._meta.verbose_name} {row.position} · {name}"


@transaction.atomic
def procedure_convert(
    *,
    procedure: Procedure,
    target: str,
    user=None,
    replace_reviewed: bool = False,
    preview: bool = False,
    only: Collection[str] | None = None,
) -> Conversion:
    """Fill a guide's empty, stale or machine-made texts in one Chinese script from the other
    with OpenCC, in the usage of the guide's region. The results are marked machine-converted,
    not reviewed. A stale translation a person wrote is only replaced with `replace_reviewed`
    or when `only` names it. `preview` writes nothing and lists each text it would write in
    `proposals` (current and proposed text); `only` (proposal keys) limits the writing to the
    texts an editor ticked."""
    if user is not None and not (
        user.has_perm("procedures.change_procedure")
        or user.has_perm("procedures.translate_procedure")
    ):
        raise WorkflowError([_("Only editors and translators can convert translations.")])
    source = {"zh-hant": "zh-hans", "zh-hans": "zh-hant"}[target]
    variant = procedure.region.chinese_variant if procedure.region_id else "hk"
    convert = conversion.to_traditional if target == "zh-hant" else conversion.to_simplified
    result = Conversion(filled=[], held_back=[])
    for row in _rows_of(procedure):
        statuses = translation_status.statuses_of(row, language=target)
        before = translation_status.texts_of(row)
        machine = set()
        for field, texts in before.items():
            if not texts[source].strip():
                continue
            state = statuses.get(field)
            key = f"{row._meta.label_lower}:{row.pk}:{field}"
            if only is not None and key not in only:
                continue
            reviewed = False
            if texts[target].strip() and state is not None:
                if state.status == TranslationStatus.COMPLETE:
                    continue
                reviewed = state.status == TranslationStatus.STALE and not state.machine_converted
                if reviewed and not (replace_reviewed or preview or only is not None):
                    result.held_back.append(_label(row, field))
                    continue
            if preview:
                proposed = convert(texts[source], variant=variant)
                result.proposals.append(
                    ConversionProposal(key, _label(row, field), texts[target], proposed, reviewed)
                )
                continue
            setattr(row, _field(field, target), convert(texts[source], variant=variant))
            machine.add((field, target))
            result.filled.append(_label(row, field))
        if machine:
            row.save()
            translation_status.record(row, before=before, machine=machine)
    if result.filled and isinstance(user, get_user_model()):
        procedure_mark_edited(procedure=procedure, user=user)
    return result


def live_publication(procedure: Procedure) -> Publication | None:
    return Publication.objects.live().filter(procedure=procedure).first()
