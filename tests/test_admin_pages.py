"""Every admin page opens, whatever made the data: the admin itself, the demo import, a plain ORM
call or the system (revisions without a user, rows without history)."""

import pytest
import reversion
from django.contrib import admin
from django.urls import reverse
from reversion.models import Version

from procedures import publishing
from procedures.models import Procedure

from .factories import CarrierFactory, DocumentFactory, UserFactory, full_guide

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]


def admin_urls_for(obj) -> list[str]:
    opts = obj._meta
    name = f"admin:{opts.app_label}_{opts.model_name}"
    urls = [
        reverse(f"{name}_change", args=[obj.pk]),
        reverse(f"{name}_history", args=[obj.pk]),
        reverse(f"{name}_delete", args=[obj.pk]),
    ]
    registered = reversion.is_registered(type(obj))
    latest = Version.objects.get_for_object(obj).first() if registered else None
    if latest is not None:  # django-reversion's own page of a version (a guide: the comparison)
        urls.append(reverse(f"{name}_revision", args=[obj.pk, latest.pk]))
    if isinstance(obj, Procedure):
        urls += [
            reverse("admin:procedures_procedure_publish", args=[obj.pk]),
            reverse("admin:procedures_procedure_workflow", args=[obj.pk, "submit"]),
            reverse("admin:procedures_procedure_compare", args=[obj.pk]),
        ]
        versions = list(Version.objects.get_for_object(obj).values_list("pk", flat=True)[:2])
        if versions:
            urls.append(reverse("admin:procedures_procedure_restore", args=[obj.pk, versions[-1]]))
        if len(versions) == 2:
            urls.append(
                reverse("admin:procedures_procedure_compare", args=[obj.pk])
                + f"?old={versions[1]}&new={versions[0]}"
            )
    return urls


def model_urls(model) -> list[str]:
    opts = model._meta
    name = f"admin:{opts.app_label}_{opts.model_name}"
    urls = [reverse(f"{name}_changelist"), reverse(f"{name}_add")]
    if reversion.is_registered(model):  # a deleted one's "recover" form
        deleted = Version.objects.get_deleted(model)[:1]
        urls += [reverse(f"{name}_recover", args=[version.pk]) for version in deleted]
    if model is Procedure:
        urls.append(reverse("admin:procedures_procedure_translations"))
    if hasattr(admin.site._registry[model], "recoverlist_view"):
        urls.append(reverse(f"{name}_recoverlist"))
    return urls


def test_every_admin_page_opens_for_every_object(client):
    # Objects made outside the admin: by plain ORM calls, with no revision at all…
    orm_guide = full_guide(status=Procedure.Status.DRAFT, slug="made-by-orm")
    CarrierFactory(slug="orm-carrier")
    DocumentFactory(slug="orm-document")
    # …and by the system: a publication without a publisher.
    publishing.publication_create(procedure=orm_guide)
    # A guide and a carrier deleted in the admin, to be recovered.
    doomed = full_guide(status=Procedure.Status.DRAFT, slug="deleted-in-the-admin")
    with reversion.create_revision():
        reversion.add_to_revision(doomed)
    doomed.delete()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    failures = []
    for language in ("en", "zh-hans", "zh-hant"):
        for model in admin.site._registry:
            urls = model_urls(model)
            # Every object in one language; the first of each kind in the others.
            objects = model._default_manager.all()
            for obj in objects[:500] if language == "en" else objects[:1]:
                urls += admin_urls_for(obj)
            for url in urls:
                url = url.replace("/zh-hans/", f"/{language}/", 1)
                response = client.get(url)
                if response.status_code >= 500:
                    failures.append((url, response.status_code))
    assert not failures, failures
