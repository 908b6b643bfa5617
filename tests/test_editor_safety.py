"""Editors never lose work, never hit an error page, and never bypass review (the faults found by
trying the admin as a newcomer and as a red team, each fixed as a kind)."""

import datetime
import html

import pytest
import reversion
from django.db import transaction
from django.utils import timezone, translation
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from reversion.models import Version

from procedures import editorial, publishing
from procedures.models import FieldTranslation, Procedure, Publication, Step
from procedures.translations import status as translation_status
from procedures.translations.texts import LANGUAGE_CODES, column, translated_fields

from .factories import UserFactory, full_guide, member_of
from .forms import form_data, save_guide_in_admin

pytestmark = pytest.mark.django_db

ADMIN = "/en/admin/procedures/procedure"


def superuser():
    return UserFactory(is_staff=True, is_superuser=True)


# --- One representation of "not translated" -------------------------------------------------------


def test_publishing_after_a_translation_was_cleared_lists_it_instead_of_failing(client):
    guide = full_guide(status=Procedure.Status.DRAFT)
    Procedure.objects.filter(pk=guide.pk).update(summary_en=None)  # as an older save left it
    step = guide.steps.first()
    Step.objects.filter(pk=step.pk).update(title_zh_hant=None)
    client.force_login(superuser())
    response = client.post(f"{ADMIN}/{guide.pk}/publish/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "The summary is missing in English." in html
    assert "The title of step 1 is missing in 繁體中文." in html


def test_a_cleared_text_is_stored_as_empty_whatever_way_it_arrives(client):
    guide = full_guide(status=Procedure.Status.DRAFT)
    client.force_login(superuser())
    assert save_guide_in_admin(client, guide, summary_en="", title_zh_hant="   ").status_code == 302
    guide.refresh_from_db()
    assert guide.summary_en == "" and guide.title_zh_hant == ""
    guide.summary_en = None  # a shell or an import
    guide.eligibility_zh_hant = " \n "
    guide.save()
    guide.refresh_from_db()
    assert guide.summary_en == "" and guide.eligibility_zh_hant == ""
    assert not Procedure.objects.filter(summary_en__isnull=True).exists()


BLANKS = st.sampled_from([None, "", "   ", "\n\t"])
# Any text a column can hold (PostgreSQL refuses NUL; saves strip it, see
# procedures/translations/texts.py).
REAL_TEXT = st.text(
    st.characters(codec="utf-8", exclude_characters="\x00"), min_size=1, max_size=12
).filter(str.strip)
TEXTS = st.one_of(BLANKS, REAL_TEXT)


def _what_readers_of_texts_see(guide, rows) -> dict:
    """Everything that reads the guide tree's texts: publish checks, translation status, the
    snapshot a publication would freeze, and the staff preview in every language."""
    from procedures.publishing.snapshot import guide_snapshot

    working = Procedure.objects.working_copy(guide)
    with translation.override("en"):
        problems = editorial.procedure_publish_problems(procedure=working)
    texts = [translation_status.texts_of(type(row).objects.get(pk=row.pk)) for row in rows]
    return {"problems": problems, "texts": texts, "snapshot": guide_snapshot(working)}


@hypothesis_settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data(), complete=st.booleans())
def test_every_reader_of_texts_treats_missing_the_same(client, data, complete):
    """Whatever mix of NULL, empty, blank and real text a guide's rows hold, every reader sees
    exactly what it sees when each missing text is stored as "": NULL and blanks are "missing"
    everywhere alike. Half the guides have every text (then published and read by readers)."""
    with transaction.atomic():
        guide = full_guide(status=Procedure.Status.DRAFT)
        rows = [guide, *guide.steps.all(), *guide.notes.all(), *guide.faqs.all(), guide.carrier]
        drawn, normalised = [], []
        for row in rows:
            updates = {}
            for field in translated_fields(type(row)):
                for code in LANGUAGE_CODES:
                    label = f"{type(row).__name__}.{field}.{code}"
                    value = data.draw(
                        REAL_TEXT if complete else TEXTS,
                        label=label,
                    )
                    updates[column(field, code)] = value
            drawn.append((row, updates))
            normalised.append(
                (
                    row,
                    {
                        name: (value if value and value.strip() else "")
                        for name, value in updates.items()
                    },
                )
            )
        for row, updates in drawn:
            type(row).objects.filter(pk=row.pk).update(**updates)  # bypasses every save hook
        as_drawn = _what_readers_of_texts_see(guide, rows)
        for row, updates in normalised:
            type(row).objects.filter(pk=row.pk).update(**updates)
        assert as_drawn == _what_readers_of_texts_see(guide, rows)

        client.force_login(superuser())
        for language in LANGUAGE_CODES:
            assert client.get(f"/{language}/guides/{guide.slug}/?preview=1").status_code == 200
            change = client.get(f"/{language}/admin/procedures/procedure/{guide.pk}/change/")
            assert change.status_code == 200
        if complete:
            assert as_drawn["problems"] == []
            publishing.procedure_publish(procedure=guide)
            client.logout()
            for language in LANGUAGE_CODES:
                title = getattr(Procedure.objects.get(pk=guide.pk), column("title", language))
                page = client.get(f"/{language}/guides/{guide.slug}/").content.decode()
                assert html.escape(title.strip()) in page or html.escape(title) in page
                assert client.get(f"/{language}/feeds/guides.atom").status_code == 200
            assert client.get("/sitemap.xml").status_code == 200
        transaction.set_rollback(True)


# --- Other error pages ---------------------------------------------------------------------------


def test_a_translator_fills_traditional_from_simplified(client):
    guide = full_guide(status=Procedure.Status.DRAFT, title_zh_hant="")
    Procedure.objects.filter(pk=guide.pk).update(title_zh_hans="注销澳门的号码")
    client.force_login(member_of("Translator"))
    preview = client.post(
        f"{ADMIN}/", {"action": "fill_traditional", "_selected_action": [guide.pk]}
    ).content.decode()
    # Before anything is written: the title's current (empty) text and its conversion.
    assert "(empty)" in preview and "註銷澳門的號碼" in preview
    assert Procedure.objects.get(pk=guide.pk).title_zh_hant == ""
    response = client.post(f"{ADMIN}/", form_data(preview, "conversion-form"), follow=True)
    assert response.status_code == 200
    assert "of 1 guide with OpenCC" in response.content.decode()
    guide.refresh_from_db()
    assert guide.title_zh_hant == "註銷澳門的號碼"


def test_an_action_an_editor_may_not_take_says_why(client, monkeypatch):
    guide = full_guide(status=Procedure.Status.DRAFT)
    client.force_login(member_of("Editor"))

    def refuse(**kwargs):
        raise editorial.WorkflowError(["Not today."])

    monkeypatch.setattr(editorial, "procedure_convert", refuse)
    response = client.post(
        f"{ADMIN}/", {"action": "fill_traditional", "_selected_action": [guide.pk]}, follow=True
    )
    assert response.status_code == 200 and "Not today." in response.content.decode()


@pytest.mark.parametrize("when", ["2300-01-01T09:00", "9999-12-31T23:59", "1999-01-01T09:00"])
def test_a_publication_time_out_of_range_is_refused_with_a_reason(client, when):
    guide = full_guide(status=Procedure.Status.DRAFT)
    client.force_login(superuser())
    response = client.post(f"{ADMIN}/{guide.pk}/publish/", {"publish_at": when})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Choose a time" in html
    assert not Publication.objects.filter(procedure=guide, live_from__year__gt=2100).exists()
    assert not Publication.objects.filter(procedure=guide).exists()


def test_a_publication_a_few_months_ahead_is_scheduled(client):
    guide = full_guide(status=Procedure.Status.DRAFT)
    client.force_login(superuser())
    when = (datetime.date.today() + datetime.timedelta(days=90)).isoformat() + "T09:00"
    response = client.post(f"{ADMIN}/{guide.pk}/publish/", {"publish_at": when}, follow=True)
    assert "will be published on" in response.content.decode()


@pytest.mark.parametrize("who", ["superuser", "Publisher"])
def test_a_publisher_deletes_a_published_guide(client, who):
    guide = full_guide()
    client.force_login(superuser() if who == "superuser" else member_of(who))
    confirm = client.get(f"{ADMIN}/{guide.pk}/delete/")
    assert confirm.status_code == 200
    response = client.post(f"{ADMIN}/{guide.pk}/delete/", {"post": "yes"}, follow=True)
    assert response.status_code == 200
    assert not Procedure.objects.filter(pk=guide.pk).exists()
    client.logout()
    assert client.get(f"/en/guides/{guide.slug}/").status_code == 404


# --- History --------------------------------------------------------------------------------------


def test_workflow_steps_appear_in_the_history_with_who_and_when(client):
    guide = full_guide(status=Procedure.Status.DRAFT)
    editor = member_of("Editor", first_name="Edna")
    publisher = member_of("Publisher", first_name="Paul")
    with translation.override("zh-hans"):  # written by a Chinese admin, read in English below
        editorial.procedure_submit_for_review(procedure=guide, user=editor)
        publishing.procedure_publish(procedure=guide, user=publisher)
        publishing.procedure_unpublish(procedure=guide, user=publisher)
        publishing.procedure_archive(procedure=guide, user=publisher)
    client.force_login(superuser())
    response = client.get(f"{ADMIN}/{guide.pk}/history/")
    assert response.status_code == 200
    rows = [
        (version.revision.user.first_name, version.event_text)
        for version in response.context["versions"]
    ]
    assert rows == [
        ("Paul", "Archived."),
        ("Paul", "Taken off the public site."),
        ("Paul", "Published."),
        ("Edna", "Submitted for review."),
    ]
    html = response.content.decode()
    assert "Edna" in html and "Taken off the public site." in html


def test_the_history_of_an_imported_guide_names_the_system(client):
    guide = full_guide(status=Procedure.Status.DRAFT)
    with reversion.create_revision():
        reversion.add_to_revision(guide)
        reversion.set_comment("Demo content: guide.yaml")
    client.force_login(superuser())
    response = client.get(f"{ADMIN}/{guide.pk}/history/")
    assert response.status_code == 200
    assert "The system (import or schedule)" in response.content.decode()


# --- Restoring versions ---------------------------------------------------------------------------


def record_version(guide, user, rows=()):
    """Save what an editor changed as the admin does: one revision with the guide and its rows,
    and the translation status of every row written."""
    with reversion.create_revision():
        for row in rows:
            translation_status.record(row, before=getattr(row, "_before", None))
        reversion.add_to_revision(Procedure.objects.get(pk=guide.pk))
        reversion.set_user(user)


def guide_state(guide):
    """What a restore must bring back: each kind of row in order, with its texts, and where
    every translation stands."""
    guide = Procedure.objects.working_copy(guide)
    rows = {
        name: [
            tuple(str(getattr(row, f.attname)) for f in row._meta.concrete_fields if f.name != "id")
            for row in getattr(guide, name).all()
        ]
        for name in ("steps", "notes", "faqs", "procedure_documents", "sources")
    }
    translations = sorted(
        FieldTranslation.objects.filter(procedure=guide).values_list(
            "content_type__model", "object_id", "field", "language", "status"
        )
    )
    return guide.title_en, guide.slug, rows, translations


OPERATIONS = st.lists(
    st.tuples(
        st.sampled_from(
            [
                "reorder",
                "add-step",
                "delete-step",
                "edit-source-text",
                "edit-translation",
                "add-note",
                "delete-faq",
                "add-document",
                "delete-document",
                "swap-documents",
            ]
        ),  # fmt: skip
        st.randoms(use_true_random=False),
    ),
    min_size=1,
    max_size=5,
)


def next_position(rows) -> int:
    return max(rows.values_list("position", flat=True), default=0) + 1


def apply(operation, rnd, guide, user):
    from procedures.models import Document, Faq, ProcedureDocument

    from .factories import DocumentFactory, NoteFactory, StepFactory

    steps = list(guide.steps.all())
    changed = []
    if operation == "reorder" and len(steps) > 1:
        rnd.shuffle(steps)
        editorial.rows_save_in_order(parent_field="procedure", parent=guide, rows=steps)
    elif operation == "add-step":
        step = StepFactory.build(procedure=guide, position=next_position(guide.steps))
        step.save()
        changed.append(step)
    elif operation == "delete-step" and len(steps) > 1:
        rnd.choice(steps).delete()
    elif operation in ("edit-source-text", "edit-translation") and steps:
        step = rnd.choice(steps)
        step._before = translation_status.texts_of(step)
        field = "title_zh_hans" if operation == "edit-source-text" else "title_en"
        setattr(step, field, f"{getattr(step, field)} {rnd.randint(0, 99)}")
        step.save()
        changed.append(step)
    elif operation == "add-note":
        changed.append(NoteFactory(procedure=guide, position=next_position(guide.notes)))
    elif operation == "rename":
        Procedure.objects.filter(pk=guide.pk).update(
            slug=f"{guide.slug.split('~')[0]}~{rnd.randint(0, 999)}"
        )
    elif operation == "delete-faq":
        faq = Faq.objects.filter(procedure=guide).first()
        if faq:
            faq.delete()
    elif operation == "add-document":
        document = Document.objects.exclude(procedure_documents__procedure=guide).first()
        document = document or DocumentFactory()
        if not guide.procedure_documents.filter(document=document).exists():
            row = ProcedureDocument.objects.create(
                procedure=guide,
                document=document,
                position=next_position(guide.procedure_documents),
            )
            changed.append(row)
    elif operation == "delete-document":
        row = guide.procedure_documents.first()
        if row:
            row.delete()
    elif operation == "swap-documents":
        rows = list(guide.procedure_documents.all())
        if len(rows) > 1:
            first, second = rows[0], rows[1]
            first_document, second_document = first.document_id, second.document_id
            ProcedureDocument.objects.filter(pk=first.pk).delete()
            second.document_id = first_document
            second.save()
            created = ProcedureDocument.objects.create(
                procedure=guide, document_id=second_document, position=first.position
            )
            changed += [second, created]
    record_version(guide, user, changed)


@hypothesis_settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(operations=OPERATIONS, data=st.data())
def test_any_version_can_be_restored_after_any_edits(operations, data):
    with transaction.atomic():
        guide = full_guide(status=Procedure.Status.DRAFT)
        user = superuser()
        rows = [guide, *guide.steps.all(), *guide.notes.all(), *guide.faqs.all()]
        for row in rows + [*guide.sources.all(), *guide.procedure_documents.all()]:
            translation_status.record(row, before=None)
        record_version(guide, user)
        states = [guide_state(guide)]
        for operation, rnd in operations:
            apply(operation, rnd, guide, user)
            states.append(guide_state(guide))
        versions = list(reversed(list(Version.objects.get_for_object(guide))))
        assert len(versions) == len(states)
        chosen = data.draw(st.integers(0, len(states) - 1), label="restore version")
        editorial.procedure_restore(procedure=guide, version=versions[chosen], user=user)
        assert guide_state(guide) == states[chosen]
        transaction.set_rollback(True)


def test_restoring_a_fully_translated_version_leaves_nothing_stale(client):
    guide = full_guide(status=Procedure.Status.DRAFT)
    client.force_login(superuser())
    assert save_guide_in_admin(client, guide).status_code == 302  # version 1: all complete
    url = f"{ADMIN}/{guide.pk}/change/"
    data = form_data(client.get(url).content.decode(), "procedure_form")
    data.update({"title_zh_hans": "新的标题", "steps-0-title_zh_hans": "新的步骤"})
    data["steps-0-position"], data["steps-1-position"] = (
        data["steps-1-position"],
        data["steps-0-position"],
    )
    assert client.post(url, data).status_code == 302  # version 2: reordered, English stale
    assert FieldTranslation.objects.filter(procedure=guide, status="stale").exists()
    first = Version.objects.get_for_object(guide).order_by("pk").first()
    response = client.post(f"{ADMIN}/{guide.pk}/history/{first.pk}/restore/", follow=True)
    assert response.status_code == 200
    assert not FieldTranslation.objects.filter(procedure=guide, status="stale").exists()
    publishing.publication_create(procedure=guide)
    client.logout()
    html = client.get(f"/en/guides/{guide.slug}/").content.decode()
    assert "newer" not in html.lower()


# --- Addresses ----------------------------------------------------------------------------------


def test_a_live_guides_address_is_reserved_and_a_changed_one_redirects(client):
    a = full_guide(slug="guide-a", title_en="Guide A")
    b = full_guide(slug="guide-b", title_en="Guide B", status=Procedure.Status.DRAFT)
    client.force_login(superuser())
    assert save_guide_in_admin(client, a, slug="guide-a-renamed").status_code == 302
    response = save_guide_in_admin(client, b, slug="guide-a")
    assert response.status_code == 200
    assert "belongs to the live guide" in response.content.decode()
    Procedure.objects.filter(pk=b.pk).update(slug="guide-a")  # a shell, an import
    b.refresh_from_db()
    with translation.override("en"), pytest.raises(editorial.WorkflowError, match="belongs to"):
        publishing.procedure_publish(procedure=b)
    client.logout()
    assert "Guide A" in client.get("/en/guides/guide-a/").content.decode()

    publishing.procedure_publish(procedure=a)
    for language in LANGUAGE_CODES:
        response = client.get(f"/{language}/guides/guide-a/")
        assert response.status_code == 301
        assert response["Location"] == f"/{language}/guides/guide-a-renamed/"
    # Once A's old address leads to A, B still cannot take it while A is live…
    with translation.override("en"), pytest.raises(editorial.WorkflowError, match="still leads"):
        publishing.procedure_publish(procedure=b)
    # …and can once A is off the site; A's old links then show B, and B's own page is B.
    publishing.procedure_unpublish(procedure=a, user=None)
    publishing.procedure_publish(procedure=b)
    assert "Guide B" in client.get("/en/guides/guide-a/").content.decode()


SLUGS = ["one", "two", "three"]
SLUG_STEPS = st.lists(
    st.tuples(
        st.integers(0, 2),
        st.sampled_from(["rename", "publish", "unpublish"]),
        st.sampled_from(SLUGS),
    ),  # fmt: skip
    min_size=1,
    max_size=8,
)


@hypothesis_settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=SLUG_STEPS)
def test_no_address_ever_shows_two_guides_or_loses_one(client, steps):
    """Whatever editors rename, publish and unpublish: an address shows at most one guide, and
    every address a live guide was published at still shows it or leads to it."""
    with transaction.atomic():
        guides = [
            full_guide(slug=f"start-{number}", title_en=f"Guide number {number}")
            for number in range(3)
        ]
        published_at = {guide.pk: {guide.slug} for guide in guides}
        for index, action, slug in steps:
            guide = Procedure.objects.get(pk=guides[index].pk)
            if action == "rename" and editorial.slug_problem(procedure=guide, slug=slug) is None:
                if not Procedure.objects.filter(slug=slug).exclude(pk=guide.pk).exists():
                    guide.slug = slug
                    guide.save()
            elif action in ("publish", "schedule"):
                later = timezone.now() + datetime.timedelta(days=1)
                try:
                    publishing.procedure_publish(
                        procedure=guide, publish_at=later if action == "schedule" else None
                    )
                    if action == "publish":
                        published_at[guide.pk].add(guide.slug)
                except editorial.WorkflowError:
                    pass
            elif action == "unpublish":
                publishing.procedure_unpublish(procedure=guide, user=None)
                published_at[guide.pk] = set()
        live = Publication.objects.live()
        assert live.values("slug").distinct().count() == live.count()
        # Live or waiting to go live: never two guides on one address.
        current = Publication.objects.filter(live_until__gt=timezone.now())
        for slug in set(current.values_list("slug", flat=True)):
            assert current.filter(slug=slug).values("procedure").distinct().count() == 1
        for guide in guides:
            current = live.filter(procedure=guide).first()
            if current is None:
                continue
            for address in published_at[guide.pk]:
                response = client.get(f"/en/guides/{address}/")
                if response.status_code == 301:
                    assert response["Location"] == f"/en/guides/{current.slug}/"
                else:
                    assert f"Guide number {guides.index(guide)}" in response.content.decode()
        transaction.set_rollback(True)


# --- Review that cannot be bypassed -------------------------------------------------------------


def test_a_save_without_changes_does_not_let_a_publisher_publish_their_own_edit(client, settings):
    settings.KB_PUBLISHER_MUST_DIFFER_FROM_EDITOR = True
    guide = full_guide()
    publisher, translator, other = (
        member_of("Publisher"), member_of("Translator"), member_of("Publisher")
    )  # fmt: skip
    client.force_login(publisher)
    assert save_guide_in_admin(client, guide, title_en="My unreviewed text").status_code == 302
    client.force_login(translator)
    assert save_guide_in_admin(client, guide).status_code == 302  # opened and saved, no change
    client.force_login(publisher)
    page = client.get(f"{ADMIN}/{guide.pk}/publish/").content.decode()
    assert "You changed this guide since it was last published" in page  # before any typing
    response = client.post(f"{ADMIN}/{guide.pk}/publish/")
    assert "another publisher must review and publish it" in response.content.decode()
    assert not Publication.objects.live().filter(title_en="My unreviewed text").exists()

    client.force_login(other)
    assert client.post(f"{ADMIN}/{guide.pk}/publish/").status_code == 302
    assert Publication.objects.live().filter(title_en="My unreviewed text").exists()
    # Reviewed and published: the next change by someone else is the first publisher's to publish.
    client.force_login(translator)
    assert save_guide_in_admin(client, guide, title_zh_hant="譯者的修改").status_code == 302
    client.force_login(publisher)
    assert client.post(f"{ADMIN}/{guide.pk}/publish/").status_code == 302


def test_restoring_or_converting_counts_as_changing_the_content(settings):
    settings.KB_PUBLISHER_MUST_DIFFER_FROM_EDITOR = True
    guide = full_guide()
    converter, restorer = member_of("Publisher"), member_of("Publisher")
    Procedure.objects.filter(pk=guide.pk).update(title_zh_hant="")
    assert not editorial.publish_refusal(procedure=guide, user=converter)
    editorial.procedure_convert(procedure=guide, target="zh-hant", user=converter)
    assert editorial.publish_refusal(procedure=guide, user=converter)

    record_version(guide, member_of("Editor"))
    version = Version.objects.get_for_object(guide).first()
    assert not editorial.publish_refusal(procedure=guide, user=restorer)
    editorial.procedure_restore(procedure=guide, version=version, user=restorer)
    assert editorial.publish_refusal(procedure=guide, user=restorer)


@pytest.mark.parametrize(
    "url, data",
    [
        ("/en/admin/procedures/carrier/{carrier}/change/", None),
        ("/en/admin/procedures/carrier/add/", None),
        ("/en/admin/procedures/document/add/", None),
        ("/en/admin/procedures/region/add/", None),
    ],
)
def test_editors_cannot_change_what_goes_live_without_review(client, url, data):
    guide = full_guide()
    client.force_login(member_of("Editor"))
    url = url.format(carrier=guide.carrier.pk)
    page = client.get(url)
    assert page.status_code in (200, 403)
    if page.status_code == 200:  # they may look, not save
        assert 'name="_save"' not in page.content.decode()
    posted = form_data(page.content.decode()) if page.status_code == 200 else {}
    posted.update({"name_en": "Cheap SIMs, chat with us", "website": "https://seller.example/"})
    assert client.post(url, posted).status_code == 403
    client.logout()
    assert "Cheap SIMs" not in client.get(f"/en/guides/{guide.slug}/").content.decode()


def test_publishers_keep_the_catalogue(client):
    guide = full_guide()
    client.force_login(member_of("Publisher"))
    url = f"/en/admin/procedures/carrier/{guide.carrier.pk}/change/"
    data = form_data(client.get(url).content.decode(), "carrier_form")
    data["name_en"] = "Renamed by a publisher"
    assert client.post(url, data).status_code == 302
    client.logout()
    assert "Renamed by a publisher" in client.get(f"/en/guides/{guide.slug}/").content.decode()


# --- Large guides ---------------------------------------------------------------------------------


def test_a_guide_with_80_steps_saves(client):
    from .factories import StepFactory

    guide = full_guide(status=Procedure.Status.DRAFT, steps_per_channel=40)
    StepFactory.create_batch(
        10, procedure=guide, channel="phone", position=factory_positions(guide, 10)
    )
    assert guide.steps.count() == 90
    client.force_login(superuser())
    response = save_guide_in_admin(client, guide, title_en="A long guide")
    assert response.status_code == 302, response.content[:500]
    guide.refresh_from_db()
    assert guide.title_en == "A long guide" and guide.steps.count() == 90


def factory_positions(guide, count):
    from factory import Iterator

    start = max(guide.steps.values_list("position", flat=True)) + 1
    return Iterator(range(start, start + count))


def test_a_guide_with_every_list_at_its_limit_fits_the_request_limits(client, settings):
    """The biggest form the admin lets an editor build is below the request limits, so no
    editor ever loses a form to a bare 400."""
    from procedures.admin import ProcedureAdmin

    inlines = {inline.model.__name__: inline.max_num for inline in ProcedureAdmin.inlines}
    guide = full_guide(status=Procedure.Status.DRAFT, steps_per_channel=1)
    client.force_login(superuser())
    data = form_data(client.get(f"{ADMIN}/{guide.pk}/change/").content.decode(), "procedure_form")
    per_row = {}
    for name in data:
        prefix, _sep, rest = name.partition("-")
        if rest.startswith("0-"):
            per_row[prefix] = per_row.get(prefix, 0) + 1
    prefixes = {"Step": "steps", "Note": "notes", "Faq": "faqs", "Source": "sources",
                "ProcedureDocument": "procedure_documents"}  # fmt: skip
    rows = sum(per_row[prefixes[model]] * limit for model, limit in inlines.items())
    assert rows + len(data) < settings.DATA_UPLOAD_MAX_NUMBER_FIELDS


def test_more_rows_than_allowed_are_refused_with_a_message_and_the_input_kept(client):
    from procedures.admin import StepInline

    guide = full_guide(status=Procedure.Status.DRAFT, steps_per_channel=1)
    client.force_login(superuser())
    url = f"{ADMIN}/{guide.pk}/change/"
    data = form_data(client.get(url).content.decode(), "procedure_form")
    data["summary_en"] = "Typed before adding too many steps"
    start = int(data["steps-TOTAL_FORMS"])
    for index in range(start, StepInline.max_num + 1):
        row = {
            "channel": "store",
            "title_en": f"S{index}",
            "title_zh_hans": "步",
            "title_zh_hant": "步",
        }
        data.update({f"steps-{index}-{name}": value for name, value in row.items()})
    data["steps-TOTAL_FORMS"] = str(StepInline.max_num + 1)
    response = client.post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert f"Please submit at most {StepInline.max_num} forms." in html
    assert "Typed before adding too many steps" in html


def test_a_request_too_large_to_read_gets_a_translated_page(client):
    client.force_login(superuser())
    guide = full_guide(status=Procedure.Status.DRAFT)
    fields = {f"field{number}": "x" for number in range(5_001)}
    response = client.post(f"/zh-hant/admin/procedures/procedure/{guide.pk}/change/", fields)
    assert response.status_code == 400
    assert "無法讀取" in response.content.decode()


# --- The edit lock --------------------------------------------------------------------------------


def test_a_save_without_the_version_it_started_from_is_refused_not_applied(client):
    guide = full_guide(status=Procedure.Status.DRAFT, title_en="Someone's title")
    client.force_login(superuser())
    url = f"{ADMIN}/{guide.pk}/change/"
    data = form_data(client.get(url).content.decode(), "procedure_form")
    Procedure.objects.filter(pk=guide.pk).update(title_en="Changed meanwhile")  # another save
    editorial.procedure_mark_edited(procedure=guide, user=None, changed=False)
    data.pop("edit_version")
    data["summary_en"] = "Typed in an old tab"
    response = client.post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "does not say which version of the guide it was based on" in html
    assert "Typed in an old tab" in html
    guide.refresh_from_db()
    assert guide.title_en == "Changed meanwhile" and guide.summary_en != "Typed in an old tab"
    # Having seen the form again, saving is a deliberate choice.
    assert client.post(url, form_data(html, "procedure_form")).status_code == 302


# --- Catalogue changes reach live pages, once ---------------------------------------------------


def carrier_save_queries(client, count: int, refreshed: list):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from .factories import CarrierFactory, ContactNumberFactory

    carrier = CarrierFactory()
    numbers = ContactNumberFactory.create_batch(3, carrier=carrier)
    for _ in range(count):
        full_guide(carrier=carrier)
    carrier.contact_numbers.exclude(pk__in=[number.pk for number in numbers]).delete()
    url = f"/en/admin/procedures/carrier/{carrier.pk}/change/"
    data = form_data(client.get(url).content.decode(), "carrier_form")
    data["name_en"] = f"Renamed with {count} guides"
    for index in range(3):
        data[f"contact_numbers-{index}-label_en"] = f"Line {index}"
    refreshed.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.post(url, data).status_code == 302
    return len(queries), carrier


def test_saving_a_carrier_with_its_numbers_refreshes_its_pages_once(client, monkeypatch):
    from procedures.publishing import refresh

    client.force_login(superuser())
    refreshed = []
    original = refresh._refresh
    monkeypatch.setattr(refresh, "_refresh", lambda *a: refreshed.append(a) or original(*a))
    small, carrier = carrier_save_queries(client, 5, refreshed)
    assert [kind for kind, *_ in refreshed] == ["carrier"]  # one save, one refresh
    large, _carrier = carrier_save_queries(client, 15, refreshed)
    # Each more guide costs its page's four updates (search text, content, renderings, stamp):
    # nothing per contact number, no reads (136 queries for 20 guides before: four refreshes).
    assert (large - small) / 10 <= 4, (small, large)
    client.logout()
    guide = Publication.objects.live().filter(carrier=carrier).first()
    html = client.get(f"/en/guides/{guide.slug}/").content.decode()
    assert "Renamed with 5 guides" in html and "Line 2" in html


def test_renaming_a_document_reaches_live_guide_pages_and_filters(client):
    guide = full_guide()
    item = guide.procedure_documents.first()
    document = item.document
    client.get(f"/en/guides/{guide.slug}/")  # cached as it is
    client.force_login(superuser())
    url = f"/en/admin/procedures/document/{document.pk}/change/"
    data = form_data(client.get(url).content.decode(), "document_form")
    data.update({"name_en": "Passport (the original)", "slug": "passport-original"})
    assert client.post(url, data).status_code == 302
    client.logout()
    html = client.get(f"/en/guides/{guide.slug}/").content.decode()
    assert "Passport (the original)" in html
    listed = client.get("/en/guides/?document=passport-original").content.decode()
    assert guide.title_en in listed


# --- Found in review: other doors to the same rooms ---------------------------------------------


def test_reversions_own_revert_page_goes_through_the_guides_rules(client, settings):
    settings.KB_PUBLISHER_MUST_DIFFER_FROM_EDITOR = True
    guide = full_guide(title_en="Reviewed text")
    author = member_of("Publisher")
    client.force_login(author)
    assert save_guide_in_admin(client, guide, title_en="The author's own text").status_code == 302
    own = Version.objects.get_for_object(guide).first()
    client.force_login(member_of("Editor"))
    assert save_guide_in_admin(client, guide, title_en="An editor's text").status_code == 302
    publishing.procedure_publish(procedure=guide, user=member_of("Publisher"))

    translator = member_of("Translator")
    client.force_login(translator)
    url = f"{ADMIN}/{guide.pk}/history/{own.pk}/"
    assert client.post(url, {}).status_code == 403  # translators do not restore structure
    client.force_login(author)
    assert client.get(url).status_code == 302  # shown as a comparison, nothing reverted
    assert client.post(url, {}).status_code == 302
    guide.refresh_from_db()
    assert guide.title_en == "The author's own text" and guide.status == Procedure.Status.DRAFT
    assert editorial.publish_refusal(procedure=guide, user=author)  # they brought it back


def test_a_recovered_guide_is_a_draft_changed_by_whoever_recovered_it(client):
    guide = full_guide(title_en="Deleted by mistake")
    client.force_login(superuser())
    assert save_guide_in_admin(client, guide).status_code == 302
    assert client.post(f"{ADMIN}/{guide.pk}/delete/", {"post": "yes"}).status_code == 302
    version = next(
        v
        for v in client.get(f"{ADMIN}/recover/").context["deleted"]
        if v.object_id == str(guide.pk)
    )
    data = form_data(client.get(f"{ADMIN}/recover/{version.pk}/").content.decode())
    assert client.post(f"{ADMIN}/recover/{version.pk}/", data).status_code == 302
    recovered = Procedure.objects.get(pk=guide.pk)
    assert recovered.status == Procedure.Status.DRAFT
    assert "Publish…" in client.get(f"{ADMIN}/{guide.pk}/change/").content.decode()


def test_publishing_what_changed_after_the_publisher_opened_the_page_is_refused(client):
    guide = full_guide(status=Procedure.Status.DRAFT, title_en="What I reviewed")
    client.force_login(member_of("Publisher"))
    page = client.get(f"{ADMIN}/{guide.pk}/publish/").content.decode()
    data = form_data(page)
    editorial.procedure_mark_edited(procedure=guide, user=None)  # someone saves meanwhile
    Procedure.objects.filter(pk=guide.pk).update(title_en="Slipped in after review")
    response = client.post(f"{ADMIN}/{guide.pk}/publish/", data)
    assert "saved again since you opened this page" in response.content.decode()
    assert not Publication.objects.filter(procedure=guide).exists()


def test_restoring_a_version_whose_address_or_carrier_is_gone_keeps_todays_and_says_so(client):
    from .factories import CarrierFactory

    guide = full_guide(status=Procedure.Status.DRAFT, slug="first-address")
    old_carrier = guide.carrier
    client.force_login(superuser())
    assert save_guide_in_admin(client, guide).status_code == 302
    first = Version.objects.get_for_object(guide).first()
    new_carrier = CarrierFactory(region=old_carrier.region)
    assert (
        save_guide_in_admin(
            client, guide, slug="second-address", carrier=str(new_carrier.pk)
        ).status_code
        == 302
    )
    full_guide(slug="first-address")  # another guide takes the old address
    Procedure.objects.filter(carrier=old_carrier).exclude(pk=guide.pk).delete()
    Publication.objects.filter(carrier=old_carrier).delete()
    old_carrier.delete()
    response = client.post(f"{ADMIN}/{guide.pk}/history/{first.pk}/restore/", follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert "keeps its address" in html and "keeps its carrier" in html
    guide.refresh_from_db()
    assert guide.slug == "second-address" and guide.carrier == new_carrier


def test_a_scheduled_publication_holds_its_address():
    guide = full_guide(status=Procedure.Status.DRAFT, slug="shared")
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    publishing.procedure_publish(procedure=guide, publish_at=tomorrow)
    other = full_guide(status=Procedure.Status.DRAFT, slug="other")
    assert editorial.slug_problem(procedure=other, slug="shared")


def test_renaming_a_carrier_reaches_search():
    guide = full_guide()
    carrier = guide.carrier
    carrier.name_en = "Zebra Mobile"
    carrier.save()
    from procedures.public import listing

    listing.forget()
    index = listing.guide_index()
    assert index.matching("zebra")


def test_a_control_character_in_a_text_never_breaks_a_feed(client):
    guide = full_guide(title_en="Fine title")
    Publication.objects.filter(procedure=guide).update(title_en="Bad\x08title", summary_en="x\x0cy")
    response = client.get("/en/feeds/guides.atom")
    assert response.status_code == 200
    from xml.etree import ElementTree

    titles = [
        e.text
        for e in ElementTree.fromstring(response.content).iter("{http://www.w3.org/2005/Atom}title")
    ]
    assert "Badtitle" in titles
    guide.title_en = "Typed\x07 by accident"
    guide.save()
    guide.refresh_from_db()
    assert guide.title_en == "Typed by accident"
