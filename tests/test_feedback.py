"""Readers' feedback: "was this helpful?" and "report a problem" reach the editors' inbox from a
cached guide page, CSRF-protected, rate-limited, without personal data; three "out of date"
reports put a guide on the review list."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from procedures.feedback.admin import reader_feedback, with_feedback_counts
from procedures.feedback.models import Feedback
from procedures.models import Procedure

from .conftest import LANGUAGES
from .factories import UserFactory, full_guide

pytestmark = pytest.mark.django_db


@pytest.fixture
def guide():
    return full_guide(channels=("website",), last_verified_on=datetime.date(2026, 1, 1))


def _token(client, url) -> str:
    client.get(url)
    return client.cookies["csrftoken"].value


def send(client, url, **data):
    csrf = Client(enforce_csrf_checks=True) if client is None else client
    token = _token(csrf, url)
    return csrf.post(url, {"csrfmiddlewaretoken": token, **data})


def test_the_cached_guide_page_links_to_the_feedback_forms_and_sets_no_cookie(client, guide):
    url = f"/en/guides/{guide.slug}/"
    response = client.get(url)
    html = response.content.decode()
    # The page stays the same for everyone, and cacheable: no CSRF or session cookie.
    assert "csrftoken" not in response.cookies and "sessionid" not in response.cookies
    assert "csrfmiddlewaretoken" not in html
    assert f'href="/en/guides/{guide.slug}/feedback/helpful/"' in html
    assert f'href="/en/guides/{guide.slug}/feedback/problem/website-2/"' in html
    assert client.get(url)["X-Page-Cache"] == "hit"


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_reader_reports_a_problem_with_a_step(language, guide):
    client = Client(enforce_csrf_checks=True)
    url = f"/{language}/guides/{guide.slug}/feedback/problem/website-2/"
    form = client.get(url)
    assert form.status_code == 200
    assert "no-cache" in form["Cache-Control"] or "private" in form["Cache-Control"]
    step_title = guide.steps.filter(channel="website").order_by("position")[1]
    title = getattr(step_title, "title_" + language.replace("-", "_"))
    assert title in form.content.decode()
    response = send(client, url, reason="outdated", comment="  The fee changed in May.  ")
    assert response.status_code == 200
    feedback = Feedback.objects.get()
    assert (feedback.kind, feedback.reason, feedback.step) == ("problem", "outdated", "website-2")
    assert feedback.comment == "The fee changed in May."
    assert feedback.step_title == title
    assert feedback.language == language
    # Nothing that identifies the reader is kept.
    stored = {field.name for field in Feedback._meta.fields}
    assert not stored & {"ip", "ip_address", "user_agent", "address", "session", "user"}


def test_helpful_needs_no_reason_and_a_problem_does(guide):
    client = Client(enforce_csrf_checks=True)
    assert send(client, f"/en/guides/{guide.slug}/feedback/helpful/").status_code == 200
    problem = send(client, f"/en/guides/{guide.slug}/feedback/problem/", comment="x")
    assert problem.status_code == 400
    assert "There is a problem" in problem.content.decode()
    wrong = send(client, f"/en/guides/{guide.slug}/feedback/problem/", reason="boring")
    assert wrong.status_code == 400
    assert list(Feedback.objects.values_list("kind", flat=True)) == ["helpful"]


def test_a_post_without_the_csrf_token_is_refused(guide):
    client = Client(enforce_csrf_checks=True)
    response = client.post(f"/en/guides/{guide.slug}/feedback/not-helpful/", {"reason": "wrong"})
    assert response.status_code == 403
    assert not Feedback.objects.exists()


@pytest.mark.parametrize(
    "path",
    [
        "feedback/angry/",
        "feedback/problem/website-99/",
        "feedback/problem/nowhere-1/",
        "feedback/problem/website-x/",
    ],
)
def test_unknown_feedback_addresses_are_a_clear_404(client, guide, path):
    response = client.get(f"/en/guides/{guide.slug}/{path}")
    assert response.status_code == 404


def test_drafts_take_no_feedback(client):
    draft = full_guide(status=Procedure.Status.DRAFT)
    assert client.get(f"/en/guides/{draft.slug}/feedback/helpful/").status_code == 404


def test_too_many_messages_from_one_address_are_refused(guide, settings):
    settings.KB_FEEDBACK_PER_HOUR = 3
    client = Client(enforce_csrf_checks=True)
    url = f"/en/guides/{guide.slug}/feedback/not-helpful/"
    codes = [send(client, url, reason="unclear").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert Feedback.objects.count() == 3
    other = Client(enforce_csrf_checks=True, REMOTE_ADDR="198.51.100.9")
    assert send(other, url, reason="unclear").status_code == 200


def test_robots_filling_every_field_are_thanked_but_not_kept(guide):
    client = Client(enforce_csrf_checks=True)
    url = f"/en/guides/{guide.slug}/feedback/problem/"
    response = send(client, url, reason="wrong", website="http://spam.example/")
    assert response.status_code == 200
    assert not Feedback.objects.exists()


def test_three_outdated_reports_put_the_guide_on_the_review_list(guide):
    client = Client(enforce_csrf_checks=True)
    url = f"/en/guides/{guide.slug}/feedback/problem/website-1/"
    guide.last_verified_on = timezone.localdate() - datetime.timedelta(days=10)
    guide.save()
    for _ in range(2):
        send(client, url, reason="outdated")
    assert guide.pk not in Procedure.objects.review_due().values_list("pk", flat=True)
    send(client, url, reason="outdated")
    assert guide.pk in Procedure.objects.review_due().values_list("pk", flat=True)
    row = with_feedback_counts(Procedure.objects.filter(pk=guide.pk)).get()
    assert (row.open_feedback, row.open_outdated) == (3, 3)
    assert "flagged" in reader_feedback(row)


def test_the_editors_inbox_counts_per_guide_and_carrier(guide):
    other = full_guide()
    for target, kind, reason in [
        (guide, "problem", "wrong"),
        (guide, "not-helpful", "unclear"),
        (other, "problem", "missing"),
    ]:
        Feedback.objects.create(procedure=target, kind=kind, reason=reason, language="en")
    admin_client = Client()
    admin_client.force_login(UserFactory(is_staff=True, is_superuser=True))
    inbox = admin_client.get("/en/admin/procedures/feedback/")
    html = inbox.content.decode()
    assert inbox.status_code == 200
    assert f"{guide.title_en} (2)" in html or f"{guide.title} (2)" in html
    assert f"{guide.carrier} (2)" in html
    only = admin_client.get(f"/en/admin/procedures/feedback/?procedure__id__exact={guide.pk}")
    assert only.context["cl"].result_count == 2
    by_carrier = admin_client.get(f"/en/admin/procedures/feedback/?carrier={other.carrier_id}")
    assert by_carrier.context["cl"].result_count == 1
