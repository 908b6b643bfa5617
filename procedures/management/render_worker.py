"""Worker process side of generatekb's rendering: imported before Django is set up, so every
Django import happens inside the functions."""

import os


def setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kb.settings")
    import django

    django.setup()


def render_chunk(ids):
    """The stored page bodies and cards of these publications, as publishing renders them."""
    from django.db import connections

    from procedures import publishing
    from procedures.models import Publication
    from procedures.publishing.rendering import render_stamp

    publications = Publication.objects.filter(pk__in=ids).select_related(
        "carrier", "region", "page"
    )
    results = [
        (publication.pk, publishing.publication_rendered_fields(publication))
        for publication in publications
    ]
    connections.close_all()
    return results, render_stamp()
