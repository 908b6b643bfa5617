"""Analyse every live guide for search ahead of time (after a bulk import, or a change of the
analysis), and report what the search index costs a process.

    python manage.py searchindex            # analyse what is missing, with a progress bar
    python manage.py searchindex --measure  # also build the index and print its size and time
"""

import os
import time
import tracemalloc

from django.core.management.base import BaseCommand
from django.db import connections

from procedures.public import listing
from procedures.search import documents
from procedures.search.index import SearchIndex


class Command(BaseCommand):
    help = "Analyse live guides for search; --measure prints the index's memory and build time."

    def add_arguments(self, parser):
        parser.add_argument("--measure", action="store_true")
        parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)

    def handle(self, *args, measure=False, workers=1, **options):
        index = listing.guide_index()
        started = time.monotonic()
        connections.close_all()  # the analysing processes start without the parent's connection
        analysed = documents.ensure_documents(index.ids, progress=True, workers=workers)
        self.stdout.write(
            f"Analysed {analysed} of {len(index.ids)} live guides "
            f"in {time.monotonic() - started:.1f} s."
        )
        if measure:
            tracemalloc.start()
            started = time.monotonic()
            search = SearchIndex.build(index.search_rows)
            search.search("registration")  # builds the typo table too
            seconds = time.monotonic() - started
            size = tracemalloc.get_traced_memory()[0]
            tracemalloc.stop()
            self.stdout.write(
                f"search index: {len(search.postings)} terms, {size / 2**20:.1f} MB, "
                f"built in {seconds:.1f} s"
            )
