from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from procedures.models import Procedure, Publication, TranslationStatus
from procedures.translations import status as translation_status

CHOICES = {"missing": TranslationStatus.MISSING, "stale": TranslationStatus.STALE,
           "machine": TranslationStatus.MACHINE}  # fmt: skip


class Command(BaseCommand):
    help = (
        "Print, for every guide and language, how many texts are missing, stale or "
        "machine-converted and not reviewed. With --fail-on missing,stale it exits with status 1 "
        "when a guide on the public site has any (for content teams' CI)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--fail-on",
            default="",
            metavar="STATES",
            help="Comma-separated: missing, stale, machine.",
        )

    def handle(self, *args, fail_on, **options):
        wanted = [part.strip() for part in fail_on.split(",") if part.strip()]
        unknown = [part for part in wanted if part not in CHOICES]
        if unknown:
            raise CommandError(f"--fail-on takes missing, stale, machine; not {', '.join(unknown)}")
        needs = translation_status.needs_by_procedure()
        languages = [code for code, _name in settings.LANGUAGES]
        width = max([len(procedure.slug) for procedure in Procedure.objects.all()] + [5])
        header = f"{'guide':{width}}  " + "  ".join(f"{code:>22}" for code in languages)
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        failing = []
        live = set(Publication.objects.live().values_list("procedure_id", flat=True))
        for procedure in Procedure.objects.order_by("slug"):
            cells = []
            for code in languages:
                counts = needs.get(procedure.pk, {}).get(code, {})
                cells.append(
                    "complete" if not counts else
                    " ".join(f"{status}:{count}" for status, count in sorted(counts.items()))
                )  # fmt: skip
                if procedure.pk in live and any(counts.get(CHOICES[state]) for state in wanted):
                    failing.append(f"{procedure.slug} [{code}]")
            self.stdout.write(
                f"{procedure.slug:{width}}  " + "  ".join(f"{cell:>22}" for cell in cells)
            )
        if failing:
            self.stderr.write(
                f"Published guides with {', '.join(wanted)} texts: {', '.join(failing)}"
            )
            raise SystemExit(1)
