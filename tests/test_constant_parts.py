"""Parts of pages rendered once per language ({% constant %}, in
procedures/templatetags/reader_tags.py): each language keeps its own, nothing of one reader's
request is kept for the next, and a text marked in another language still counts in the page's
notice."""

import pytest
from django.template import Context, RequestContext, Template, TemplateSyntaxError
from django.test import RequestFactory
from django.utils import translation

from procedures.translations.reading import watching_translations

from .factories import ProcedureFactory, publish

pytestmark = pytest.mark.django_db


def test_each_language_keeps_its_own_interface_text(client):
    publish(ProcedureFactory(title_en="Register", title_zh_hans="登记"))
    # One process, languages in turn: the header and footer follow the page's language.
    for _ in range(2):
        english = client.get("/en/guides/").content.decode()
        chinese = client.get("/zh-hans/guides/").content.decode()
        assert "We sell nothing and link only to official pages." in english
        assert "We sell nothing" not in chinese
        assert 'href="/zh-hans/guides/">所有指南</a>' in chinese
        assert 'href="/en/guides/">All guides</a>' in english


def test_the_search_box_shows_each_readers_own_query(client):
    first = client.get("/en/guides/?q=passport").content.decode()
    second = client.get("/en/guides/?q=esim").content.decode()
    assert 'name="q" maxlength="100" value="passport"' in first
    assert 'name="q" maxlength="100" value="esim"' in second
    assert "passport" not in second


def test_nothing_of_the_request_is_kept():
    template = Template(
        "{% load reader_tags %}{% constant %}[{{ request.path }}|{{ site_name }}]{% endconstant %}"
    )
    factory = RequestFactory()
    with translation.override("en"):
        first = template.render(RequestContext(factory.get("/en/secret-path/")))
        second = template.render(RequestContext(factory.get("/en/other/")))
    assert "secret-path" not in first
    assert first == second
    assert first.startswith("[|") and len(first) > len("[|]")  # the site's name is there


def test_a_marked_text_counts_in_the_notice_every_time_it_is_shown():
    template = Template(
        "{% load reader_tags %}{% constant %}"
        '<span lang="en" class="fallback">Hi</span>{% endconstant %}'
    )
    with translation.override("zh-hans"):
        for _ in range(2):
            with watching_translations() as shown:
                template.render(Context())
            assert shown.fallbacks == {"en"}


def test_constant_takes_no_arguments():
    with pytest.raises(TemplateSyntaxError):
        Template("{% load reader_tags %}{% constant request %}x{% endconstant %}")
