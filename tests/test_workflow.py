"""The editorial workflow as editors live it: roles, review before publishing, readers kept on
the published version, scheduled publishing, history, and no lost edits."""

import datetime

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.db import IntegrityError
from django.utils import translation

from procedures import editorial, publishing
from procedures.models import Procedure, Publication, Step

from .factories import StepFactory, UserFactory, full_guide, member_of
from .forms import form_data, save_guide_in_admin

pytestmark = pytest.mark.django_db

ADMIN = "/en/admin/procedures/procedure"


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login


edit = save_guide_in_admin


def page(client, guide, query=""):
    return client.get(f"/en/guides/{guide.slug}/{query}")


# --- Roles ----------------------------------------------------------------------------------------


def test_the_three_roles_exist():
    assert {"Editor", "Translator", "Publisher"} <= set(
        Group.objects.values_list("name", flat=True)
    )


def test_an_editor_edits_but_cannot_publish(as_user):
    guide = full_guide(status=Procedure.Status.DRAFT)
    client = as_user(member_of("Editor"))
    assert edit(client, guide, title_en="Edited by the editor").status_code == 302
    assert client.get(f"{ADMIN}/{guide.pk}/publish/").status_code == 403
    assert client.post(f"{ADMIN}/{guide.pk}/publish/").status_code == 403
    assert "Publish…" not in client.get(f"{ADMIN}/{guide.pk}/change/").content.decode()
    assert client.post(f"{ADMIN}/{guide.pk}/delete/", {"post": "yes"}).status_code == 403
    assert not guide.publications.exists()
    with translation.override("en"), pytest.raises(editorial.WorkflowError, match="publishers"):
        publishing.procedure_publish(procedure=guide, user=member_of("Editor"))


def test_an_editor_submits_a_draft_for_review(as_user):
    guide = full_guide(status=Procedure.Status.DRAFT)
    client = as_user(member_of("Editor"))
    response = client.post(f"{ADMIN}/{guide.pk}/workflow/submit/", follow=True)
    assert "awaits review" in response.content.decode()
    guide.refresh_from_db()
    assert guide.status == Procedure.Status.IN_REVIEW


def test_a_translator_changes_texts_only(as_user):
    guide = full_guide(status=Procedure.Status.DRAFT)
    client = as_user(member_of("Translator"))
    html = client.get(f"{ADMIN}/{guide.pk}/change/").content.decode()
    assert 'name="title_zh_hant"' in html
    assert 'name="slug"' not in html and 'name="kind"' not in html
    data = form_data(html, "procedure_form")
    data.update({"title_zh_hant": "譯者改的標題", "slug": "hijacked", "kind": "activation"})
    # A new step smuggled into the form is ignored: translators cannot add rows.
    data["steps-TOTAL_FORMS"] = str(int(data["steps-TOTAL_FORMS"]) + 1)
    new = int(data["steps-TOTAL_FORMS"]) - 1
    data.update({f"steps-{new}-title_zh_hans": "新步骤", f"steps-{new}-channel": "store"})
    assert client.post(f"{ADMIN}/{guide.pk}/change/", data).status_code == 302
    guide.refresh_from_db()
    assert guide.title_zh_hant == "譯者改的標題"
    assert guide.slug != "hijacked" and guide.kind == Procedure.Kind.REAL_NAME
    assert not guide.steps.filter(title_zh_hans="新步骤").exists()
    assert client.get(f"{ADMIN}/{guide.pk}/publish/").status_code == 403
    assert client.post(f"{ADMIN}/{guide.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.get(f"{ADMIN}/add/").status_code == 403


def test_a_publisher_publishes(as_user, client):
    guide = full_guide(status=Procedure.Status.DRAFT, title_en="Ready to go")
    editor = member_of("Editor")
    editorial.procedure_mark_edited(procedure=guide, user=editor)
    publisher = as_user(member_of("Publisher"))
    response = publisher.post(f"{ADMIN}/{guide.pk}/publish/", follow=True)
    assert "is published" in response.content.decode()
    publisher.logout()
    assert "Ready to go" in page(client, guide).content.decode()


def test_the_last_editor_cannot_publish_their_own_change(as_user, settings):
    settings.KB_PUBLISHER_MUST_DIFFER_FROM_EDITOR = True
    guide = full_guide(status=Procedure.Status.DRAFT)
    publisher = member_of("Publisher")
    client = as_user(publisher)
    assert edit(client, guide, title_en="My own change").status_code == 302
    response = client.post(f"{ADMIN}/{guide.pk}/publish/")
    assert "another publisher must review and publish it" in response.content.decode()
    assert not guide.publications.filter(title_en="My own change").exists()

    settings.KB_PUBLISHER_MUST_DIFFER_FROM_EDITOR = False
    assert client.post(f"{ADMIN}/{guide.pk}/publish/").status_code == 302


# --- Publish checks -------------------------------------------------------------------------------


def test_publishing_lists_everything_that_is_missing(as_user):
    guide = full_guide(status=Procedure.Status.DRAFT, summary_en="")
    step = guide.steps.first()
    step.title_zh_hant = ""
    step.save()
    client = as_user(UserFactory(is_staff=True, is_superuser=True))
    html = client.post(f"{ADMIN}/{guide.pk}/publish/").content.decode()
    assert "This guide cannot be published yet" in html
    assert "The summary is missing in English." in html
    assert "The title of step 1 is missing in 繁體中文." in html
    assert not guide.publications.exists()


def test_a_guide_without_steps_cannot_be_published():
    guide = full_guide(status=Procedure.Status.DRAFT)
    guide.steps.all().delete()
    with translation.override("en"), pytest.raises(editorial.WorkflowError, match="one step"):
        publishing.procedure_publish(procedure=guide)


# --- Readers see the published version ------------------------------------------------------------


def test_readers_keep_the_published_version_while_editors_work(as_user, client):
    guide = full_guide(title_en="Version one")
    editor = as_user(UserFactory(is_staff=True, is_superuser=True))
    assert edit(editor, guide, title_en="Version two").status_code == 302
    guide.refresh_from_db()
    assert guide.status == Procedure.Status.DRAFT

    preview = page(editor, guide, "?preview=1").content.decode()
    assert "Version two" in preview and "Preview of the editors' version" in preview
    editor.logout()

    for query in ("", "?preview=1"):
        html = page(client, guide, query).content.decode()
        assert "Version one" in html and "Version two" not in html

    publishing.procedure_publish(procedure=guide)
    assert "Version two" in page(client, guide).content.decode()


def test_unpublished_and_archived_guides_are_gone_for_readers(client):
    guide = full_guide()
    publishing.procedure_unpublish(procedure=guide, user=None)
    assert page(client, guide).status_code == 404
    publishing.procedure_publish(procedure=guide)
    assert page(client, guide).status_code == 200
    publishing.procedure_archive(procedure=guide, user=None)
    assert page(client, guide).status_code == 404
    assert guide.slug not in client.get("/sitemap.xml").content.decode()


def test_scheduled_publishing_takes_effect_by_itself(client):
    start = datetime.datetime(2026, 11, 1, 9, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        guide = full_guide(title_en="Old rules")
        guide.title_en = "New rules"
        guide.save()
        publishing.procedure_publish(procedure=guide, publish_at=start + datetime.timedelta(days=3))
        assert "Old rules" in page(client, guide).content.decode()
    with time_machine.travel(start + datetime.timedelta(days=3, minutes=1), tick=False):
        html = page(client, guide).content.decode()
        assert "New rules" in html and "Old rules" not in html
        assert Publication.objects.live().filter(procedure=guide).count() == 1


def test_change_notes_tell_readers_what_changed_and_feed_it(client):
    with time_machine.travel(datetime.datetime(2026, 10, 1, 9, tzinfo=datetime.UTC)):
        guide = full_guide(title_en="Register with CTM")
    publishing.procedure_publish(
        procedure=guide,
        change_note={
            "zh-hans": "更新了证件要求",
            "zh-hant": "更新了證件要求",
            "en": "New ID rules",
        },
    )
    html = page(client, guide).content.decode()
    assert "What changed" in html and "New ID rules" in html
    zh = client.get(f"/zh-hant/guides/{guide.slug}/").content.decode()
    assert "更新了證件要求" in zh

    feed = client.get("/en/feeds/guides.atom")
    assert feed["Content-Type"].startswith("application/atom+xml")
    body = feed.content.decode()
    assert "<title>Register with CTM</title>" in body and "New ID rules" in body
    carrier_feed = client.get(f"/zh-hans/feeds/carriers/{guide.carrier.slug}.atom").content
    assert "更新了证件要求" in carrier_feed.decode()
    assert client.get("/en/feeds/carriers/nope.atom").status_code == 404


# --- History --------------------------------------------------------------------------------------


def test_history_compares_versions_and_restores_one_with_its_steps(as_user):
    guide = full_guide(status=Procedure.Status.DRAFT, title_en="First title")
    client = as_user(UserFactory(is_staff=True, is_superuser=True))
    assert edit(client, guide, title_en="First title").status_code == 302  # version 1
    first_steps = list(guide.steps.values_list("title_en", flat=True))
    url = f"{ADMIN}/{guide.pk}/change/"
    data = form_data(client.get(url).content.decode(), "procedure_form")
    data["title_en"] = "Second title"
    data["steps-0-DELETE"] = "on"
    assert client.post(url, data).status_code == 302  # version 2
    assert guide.steps.count() == len(first_steps) - 1

    history = client.get(f"{ADMIN}/{guide.pk}/history/")
    versions = history.context["versions"]
    assert len(versions) == 2
    compare = client.get(
        f"{ADMIN}/{guide.pk}/history/compare/?old={versions[1].pk}&new={versions[0].pk}"
    ).content.decode()
    assert "<del>First</del><ins>Second</ins> title" in compare
    assert "Step 1 · title [en]" in compare

    response = client.post(f"{ADMIN}/{guide.pk}/history/{versions[1].pk}/restore/", follow=True)
    assert "Restored the version of" in response.content.decode()
    guide.refresh_from_db()
    assert guide.title_en == "First title"
    assert list(guide.steps.values_list("title_en", flat=True)) == first_steps
    assert len(client.get(f"{ADMIN}/{guide.pk}/history/").context["versions"]) == 3


def test_a_deleted_guide_can_be_recovered(as_user):
    guide = full_guide(status=Procedure.Status.DRAFT, title_en="Deleted by mistake")
    client = as_user(UserFactory(is_staff=True, is_superuser=True))
    assert edit(client, guide).status_code == 302
    assert client.post(f"{ADMIN}/{guide.pk}/delete/", {"post": "yes"}).status_code == 302
    assert not Procedure.objects.filter(pk=guide.pk).exists()

    recover_list = client.get(f"{ADMIN}/recover/").content.decode()
    assert "Deleted by mistake" in recover_list
    deleted = client.get(f"{ADMIN}/recover/").context["deleted"]
    version = next(version for version in deleted if version.object_id == str(guide.pk))
    data = form_data(client.get(f"{ADMIN}/recover/{version.pk}/").content.decode())
    assert client.post(f"{ADMIN}/recover/{version.pk}/", data).status_code == 302
    restored = Procedure.objects.get(pk=guide.pk)
    assert restored.title_en == "Deleted by mistake"
    assert restored.steps.count() == 6


# --- No lost edits --------------------------------------------------------------------------------


def test_a_concurrent_save_is_refused_and_the_input_kept(client, django_user_model):
    guide = full_guide(status=Procedure.Status.DRAFT, title_en="Original")
    first, second = (UserFactory(is_staff=True, is_superuser=True) for _ in range(2))
    first.first_name = "Ana"
    first.save()
    url = f"{ADMIN}/{guide.pk}/change/"
    client.force_login(first)
    assert edit(client, guide).status_code == 302  # the guide's first recorded version
    first_form = form_data(client.get(url).content.decode(), "procedure_form")
    client.force_login(second)
    second_form = form_data(client.get(url).content.decode(), "procedure_form")

    client.force_login(first)
    first_form["title_en"] = "Ana's title"
    assert client.post(url, first_form).status_code == 302

    client.force_login(second)
    second_form["summary_en"] = "My careful summary"
    response = client.post(url, second_form)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Someone else saved this guide while you were editing it" in html
    assert "My careful summary" in html  # what the second editor typed is still there
    assert "<del>Original</del><ins>Ana&#x27;s title</ins>" in html  # and what changed
    guide.refresh_from_db()
    assert guide.title_en == "Ana's title" and guide.summary_en != "My careful summary"

    # Saving again, having seen the change, is a deliberate overwrite.
    again = form_data(html, "procedure_form")
    assert client.post(url, again).status_code == 302
    guide.refresh_from_db()
    assert guide.summary_en == "My careful summary"


def test_a_failing_step_leaves_nothing_half_saved(client, monkeypatch):
    guide = full_guide(status=Procedure.Status.DRAFT, title_en="Before")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    url = f"{ADMIN}/{guide.pk}/change/"
    data = form_data(client.get(url).content.decode(), "procedure_form")
    data["title_en"] = "After"
    data["steps-0-title_en"] = "Step that breaks"
    original_save = Step.save

    def failing_save(self, *args, **kwargs):
        if self.title_en == "Step that breaks":
            raise IntegrityError("disk full")
        return original_save(self, *args, **kwargs)

    monkeypatch.setattr(Step, "save", failing_save)
    client.raise_request_exception = True
    with pytest.raises(IntegrityError):
        client.post(url, data)
    guide.refresh_from_db()
    assert guide.title_en == "Before"
    assert not guide.steps.filter(title_en="Step that breaks").exists()
    assert guide.steps.count() == 6


def test_steps_added_after_publishing_wait_for_the_next_publish(client):
    guide = full_guide()
    StepFactory(procedure=guide, title_en="Brand new step")
    assert "Brand new step" not in page(client, guide).content.decode()
    publishing.procedure_publish(procedure=guide)
    assert "Brand new step" in page(client, guide).content.decode()
