from fnmatch import fnmatch
from pathlib import Path

import reversion
import yaml
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from procedures import services

CONTENT_DIR = Path(__file__).resolve().parents[2] / "demo_content"


class Command(BaseCommand):
    help = (
        "Load the demo knowledge base (procedures/demo_content/) as published guides. "
        "Idempotent: running it again changes nothing; guides created by editors are kept."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--only",
            metavar="PATTERN",
            help="Load only the guide files whose name matches this pattern (e.g. 'macau-*').",
        )

    def handle(self, *args, only=None, **options):
        report = services.ImportReport()
        guide_files = sorted((CONTENT_DIR / "guides").glob("*.yaml"))
        if only:
            guide_files = [path for path in guide_files if fnmatch(path.stem, only)]
        with transaction.atomic():
            self._load(CONTENT_DIR / "regions.yaml", services.regions_import, report)
            for path in guide_files:
                self._load(path, services.guide_import, report)
        self.stdout.write(
            self.style.SUCCESS(f"Demo content: {len(guide_files)} guide files read; {report}.")
        )

    def _load(self, path: Path, importer, report):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            # Each file is its own revision, so its history can be compared and restored alone.
            with reversion.create_revision():
                reversion.set_comment("Demo content: " + path.name)
                importer(data=data, report=report)
        except (services.ContentError, KeyError, TypeError, yaml.YAMLError) as error:
            where = path.relative_to(CONTENT_DIR)
            detail = f"missing field {error}" if isinstance(error, KeyError) else str(error)
            raise CommandError(f"{where}: {detail}") from error
