"""The admin as editors use it: the translation work reachable and filtered, refused actions
shown with their reason before anything is typed, review dates only when they matter."""

import datetime

import pytest
from django.utils import timezone

from procedures.models import Procedure

from .factories import UserFactory, full_guide, member_of
from .forms import save_guide_in_admin

pytestmark = pytest.mark.django_db

ADMIN = "/en/admin/procedures/procedure"


def test_the_translation_dashboard_is_reached_from_the_index_and_lists_work_first(client):
    done = full_guide(title_en="Fully translated")
    todo = full_guide(title_en="Needs Traditional")
    Procedure.objects.filter(pk=todo.pk).update(summary_zh_hant="")
    from procedures.translations import status as translation_status

    translation_status.record(Procedure.objects.get(pk=todo.pk), before=None)
    translation_status.record(Procedure.objects.get(pk=done.pk), before=None)
    client.force_login(member_of("Translator"))
    index = client.get("/en/admin/").content.decode()
    assert f'href="{ADMIN}/translations/"' in index
    assert f'href="{ADMIN}/translations/"' in client.get(f"{ADMIN}/").content.decode()
    page = client.get(f"{ADMIN}/translations/").content.decode()
    assert "Needs Traditional" in page and "Fully translated" not in page
    assert f"{ADMIN}/{todo.pk}/change/?language=zh-hant" in page
    everything = client.get(f"{ADMIN}/translations/?show=all").content.decode()
    assert "Fully translated" in everything
    english_only = client.get(f"{ADMIN}/translations/?language=en").content.decode()
    assert "Needs Traditional" not in english_only
    assert "Nothing needs work with these filters." in english_only
    elsewhere = client.get(f"{ADMIN}/translations/?region=nowhere").content.decode()
    assert "Needs Traditional" not in elsewhere


def test_a_publisher_who_changed_the_guide_sees_why_they_cannot_publish_it(client, settings):
    settings.KB_PUBLISHER_MUST_DIFFER_FROM_EDITOR = True
    guide = full_guide(status=Procedure.Status.DRAFT)
    client.force_login(member_of("Publisher"))
    assert save_guide_in_admin(client, guide, title_en="Mine").status_code == 302
    html = client.get(f"{ADMIN}/{guide.pk}/change/").content.decode()
    assert 'aria-disabled="true"' in html
    assert "another publisher must review and publish it" in html
    assert f'href="{ADMIN}/{guide.pk}/publish/"' not in html
    client.force_login(member_of("Publisher"))
    assert (
        f'href="{ADMIN}/{guide.pk}/publish/"'
        in client.get(f"{ADMIN}/{guide.pk}/change/").content.decode()
    )


def test_review_dates_show_only_when_a_review_is_due_or_near(client):
    today = timezone.localdate()
    full_guide(title_en="Fresh", last_verified_on=today)
    full_guide(title_en="Stale", last_verified_on=today - datetime.timedelta(days=400))
    full_guide(title_en="Soon", last_verified_on=today - datetime.timedelta(days=170))
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    html = client.get(f"{ADMIN}/").content.decode()
    assert "Due since" in html and "Due on" in html
    assert "icon-yes.svg" not in html and "icon-no.svg" not in html


def test_sign_in_records_are_shown_to_superusers_only(client):
    from django.contrib.auth.models import Permission

    editor = member_of("Editor")
    # Even a permission granted by mistake does not show django-axes' sections to an editor.
    editor.user_permissions.add(*Permission.objects.filter(content_type__app_label="axes"))
    client.force_login(editor)
    index = client.get("/en/admin/").content.decode()
    assert "/en/admin/axes/" not in index
    assert client.get("/en/admin/axes/accessattempt/").status_code == 403
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert "/en/admin/axes/" in client.get("/en/admin/").content.decode()
