"""`python manage.py importkb FILE`: a knowledge base written by exportkb, into an empty database
(procedures/importing/transfer.py)."""

import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from procedures.importing import transfer


class Command(BaseCommand):
    help = "Read a file written by exportkb into this (empty) database, all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("file", help="a file written by exportkb")

    def handle(self, *args, file, **options):
        try:
            with open(file, encoding="utf-8") as source:
                lines = iter(source)
                head = transfer.read_header(lines)
                total = sum(head.get("counts", {}).values())
                with tqdm(
                    total=total, unit="row", disable=options["verbosity"] == 0, file=sys.stderr
                ) as progress:
                    written = transfer.import_rows(head, lines, progress)
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from error
        except transfer.TransferError as error:
            raise CommandError(str(error)) from error
        if options["verbosity"]:
            self.stdout.write(
                f"Imported {sum(written.values())} rows "
                f"({written['procedures.procedure']} guides, "
                f"{written['procedures.publication']} publications) from {file}."
            )
