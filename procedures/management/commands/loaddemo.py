from fnmatch import fnmatch
from pathlib import Path

import reversion
import yaml
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from tqdm import tqdm

from procedures.importing import demo as importing
from procedures.publishing import refresh

CONTENT_DIR = Path(__file__).resolve().parents[2] / "demo_content"


class Command(BaseCommand):
    help = (
        "Load the demo knowledge base (procedures/demo_content/) as published guides. "
        "Idempotent: running it again changes nothing. Never overwrites what editors changed "
        "since it was loaded (those objects are listed as skipped) unless --force is given."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--only",
            metavar="PATTERN",
            help="Load only the guide files whose name matches this pattern (e.g. 'macau-*').",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Also overwrite regions, carriers, documents and guides that editors changed "
            "since the last load (their changes are lost; each one is named).",
        )

    def handle(self, *args, only=None, force=False, **options):
        report = importing.ImportReport(force=force)
        guide_files = sorted((CONTENT_DIR / "guides").glob("*.yaml"))
        if only:
            guide_files = [path for path in guide_files if fnmatch(path.stem, only)]
        files = [CONTENT_DIR / "regions.yaml", *guide_files]
        progress = tqdm(
            files, desc="Demo content", unit="file", disable=options["verbosity"] < 1,
            file=self.stderr, leave=False,
        )  # fmt: skip
        with transaction.atomic():
            for path in progress:
                importer = importing.regions_import if path.parent == CONTENT_DIR else None
                self._load(path, importer or importing.guide_import, report)
        self.stdout.write(
            self.style.SUCCESS(f"Demo content: {len(guide_files)} guide files read; {report}.")
        )
        if report.skipped:
            self.stdout.write(
                self.style.WARNING(
                    "Left as editors changed them (use --force to overwrite): "
                    + ", ".join(report.skipped)
                )
            )
        if report.overwritten:
            self.stdout.write(
                self.style.WARNING(
                    "Overwritten, editors' changes lost: " + ", ".join(report.overwritten)
                )
            )

    def _load(self, path: Path, importer, report):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            # Each file is its own revision, so its history can be compared and restored alone.
            with reversion.create_revision(), refresh.batch():
                reversion.set_comment(f"{importing.IMPORT_COMMENT} {path.name}")
                importer(data=data, report=report)
        except (importing.ContentError, KeyError, TypeError, yaml.YAMLError) as error:
            where = path.relative_to(CONTENT_DIR)
            detail = f"missing field {error}" if isinstance(error, KeyError) else str(error)
            raise CommandError(f"{where}: {detail}") from error
