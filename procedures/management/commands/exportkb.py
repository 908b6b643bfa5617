"""`manage.py exportkb FILE`: the whole knowledge base as JSON lines
(procedures/importing/transfer.py)."""

import sys

from django.core.management.base import BaseCommand
from tqdm import tqdm

from procedures.importing import transfer


class Command(BaseCommand):
    help = "Write the whole knowledge base to one JSON-lines file ('-' for standard output)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="where to write, e.g. kb-export.jsonl; '-' for stdout")

    def handle(self, *args, file, **options):
        total = 1 + sum(transfer.header()["counts"].values())
        quiet = file == "-" or options["verbosity"] == 0
        with tqdm(total=total, unit="row", disable=quiet, file=sys.stderr) as progress:
            if file == "-":
                head = transfer.write_export(self.stdout, progress)
            else:
                with open(file, "w", encoding="utf-8") as out:
                    head = transfer.write_export(out, progress)
        if not quiet:
            rows = sum(head["counts"].values())
            self.stdout.write(
                f"Wrote {rows} rows ({head['counts']['procedures.procedure']} guides) to {file}."
            )
