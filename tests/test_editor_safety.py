"""Editors never lose work, never hit an error page, and never bypass review (the faults found by
trying the admin as a newcomer and as a red team, each fixed as a kind)."""

import datetime

import pytest
import reversion
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import translation
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from procedures import services, translation_status
from procedures.models import FieldTranslation, Procedure, Publication, Step
from procedures.texts import LANGUAGE_CODES, column, translated_fields

from .factories import UserFactory, full_guide
from .forms import save_guide_in_admin

pytestmark = pytest.mark.django_db

ADMIN = "/en/admin/procedures/procedure"


def member_of(group: str, **fields):
    user = UserFactory(is_staff=True, **fields)
    user.groups.add(Group.objects.get(name=group))
    return user


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
TEXTS = st.one_of(BLANKS, st.text(min_size=1, max_size=12).filter(str.strip))


@hypothesis_settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_every_reader_of_texts_treats_missing_the_same(client, data):
    """Whatever mix of NULL, empty, blank and real text a guide's rows hold, the publish checks,
    translation status, snapshot, pages, history and feeds agree on what is missing."""
    with transaction.atomic():
        guide = full_guide(status=Procedure.Status.DRAFT)
        rows = [guide, *guide.steps.all(), *guide.notes.all(), *guide.faqs.all(), guide.carrier]
        expected_missing = set()
        for row in rows:
            updates = {}
            for field in translated_fields(type(row)):
                for code in LANGUAGE_CODES:
                    value = data.draw(TEXTS, label=f"{type(row).__name__}.{field}.{code}")
                    updates[column(field, code)] = value
                    if value is None or not value.strip():
                        expected_missing.add((type(row).__name__, row.pk, field, code))
            type(row).objects.filter(pk=row.pk).update(**updates)  # bypasses every save hook

        guide = services.working_copy(guide)
        with translation.override("en"):
            problems = services.procedure_publish_problems(procedure=guide)
        required_missing = {
            (model, field, code)
            for model, _pk, field, code in expected_missing
            if (model, field)
            in {("Procedure", "title"), ("Procedure", "summary"), ("Step", "title")}
        }
        assert bool(required_missing) == any("is missing in" in str(p) for p in problems)

        for row in rows:
            texts = translation_status.texts_of(type(row).objects.get(pk=row.pk))
            for field, by_language in texts.items():
                for code, text in by_language.items():
                    missing = (type(row).__name__, row.pk, field, code) in expected_missing
                    assert (text == "") == missing
            translation_status.record(type(row).objects.get(pk=row.pk), before=None)
        statuses = FieldTranslation.objects.filter(procedure=guide)
        assert all(row.status in {"complete", "missing"} for row in statuses)

        client.force_login(superuser())
        for language in LANGUAGE_CODES:
            assert client.get(f"/{language}/guides/{guide.slug}/?preview=1").status_code == 200
            assert (
                client.get(f"/{language}/admin/procedures/procedure/{guide.pk}/change/").status_code
                == 200
            )
        if not required_missing:
            services.publication_create(procedure=guide)
            client.logout()
            for language in LANGUAGE_CODES:
                assert client.get(f"/{language}/guides/{guide.slug}/").status_code == 200
                assert client.get(f"/{language}/feeds/guides.atom").status_code == 200
            assert client.get("/sitemap.xml").status_code == 200
        transaction.set_rollback(True)


# --- Other error pages ---------------------------------------------------------------------------


def test_a_translator_fills_traditional_from_simplified(client):
    guide = full_guide(status=Procedure.Status.DRAFT, title_zh_hant="")
    Procedure.objects.filter(pk=guide.pk).update(title_zh_hans="注销澳门的号码")
    client.force_login(member_of("Translator"))
    response = client.post(
        f"{ADMIN}/", {"action": "fill_traditional", "_selected_action": [guide.pk]}, follow=True
    )
    assert response.status_code == 200
    assert "marked machine-converted" in response.content.decode()
    guide.refresh_from_db()
    assert guide.title_zh_hant == "註銷澳門的號碼"


def test_an_action_an_editor_may_not_take_says_why(client, monkeypatch):
    guide = full_guide(status=Procedure.Status.DRAFT)
    client.force_login(member_of("Editor"))

    def refuse(**kwargs):
        raise services.WorkflowError(["Not today."])

    monkeypatch.setattr(services, "procedure_convert", refuse)
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
    with translation.override("en"):  # history comments are written in the actor's language
        services.procedure_submit_for_review(procedure=guide, user=editor)
        services.procedure_publish(procedure=guide, user=publisher)
        services.procedure_unpublish(procedure=guide, user=publisher)
        services.procedure_archive(procedure=guide, user=publisher)
    client.force_login(superuser())
    response = client.get(f"{ADMIN}/{guide.pk}/history/")
    assert response.status_code == 200
    rows = [
        (version.revision.user.first_name, version.revision.get_comment())
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
