"""The security baseline: production settings pass Django's deployment checks, refuse to start
half-configured, send protective headers; admin logins cannot be guessed; anonymous readers see
only what is published; no URL a reader can type produces a server error."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from procedures.models import Procedure

from .factories import ProcedureFactory, UserFactory, full_guide

ROOT = Path(settings.BASE_DIR)
PRODUCTION = {
    "DJANGO_ENV": "production",
    "DJANGO_SECRET_KEY": "x9#Lq2!vR7tZp4@wM8^eN1&sK5*dF3(hJ6)cB0+yG-uQ=oA.Vb7Xn2Ty8Wq",
    "DJANGO_ALLOWED_HOSTS": "guides.example.org",
}


def manage(*args, env=None):
    environment = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )


def test_production_settings_pass_the_deployment_checks():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("missing", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS"])
def test_production_refuses_to_start_without_its_secrets(missing):
    env = {key: value for key, value in PRODUCTION.items() if key != missing}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert f"Production settings need {missing}" in result.stderr


pytestmark = pytest.mark.django_db


def test_pages_carry_the_security_headers(client):
    guide = full_guide()
    response = client.get(f"/en/guides/{guide.slug}/")
    policy = response["Content-Security-Policy"]
    assert (
        "script-src 'self'" in policy
        and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    )
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    cached = client.get(f"/en/guides/{guide.slug}/")
    assert cached["Content-Security-Policy"] == policy


def test_guessing_admin_passwords_is_stopped_with_a_translated_message(client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    UserFactory(username="editor", is_staff=True)
    for _attempt in range(3):
        client.post("/en/admin/login/?next=/en/admin/", {"username": "editor", "password": "wrong"})
    locked = client.post(
        "/zh-hant/admin/login/", {"username": "editor", "password": "correct horse battery"}
    )
    assert locked.status_code == 429
    assert "登入失敗次數過多" in locked.content.decode()
    english = client.post(
        "/en/admin/login/", {"username": "editor", "password": "correct horse battery"}
    )
    assert "Too many failed logins" in english.content.decode()


# --- Anonymous readers ----------------------------------------------------------------------------


def _patterns(resolver=None, prefix=""):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


def public_paths(slug_for):
    """Every URL pattern outside the admin, its parameters filled in, in every language."""
    for route, _pattern in _patterns():
        if "admin/" in route or route.startswith("^"):
            continue
        path = route.replace("<slug:slug>", slug_for(route)).replace("<path:object_id>", "1")
        for language, _name in settings.LANGUAGES:
            yield (
                "/" + path.replace("en/", f"{language}/", 1)
                if path.startswith("en/")
                else "/" + path
            )


def test_anonymous_readers_never_see_drafts_or_the_admin(client):
    draft = ProcedureFactory(
        status=Procedure.Status.DRAFT, slug="secret-draft", title_en="Secret draft"
    )
    seen = set()
    for path in public_paths(
        lambda route: (
            "secret-draft"
            if "guides" in route
            else draft.carrier.slug
            if "carriers" in route
            else draft.region.slug
        )
    ):
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        if "/guides/secret-draft/" in path:
            assert response.status_code == 404, path
        else:
            assert response.status_code in (200, 302, 404), path
            assert "Secret draft" not in response.content.decode(errors="replace"), path
    for path in [
        "/en/admin/",
        "/en/admin/procedures/procedure/",
        f"/en/admin/procedures/procedure/{draft.pk}/change/",
    ]:
        response = client.get(path)
        assert response.status_code == 302 and "/admin/login/" in response["Location"], path
    assert client.get("/en/guides/secret-draft/?preview=1").status_code == 404
    assert client.get("/en/admin/procedures/procedure/translations/").status_code == 302


# --- Fuzzing --------------------------------------------------------------------------------------

FUZZED_PAGES = [
    "/{lang}/", "/{lang}/guides/", "/{lang}/guides/{slug}/", "/{lang}/carriers/{slug}/",
    "/{lang}/regions/{slug}/", "/{lang}/feeds/guides.atom", "/sitemap.xml", "/healthz",
]  # fmt: skip
text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=40)


@pytest.fixture(scope="module")
def fuzz_data(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        guide = full_guide(slug="fuzz-guide")
        yield guide
        Procedure.objects.all().delete()


@hypothesis_settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    page=st.sampled_from(FUZZED_PAGES),
    language=st.sampled_from(["zh-hans", "zh-hant", "en", "fr", "zh", "EN", ""]),
    slug=st.one_of(st.just("fuzz-guide"), text),
    query=st.dictionaries(
        st.sampled_from(
            ["q", "region", "carrier", "kind", "sim", "channel", "document", "page", "preview", "x"]
        ),
        text,
        max_size=5,
    ),
)
def test_no_url_a_reader_can_type_gives_a_server_error(
    client, fuzz_data, page, language, slug, query
):
    from urllib.parse import quote, urlencode

    path = page.format(lang=language, slug=quote(slug, safe=""))
    response = client.get(path + "?" + urlencode(query))
    assert response.status_code < 500, (path, query)
