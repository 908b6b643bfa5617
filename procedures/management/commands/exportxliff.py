"""manage.py exportxliff: texts of guides, carriers, regions and documents for translators, as
an XLIFF 2.0 file (procedures/exchange)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from procedures.exchange.services import ExchangeError, exchange_export
from procedures.models import Carrier, Document, Procedure, Region


class Command(BaseCommand):
    help = "Export texts to translate into one language as an XLIFF 2.0 file."

    def add_arguments(self, parser):
        parser.add_argument("--language", required=True, help="target: zh-hans, zh-hant or en")
        parser.add_argument("--source", help="language translated from (default: zh-hans)")
        parser.add_argument("--output", "-o", required=True, help="file to write (.xlf)")
        parser.add_argument("--guide", action="append", default=[], help="a guide's slug")
        parser.add_argument("--carrier", action="append", default=[], help="a carrier's slug")
        parser.add_argument("--region", action="append", default=[], help="a region's slug")
        parser.add_argument("--document", action="append", default=[], help="a document's slug")
        parser.add_argument(
            "--all", action="store_true", help="every guide, carrier, region and document"
        )

    def handle(self, *args, **options):
        chosen = {}
        for option, model in (
            ("guide", Procedure),
            ("carrier", Carrier),
            ("region", Region),
            ("document", Document),
        ):
            slugs = options[option]
            if options["all"]:
                chosen[option] = list(model.objects.all())
                continue
            found = list(model.objects.filter(slug__in=slugs))
            missing = sorted(set(slugs) - {row.slug for row in found})
            if missing:
                raise CommandError(f"No {option} with the slug: {', '.join(missing)}")
            chosen[option] = found
        if not any(chosen.values()):
            raise CommandError("Nothing to export: name a --guide, --carrier, … or use --all.")
        total = sum(len(rows) for rows in chosen.values())
        with tqdm(total=total, unit="object", disable=options["verbosity"] == 0) as bar:
            try:
                data, count = exchange_export(
                    language=options["language"],
                    source=options["source"],
                    guides=chosen["guide"],
                    carriers=chosen["carrier"],
                    regions=chosen["region"],
                    documents=chosen["document"],
                    progress=lambda group: bar.update(1),
                )
            except ExchangeError as error:
                raise CommandError(str(error)) from None
        Path(options["output"]).write_bytes(data)
        if options["verbosity"]:
            self.stdout.write(f"{count} texts of {total} objects written to {options['output']}.")
