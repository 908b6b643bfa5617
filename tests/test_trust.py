"""What makes a guide trustworthy: sources, a verified date, a review when it gets old, and
honest labels."""

import datetime

import pytest
import time_machine
from django.utils import translation

from procedures import editorial
from procedures.importing import demo as importing
from procedures.models import Note, Procedure

from .factories import (
    ProcedureFactory,
    RegionFactory,
    SourceFactory,
    UserFactory,
    full_guide,
    publish,
)
from .forms import form_data, save_guide_in_admin

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    user = UserFactory(is_staff=True, is_superuser=True, first_name="Ana", last_name="Lei")
    client.force_login(user)
    return client


def publish_in_admin(editor, guide, **values):
    return editor.post(f"/en/admin/procedures/procedure/{guide.pk}/publish/", values)


def test_publishing_without_a_verified_date_is_refused(editor):
    guide = full_guide(status=Procedure.Status.DRAFT, last_verified_on=None)
    page = editor.get(f"/en/admin/procedures/procedure/{guide.pk}/publish/").content.decode()
    message = "A published guide needs the date it was last verified against its sources."
    assert message in page
    response = publish_in_admin(editor, guide)
    assert message in response.content.decode()
    guide.refresh_from_db()
    assert guide.status == Procedure.Status.DRAFT
    assert not guide.publications.exists()


def test_publishing_without_a_source_is_refused(editor):
    guide = full_guide(status=Procedure.Status.DRAFT)
    guide.sources.all().delete()
    response = publish_in_admin(editor, guide)
    assert "A published guide needs at least one official source." in response.content.decode()
    assert not guide.publications.exists()


def test_deleting_every_source_keeps_readers_on_the_sourced_version(editor, client):
    guide = full_guide()
    url = f"/en/admin/procedures/procedure/{guide.pk}/change/"
    data = form_data(editor.get(url).content.decode(), "procedure_form")
    data["sources-0-DELETE"] = "on"
    assert editor.post(url, data).status_code == 302
    assert (
        'href="https://regulator.example/rules"'
        in client.get(f"/en/guides/{guide.slug}/").content.decode()
    )
    response = publish_in_admin(editor, guide)
    assert "A published guide needs at least one official source." in response.content.decode()


def test_a_draft_may_be_saved_without_sources(editor):
    guide = ProcedureFactory(status=Procedure.Status.DRAFT, last_verified_on=None)
    assert save_guide_in_admin(editor, guide, title_en="Work in progress").status_code == 302


def test_verifying_records_who_verified_and_publishing_shows_it(editor, client):
    guide = full_guide(status=Procedure.Status.DRAFT, last_verified_on=None)
    assert save_guide_in_admin(editor, guide, last_verified_on="2026-11-20").status_code == 302
    guide.refresh_from_db()
    assert guide.verified_by == "Ana Lei"
    assert publish_in_admin(editor, guide).status_code == 302
    html = client.get(f"/en/guides/{guide.slug}/").content.decode()
    assert "Last verified on 20 November 2026 by Ana Lei." in html


def test_importing_a_published_guide_without_sources_is_refused():
    RegionFactory(slug="macau")
    data = {
        "slug": "no-sources",
        "region": "macau",
        "kind": "real-name",
        "title": {"zh-hans": "甲", "zh-hant": "乙", "en": "C"},
        "summary": {"zh-hans": "甲", "zh-hant": "乙", "en": "C"},
        "last_verified_on": datetime.date(2026, 11, 1),
    }
    with translation.override("en"), pytest.raises(importing.ContentError, match="official source"):
        importing.guide_import(data=data, report=importing.ImportReport())
    assert not Procedure.objects.filter(slug="no-sources").exists()


# --- Review interval ----------------------------------------------------------------------------


def at(year, month, day):
    return time_machine.travel(datetime.datetime(year, month, day, 12, tzinfo=datetime.UTC))


def test_an_old_guide_tells_readers_it_may_have_changed(client):
    with at(2026, 1, 10):
        guide = full_guide(last_verified_on=datetime.date(2026, 1, 10))
    with time_machine.travel(datetime.datetime(2026, 5, 1, 12, tzinfo=datetime.UTC)):
        html = client.get(f"/en/guides/{guide.slug}/").content.decode()
        assert "This guide was last verified on" not in html
    with time_machine.travel(datetime.datetime(2026, 7, 20, 12, tzinfo=datetime.UTC)):
        html = client.get(f"/en/guides/{guide.slug}/").content.decode()
        assert "This guide was last verified on 10 January 2026." in html
        zh = client.get(f"/zh-hans/guides/{guide.slug}/").content.decode()
        assert "本指南最后核实于 2026年1月10日" in zh


def test_the_review_interval_can_be_set_per_guide(client):
    with at(2026, 1, 10):
        guide = full_guide(last_verified_on=datetime.date(2026, 1, 10), review_interval_days=30)
    assert guide.review_due_on == datetime.date(2026, 2, 9)
    with time_machine.travel(datetime.datetime(2026, 2, 15, 12, tzinfo=datetime.UTC)):
        assert (
            "This guide was last verified on"
            in client.get(f"/en/guides/{guide.slug}/").content.decode()
        )


def test_the_admin_lists_guides_due_a_review(editor):
    old = ProcedureFactory(title_en="Old one", last_verified_on=datetime.date(2025, 1, 1))
    fresh = ProcedureFactory(title_en="Fresh one", last_verified_on=datetime.date(2026, 11, 1))
    with time_machine.travel(datetime.datetime(2026, 11, 22, 12, tzinfo=datetime.UTC)):
        due = editor.get("/en/admin/procedures/procedure/?review=due")
        assert list(due.context["cl"].result_list) == [old]
        recent = editor.get("/en/admin/procedures/procedure/?review=ok")
        assert list(recent.context["cl"].result_list) == [fresh]
        html = due.content.decode()
        assert "Review due" in html and "review due" in html.lower()


# --- What the pages say -------------------------------------------------------------------------


def test_correction_notice_is_shown_under_watch_out(client):
    guide = full_guide(correction_notice_en="CTT is the regulator, not an operator.")
    html = client.get(f"/en/guides/{guide.slug}/").content.decode()
    assert "Common advice gets this wrong" in html
    assert "CTT is the regulator, not an operator." in html


def test_region_page_states_its_rules_with_sources(client):
    region = RegionFactory(summary_en="- **Law**: Law 13/2019, art. 24.")
    region.sources.create(
        position=1, url="https://news.gov.mo/x", title_en="Government notice", language="en"
    )
    html = client.get(f"/en/regions/{region.slug}/").content.decode()
    assert "<strong>Law</strong>: Law 13/2019, art. 24." in html
    assert (
        '<a href="https://news.gov.mo/x" rel="noopener" hreflang="en">Government notice</a>' in html
    )


def test_every_source_is_listed_with_its_language(client):
    guide = full_guide()
    SourceFactory(procedure=guide, title_en="澳門 source", language="zh-hant")
    publish(guide)
    html = client.get(f"/en/guides/{guide.slug}/").content.decode()
    assert 'hreflang="zh-hant">澳門 source</a> <span class="muted">(繁體中文)</span>' in html


def test_a_guide_says_time_cost_what_can_go_wrong_and_whom_to_ask_before_it_is_published():
    guide = full_guide(
        status=Procedure.Status.DRAFT, carrier=None, region=RegionFactory(),
        processing_time_en="", fees_zh_hant="",
        official_contacts_zh_hans="", official_contacts_zh_hant="", official_contacts_en="",
    )  # fmt: skip
    guide.notes.filter(kind=Note.Kind.TROUBLE).delete()
    with translation.override("en"):
        problems = editorial.procedure_publish_problems(
            procedure=Procedure.objects.working_copy(guide)
        )
    assert "The processing time is missing in English." in problems
    assert "The cost is missing in 繁體中文." in problems
    assert any("if something goes wrong" in problem for problem in problems)
    assert any("needs an official contact" in problem for problem in problems)

    # A carrier's own numbers are an official contact; "not published" is an answer.
    carrier_guide = full_guide(
        status=Procedure.Status.DRAFT, fees_en="Not published by the operator"
    )
    assert (
        editorial.procedure_publish_problems(
            procedure=Procedure.objects.working_copy(carrier_guide)
        )
        == []
    )
