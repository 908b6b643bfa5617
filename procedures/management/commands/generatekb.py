"""A synthetic knowledge base of N published guides, for benchmarks (bench/run.py).

Realistic sizes (8–40 steps, 3–8 questions, several documents and notes, Chinese and English
text in three languages), written with bulk inserts straight into an empty database, so 10,000
guides take well under two minutes. Never run it on a real database: it refuses one that holds
guides already.
"""

import json
import multiprocessing
import os
import random
import sys
from concurrent.futures import ProcessPoolExecutor
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections, transaction
from django.utils import timezone
from tqdm import tqdm

from procedures import publishing
from procedures.management import render_worker
from procedures.management.synthetic import Text, columns, fields
from procedures.models import (
    FAR_FUTURE,
    Carrier,
    Channel,
    Document,
    Faq,
    Note,
    Procedure,
    ProcedureDocument,
    Publication,
    PublicationPage,
    Region,
    Source,
    Step,
)
from procedures.publishing.snapshot import SNAPSHOT_FORMAT, carrier_block, checked, region_block

BATCH = 250


RENDERED_FIELDS = [
    f"{field}{suffix}"
    for field in ("rendered_body", "rendered_card")
    for suffix in ("", "_zh_hans", "_zh_hant", "_en")
]


EMPTY = {"zh-hans": "", "zh-hant": "", "en": ""}


class Command(BaseCommand):
    help = "Fill an empty database with N synthetic published guides (for benchmarks)."

    def add_arguments(self, parser):
        parser.add_argument("--guides", type=int, default=100)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, guides, seed, **options):
        quiet = options["verbosity"] == 0
        # Publishing renders each guide's page body and card
        # (procedures/publishing/rendering.py). Worker
        # processes, one per core, render each batch while this one inserts the next. They are
        # started before this process opens the database, so none inherits its connection.
        connections.close_all()
        workers = os.cpu_count() or 1
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            list(pool.map(int, range(workers)))
            if Procedure.objects.exists():
                raise CommandError(
                    "generatekb fills an empty database. Point DATABASE_URL at a new one "
                    "(bench/run.py does) and migrate it first."
                )
            rng = random.Random(seed)
            text = Text(rng)
            with transaction.atomic():
                carriers, documents = self._reference_data(text)
            self.carrier_blocks = {carrier.pk: carrier_block(carrier) for carrier in carriers}
            self.region_blocks = {
                carrier.region_id: region_block(carrier.region) for carrier in carriers
            }
            progress = tqdm(total=guides, unit="guide", file=sys.stderr, disable=quiet)
            pending = []
            for start in range(0, guides, BATCH):
                with transaction.atomic():
                    ids = self._batch(
                        range(start, min(start + BATCH, guides)), rng, text, carriers, documents
                    )
                pending.append(pool.submit(render_worker.render_chunk, ids))
                pending = self._store_rendered(pending, wait=False)
                progress.update(min(BATCH, guides - start))
            self._store_rendered(pending, wait=True)
            progress.close()
        self.stdout.write(f"Generated {guides} published guides.")

    @staticmethod
    def _store_rendered(pending, *, wait):
        """Store the renderings that are ready (all of them with `wait`); return the rest."""
        still = []
        for future in pending:
            if not wait and not future.done():
                still.append(future)
                continue
            rendered, stamp = future.result()
            with transaction.atomic():
                for pk, fields in rendered:
                    PublicationPage.objects.filter(pk=pk).update(**fields)
                Publication.objects.filter(pk__in=[pk for pk, _ in rendered]).update(
                    rendered_stamp=stamp
                )
        return still

    def _reference_data(self, text):
        regions = [
            Region.objects.create(
                code=f"R{i}",
                slug=f"region-{i}",
                position=i,
                **fields("name", text.title(i)),
                **fields("summary", text.sentence(3)),
            )
            for i in range(5)
        ]
        carriers = [
            Carrier.objects.create(
                region=regions[i % 5],
                slug=f"carrier-{i}",
                position=i,
                website="https://carrier.example/",
                **fields("name", text.title(100 + i)),
            )
            for i in range(15)
        ]
        documents = [
            Document.objects.create(
                slug=f"document-{i}", position=i, **fields("name", text.title(200 + i))
            )
            for i in range(15)
        ]
        return carriers, documents

    def _batch(self, numbers, rng, text, carriers, documents):
        today = timezone.localdate()
        plans = []
        for number in numbers:
            carrier = carriers[rng.randrange(len(carriers))] if rng.random() > 0.05 else None
            verified = today - timedelta(days=rng.randrange(300))
            procedure = Procedure(
                slug=f"guide-{number}",
                carrier=carrier,
                region=carrier.region if carrier else None,
                kind=rng.choice(Procedure.Kind.values),
                for_esim=rng.random() < 0.6,
                for_physical_sim=rng.random() < 0.7,
                for_data_only_sim=rng.random() < 0.15,
                requirement=rng.choice(Procedure.Requirement.values),
                requirement_basis_url="https://law.example/",
                last_verified_on=verified,
                review_due_on=verified + timedelta(days=180),
                verified_by="Benchmark",
                status=Procedure.Status.PUBLISHED,
                is_featured=number % 97 == 0,
                **fields("title", text.title(number)),
                **fields("summary", text.sentence(2)),
                **fields("requirement_basis", text.sentence(1)),
                **fields("eligibility", text.sentence(1)),
                **fields("processing_time", text.sentence(1)),
            )
            plans.append(
                {
                    "procedure": procedure,
                    "steps": [
                        (
                            rng.choice(Channel.values[:4]),
                            text.sentence(1),
                            text.sentence(rng.randint(1, 3)),
                        )
                        for _ in range(rng.randint(8, 40))
                    ],
                    "faqs": [
                        (text.sentence(1), text.sentence(2)) for _ in range(rng.randint(3, 8))
                    ],
                    "notes": [
                        (rng.choice(Note.Kind.values), text.sentence(2))
                        for _ in range(rng.randint(2, 4))
                    ],
                    "documents": rng.sample(documents, rng.randint(2, 5)),
                    "sources": [text.title(300 + i) for i in range(rng.randint(1, 3))],
                }
            )
        Procedure.objects.bulk_create([plan["procedure"] for plan in plans])
        rows = {
            Step: [],
            Faq: [],
            Note: [],
            ProcedureDocument: [],
            Source: [],
            Publication: [],
            PublicationPage: [],
        }
        now = timezone.now()
        for plan in plans:
            procedure = plan["procedure"]
            parent = {"procedure_id": procedure.pk}
            for position, (channel, title, body) in enumerate(plan["steps"], start=1):
                rows[Step].append(
                    {
                        **parent,
                        "position": position,
                        "channel": channel,
                        **columns("title", title),
                        **columns("body", body),
                    }
                )
            for position, (question, answer) in enumerate(plan["faqs"], start=1):
                rows[Faq].append(
                    {
                        **parent,
                        "position": position,
                        **columns("question", question),
                        **columns("answer", answer),
                    }
                )
            for position, (kind, body) in enumerate(plan["notes"], start=1):
                rows[Note].append(
                    {**parent, "position": position, "kind": kind, **columns("body", body)}
                )
            for position, document in enumerate(plan["documents"], start=1):
                rows[ProcedureDocument].append(
                    {
                        **parent,
                        "position": position,
                        "document_id": document.pk,
                        **columns("note", EMPTY),
                    }
                )
            for position, title in enumerate(plan["sources"], start=1):
                rows[Source].append(
                    {
                        **parent,
                        "position": position,
                        "url": "https://source.example/",
                        "language": "en",
                        **columns("title", title),
                    }
                )
            publication, content = self._publication(procedure, plan, now)
            rows[Publication].append(publication)
            rows[PublicationPage].append(content)
        for model, values in rows.items():
            if model is PublicationPage:
                # Pages hang off their publications: link them by procedure once inserted.
                ids = dict(
                    Publication.objects.filter(
                        procedure__in=[plan["procedure"] for plan in plans]
                    ).values_list("procedure_id", "pk")
                )
                for page in values:
                    page["publication_id"] = ids[page.pop("procedure_id")]
            insert_rows(model, values)
        return list(
            Publication.objects.filter(
                procedure__in=[plan["procedure"] for plan in plans]
            ).values_list("pk", flat=True)
        )

    def _publication(self, procedure, plan, now):
        """The publication `publishing.publication_create` would make, built from the plan
        instead of reading every guide back."""
        empty = EMPTY

        def texts(name):
            return {
                code: getattr(procedure, f"{name}_{code.replace('-', '_')}") or ""
                for code in ("zh-hans", "zh-hant", "en")
            }

        snapshot = checked(
            {
                "format": SNAPSHOT_FORMAT,
                "translation": {"stale": {}},
                "slug": procedure.slug,
                "carrier": self.carrier_blocks.get(procedure.carrier_id),
                "region": self.region_blocks.get(procedure.region_id),
                "kind": procedure.kind,
                "requirement": procedure.requirement,
                "requirement_basis": texts("requirement_basis"),
                "requirement_basis_url": procedure.requirement_basis_url,
                "sim_types": [str(sim_type) for sim_type in procedure.sim_types],
                "title": texts("title"),
                "summary": texts("summary"),
                "eligibility": texts("eligibility"),
                "processing_time": texts("processing_time"),
                "fees": empty,
                "official_contacts": empty,
                "correction_notice": empty,
                "last_verified_on": procedure.last_verified_on.isoformat(),
                "verified_by": procedure.verified_by,
                "review_due_on": procedure.review_due_on.isoformat(),
                "documents": [
                    {"slug": document.slug, "name": _names(document), "note": empty}
                    for document in plan["documents"]
                ],
                "steps": [
                    {"channel": channel, "title": title, "body": body}
                    for channel, title, body in plan["steps"]
                ],
                "notes": [{"kind": kind, "body": body} for kind, body in plan["notes"]],
                "faqs": [
                    {"question": question, "answer": answer} for question, answer in plan["faqs"]
                ],
                "sources": [
                    {"title": title, "url": "https://source.example/", "language": "en"}
                    for title in plan["sources"]
                ],
                "changes": [],
            }
        )
        values = publishing.publication_values(procedure, snapshot)
        values.pop("region_id"), values.pop("carrier_id")
        return {
            **values,
            "procedure_id": procedure.pk,
            "region_id": procedure.region_id,
            "carrier_id": procedure.carrier_id,
            "live_from": now - timedelta(days=1),
            "live_until": FAR_FUTURE,
            "created_at": now,
            "rendered_stamp": "",
            "title": values["title_zh_hans"],
            "summary": values["summary_zh_hans"],
            "change_note": "",
            "change_note_zh_hans": "",
            "change_note_zh_hant": "",
            "change_note_en": "",
        }, {
            "procedure_id": procedure.pk,
            "content": json.dumps(snapshot, ensure_ascii=False),
            **dict.fromkeys(RENDERED_FIELDS, ""),
        }


def insert_rows(model, rows: list[dict]) -> None:
    """Plain multi-row INSERTs: the ORM's per-object work (translated fields, pre_save) is what
    makes bulk_create slow at this size."""
    if not rows:
        return
    columns = list(rows[0])
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    placeholders = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} ({names}) VALUES ({placeholders})",  # noqa: S608 - names from _meta
            [[row[column] for column in columns] for row in rows],
        )


def _names(document):
    return {
        code: getattr(document, f"name_{code.replace('-', '_')}")
        for code in ("zh-hans", "zh-hant", "en")
    }
