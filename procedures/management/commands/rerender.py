from django.core.management.base import BaseCommand
from django.db.models import Q
from django.utils import timezone

from procedures import publishing
from procedures.models import Publication
from procedures.publishing.rendering import render_stamp


class Command(BaseCommand):
    help = (
        "Store fresh renderings of live and scheduled guides whose stored pages were made by "
        "other templates or translations (after a deploy). Readers never see stale pages in "
        "the meantime: those are rendered live."
    )

    def handle(self, *args, **options):
        stale = Publication.objects.filter(live_until__gt=timezone.now()).filter(
            ~Q(rendered_stamp=render_stamp())
        )
        count = 0
        for publication in stale.select_related("carrier", "region", "page").iterator(
            chunk_size=200
        ):
            publishing.publication_render(publication)
            count += 1
        self.stdout.write(f"Rendered {count} guides again.")
