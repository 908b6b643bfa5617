from pathlib import Path

import yaml
from django.core.management.base import BaseCommand

from procedures.translations import conversion

CONTENT_DIR = Path(__file__).resolve().parents[2] / "demo_content"


def demo_pairs(content_dir: Path = CONTENT_DIR) -> list[tuple[str, str]]:
    """(zh-hans, zh-hant) for every text of the demo content written in both scripts by
    people (the YAML files under procedures/demo_content/)."""
    pairs = []

    def walk(node):
        if isinstance(node, dict):
            simplified, traditional = node.get("zh-hans"), node.get("zh-hant")
            both = isinstance(simplified, str) and isinstance(traditional, str)
            if both and simplified.strip() and traditional.strip():
                pairs.append((simplified.strip(), traditional.strip()))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for path in sorted(content_dir.rglob("*.yaml")):
        walk(yaml.safe_load(path.read_text(encoding="utf-8")))
    return pairs


class Command(BaseCommand):
    help = (
        "Convert every Simplified text of the demo content that has a human Traditional "
        "translation (Hong Kong / Macau usage) and report how many characters agree, with the "
        "most common differences: where the phrase list (procedures/translations/data/"
        "conversion_phrases.yaml) or OpenCC goes wrong."
    )

    def add_arguments(self, parser):
        parser.add_argument("--top", type=int, default=25, help="Differences to list.")

    def handle(self, *args, top, **options):
        result = conversion.agreement(demo_pairs())
        self.stdout.write(
            f"{result.texts} texts, {result.characters} characters: "
            f"{result.ratio:.2%} agree with the human Traditional text."
        )
        self.stdout.write("Most common differences (converted → human, times):")
        for (converted, human), times in result.differences.most_common(top):
            self.stdout.write(f"  {converted or '∅'} → {human or '∅'}  ×{times}")
