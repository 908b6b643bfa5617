"""The steps of the editorial workflow (submit for review, mark edited, restore a version) and
the checks publishing runs first: what stops a guide from being published, who may publish it
(four eyes), when it may go live, which address it may take."""

import datetime

import reversion
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kb.markdown import device_variant_problems
from procedures.editorial import events, history
from procedures.models import (
    Carrier,
    Document,
    GuideRedirect,
    Note,
    Procedure,
    ProcedureDocument,
    ProcedureEdit,
    Publication,
    Region,
)
from procedures.translations import status as translation_status
from procedures.translations.texts import LANGUAGE_CODES, text_in


class WorkflowError(Exception):
    """A workflow step that cannot be taken, with every reason, in the user's language."""

    def __init__(self, problems: list[str]):
        super().__init__(" ".join(str(problem) for problem in problems))
        self.problems = problems


def check_permission(user, permission: str, message: str) -> None:
    if user is not None and not user.has_perm(permission):
        raise WorkflowError([message])


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
        # Device sections ({for iphone}…{/for}) that readers' pages could not show as written.
        for code in LANGUAGE_CODES:
            problems += [
                _("Step %(number)s (%(language)s): %(problem)s")
                % {"number": number, "language": _language_names([code]), "problem": problem}
                for problem in device_variant_problems(text_in(step, "body", code))
            ]
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


def record_event(*, procedure: Procedure, user, comment: str, loaded: bool = False) -> None:
    """Put a workflow step (submitted, published, unpublished, archived) in the guide's history
    with who and when, as a version of the guide as it then was. Inside a revision that is already
    being recorded (an import), that revision records the guide and says what happened.

    `loaded`: `procedure` is a working copy as it is in the database now (rows prefetched), so the
    version is recorded from it instead of reading the guide and its rows again."""
    if reversion.is_active():
        return
    with reversion.create_revision():
        reversion.add_to_revision(procedure if loaded else Procedure.objects.get(pk=procedure.pk))
        if user is not None:
            reversion.set_user(user)
        reversion.set_comment(comment)


@transaction.atomic
def procedure_submit_for_review(*, procedure: Procedure, user) -> None:
    check_permission(
        user, "procedures.change_procedure", _("Only editors can submit guides for review.")
    )
    if procedure.status not in (Procedure.Status.DRAFT, Procedure.Status.ARCHIVED):
        raise WorkflowError([_("Only a draft can be submitted for review.")])
    Procedure.objects.filter(pk=procedure.pk).update(status=Procedure.Status.IN_REVIEW)
    record_event(procedure=procedure, user=user, comment=events.comment("submitted"))


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
    check_permission(user, "procedures.change_procedure", _("Only editors can restore versions."))
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
        tree = Procedure.objects.working_copy(procedure)
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


def live_publication(procedure: Procedure) -> Publication | None:
    """The publication readers see now, or None."""
    return Publication.objects.live().filter(procedure=procedure).first()
