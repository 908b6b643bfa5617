"""manage.py importxliff: translations from an XLIFF 2.0 file made by exportxliff, written back
under a translator's name; conflicts are listed, never overwritten (procedures/exchange)."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from procedures.exchange import xliff
from procedures.exchange.services import ExchangeError, exchange_import


class Command(BaseCommand):
    help = "Import translations from an XLIFF 2.0 file exported by exportxliff."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--user", required=True, help="the translator's user name")
        parser.add_argument("--language", help="refuse the file unless it targets this language")

    def handle(self, *args, **options):
        try:
            user = get_user_model().objects.get(username=options["user"])
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user {options['user']!r}.") from None
        try:
            data = Path(options["file"]).read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {options['file']}: {error.strerror}") from None
        try:
            total = len(xliff.read(data).units)
        except xliff.FileError:
            total = None
        with tqdm(total=total, unit="text", disable=options["verbosity"] == 0) as bar:
            try:
                report = exchange_import(
                    data=data,
                    user=user,
                    language=options["language"],
                    progress=lambda number: bar.update(number - bar.n),
                )
            except ExchangeError as error:
                raise CommandError(str(error)) from None
        self.stdout.write(
            f"{len(report.updated)} updated, {report.unchanged} unchanged, "
            f"{len(report.conflicts)} conflicts."
        )
        for conflict in report.conflicts:
            self.stdout.write(f"  conflict {conflict.id}: {conflict.reason}")
        if report.conflicts:
            raise CommandError(f"{len(report.conflicts)} texts were not imported (see above).")
