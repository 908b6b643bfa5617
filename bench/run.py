#!/usr/bin/env python
"""Benchmark the public pages under gunicorn, as ratios to a floor measured in the same run.

    python bench/run.py                       # N = 100 and N = 10,000 guides, SQLite
    python bench/run.py --database postgres   # the same on the local PostgreSQL
    python bench/run.py --smoke               # N = 20, one language, a second per page (CI)

For each size it generates a synthetic knowledge base (manage.py generatekb) into its own
database, starts gunicorn with production settings (DEBUG off, 2 workers), and drives load from
a second process (wrk when installed, else a small Python load generator) against the home page,
guide list, filtered list, text search, guide page and carrier page, in zh-hans and en, with the
page cache off ("cold": every request renders from the database) and on ("warm"). In the same
run it measures the floor (a Django view returning the guide page's bytes from memory) and a
static file served by whitenoise; each page's load is cut in three rounds (--rounds), each after
the floor measured again (for half as long), and a page's ratio is the median of the rounds'
ratios to those floors, so that load from elsewhere on a shared machine moves both alike.
Absolute numbers depend on the machine; compare the ratios.
Results are printed and written to bench/results/<date>.md.
"""

import argparse
import datetime
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent

VAR = ROOT / "bench" / "var"
RESULTS = ROOT / "bench" / "results"
PYTHON = sys.executable

# Run as a script (python bench/run.py): its folder is on the path.
from driver import Server, fetch, load  # noqa: E402

# Targets from the performance issue, checked against the ratios of this run.
GUIDE_COLD_MIN = 0.15
GUIDE_WARM_MIN = 0.85
GROWTH_MAX = 1.5
RSS_MAX_MB = 150
SEARCH_COLD_MIN = 0.25  # issue 14: a cold results page at ≥ 0.25× the floor


def pages(language: str, size: int) -> dict[str, str]:
    search = "passport" if language == "en" else quote("证件")
    question = quote("how do I cancel a passport" if language == "en" else "怎么注销证件")
    return {
        "home": f"/{language}/",
        "guide list": f"/{language}/guides/",
        "filtered list": f"/{language}/guides/?region=region-1&sim=esim",
        "text search": f"/{language}/guides/?q={search}",
        "question search": f"/{language}/guides/?q={question}",
        "guide page": f"/{language}/guides/guide-{size // 2}/",
        "carrier page": f"/{language}/carriers/carrier-1/",
        "api list": f"/{language}/api/v1/guides/?region=region-1&sim=esim",
        "api guide": f"/{language}/api/v1/guides/guide-{size // 2}/",
    }


def database_url(kind: str, size: int) -> str:
    if kind == "postgres":
        return f"postgres://postgres@127.0.0.1:5432/kb_bench_{size}"
    return f"sqlite:///{VAR / f'kb-{size}.sqlite3'}"


def base_env(url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_ENV": "production",
            "DJANGO_SECRET_KEY": "benchmark-only-secret-key-not-for-production-use-0123456789",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "DATABASE_URL": url,
            "KB_BENCH": "true",
            "KB_API_RATE": "1000000/s",  # the load comes from one address: measure, not limit
        }
    )
    env.pop("REDIS_URL", None)
    return env


def manage(env, *args, quiet=False):
    stdout = subprocess.DEVNULL if quiet else None
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=stdout)


def prepare_database(kind: str, size: int, env) -> None:
    """A database with exactly `size` generated guides, reused across runs."""
    if kind == "postgres":
        import psycopg

        with psycopg.connect(
            "postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True
        ) as db:
            exists = db.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [f"kb_bench_{size}"]
            ).fetchone()
            if exists and _guide_count(env) == size:
                return
            db.execute(f'DROP DATABASE IF EXISTS "kb_bench_{size}"')
            db.execute(f'CREATE DATABASE "kb_bench_{size}"')
    else:
        path = VAR / f"kb-{size}.sqlite3"
        if path.exists() and _guide_count(env) == size:
            return
        path.unlink(missing_ok=True)
    manage(env, "migrate", "-v0")
    started = time.monotonic()
    manage(env, "generatekb", "--guides", str(size))
    print(f"  generated {size} guides in {time.monotonic() - started:.1f} s")


def _guide_count(env) -> int:
    code = "from procedures.models import Publication; print(Publication.objects.count())"
    try:
        return int(_last_line(env, "manage.py", "shell", "-c", code))
    except (subprocess.CalledProcessError, ValueError, IndexError):
        return -1


def _last_line(env, *args: str) -> str:
    """The last line a Python command of the project prints."""
    out = subprocess.run(
        [PYTHON, *args], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    ).stdout
    return out.strip().splitlines()[-1]


def query_counts(env, urls) -> dict[str, int]:
    script = (
        "import json, sys, django\n"
        "django.setup()\n"
        "from django.db import connection\n"
        "from django.test import Client\n"
        "from django.test.utils import CaptureQueriesContext, setup_test_environment\n"
        "setup_test_environment()\n"
        "client, counts = Client(HTTP_HOST='127.0.0.1'), {}\n"
        "for url in json.loads(sys.argv[1]):\n"
        "    client.get(url)\n"  # warm up (the first request builds the guide index)
        "    client.get(url)\n"  # and read the versions again if that took their 2 s
        "    with CaptureQueriesContext(connection) as queries:\n"
        "        assert client.get(url, secure=True).status_code == 200, url\n"
        "    counts[url] = len(queries)\n"
        "print(json.dumps(counts))\n"
    )
    env = dict(env, KB_PAGE_CACHE="false", DJANGO_SETTINGS_MODULE="kb.settings")
    return json.loads(_last_line(env, "-c", script, json.dumps(urls)))


def static_path(env) -> str:
    manifest = json.loads((ROOT / "staticfiles" / "staticfiles.json").read_text())
    return "/static/" + manifest["paths"]["css/site.css"]


def run_size(kind, size, languages, seconds, connections, rounds) -> dict:
    print(f"\n== {size} guides ({kind}) ==")
    env = base_env(database_url(kind, size))
    prepare_database(kind, size, env)
    urls = {
        (language, name): path
        for language in languages
        for name, path in pages(language, size).items()
    }
    # Guides analysed for search ahead (generatekb writes in bulk, without the publish signal);
    # the last line is the index's size, memory and build time in one process.
    search_index = _last_line(env, "manage.py", "searchindex", "--measure")
    print(f"  {search_index}")
    queries = query_counts(env, list(urls.values()))
    floor_file = VAR / f"floor-{size}.html"
    rows, rss = [], []
    for mode, page_cache in (("cold", False), ("warm", True)):
        with Server(
            env | {"KB_BENCH_FLOOR_FILE": str(floor_file)}, page_cache=page_cache
        ) as server:
            guide_status, guide_body = fetch(server.port, urls[(languages[0], "guide page")])
            assert guide_status == 200, guide_status
            floor_file.write_bytes(guide_body)
            references = {
                "floor": load(server.port, "/_bench/floor/", seconds, connections),
                "static file": load(server.port, static_path(env), seconds, connections),
            }
            floors = []
            for (language, name), path in urls.items():
                status, body = fetch(server.port, path)  # primes the cache in warm mode
                assert status == 200, (path, status)
                floor, result = paired(server.port, path, seconds, connections, rounds)
                floors.append(floor)
                rows.append(
                    {
                        "size": size,
                        "mode": mode,
                        "language": language,
                        "page": name,
                        "path": path,
                        "bytes": len(body),
                        "queries": queries[path],
                        "floor_rps": floor,
                        "static_rps": references["static file"]["rps"],
                        **result,
                    }
                )
                print(
                    f"  {mode:4} {language:7} {name:13} {result['rps']:8.0f} req/s "
                    f"p50 {result['p50']:6.1f} ms  ×floor {result['ratio']:.2f}"
                )
            # The floor row: the median of the floors measured next to the pages.
            references["floor"]["rps"] = statistics.median(floors)
            for name, result in references.items():
                rows.append(
                    {
                        "size": size,
                        "mode": mode,
                        "language": "-",
                        "page": name,
                        "path": "-",
                        "bytes": len(guide_body) if name == "floor" else 0,
                        "queries": 0,
                        "floor_rps": references["floor"]["rps"],
                        "static_rps": references["static file"]["rps"],
                        **result,
                    }
                )
            rss = server.worker_rss_mb()
    return {"rows": rows, "rss": rss, "search_index": search_index}


def paired(port: int, path: str, seconds: float, connections: int, rounds: int):
    """(The floor's req/s, the page's load result) with the page's ratio to the floor: the
    floor and the page measured in turn, `rounds` times (the floor for half as long as the
    page), so that each part of the page's load has a floor of the same moment, as other load
    on a shared machine comes and goes. The ratio is the median of the rounds' ratios; req/s
    and p50 the medians of the rounds', p99 the highest, errors all of them."""
    floors, pages = [], []
    for _round in range(rounds):
        floors.append(load(port, "/_bench/floor/", seconds / 2 / rounds, connections)["rps"])
        pages.append(load(port, path, seconds / rounds, connections))
    result = {
        "rps": statistics.median(page["rps"] for page in pages),
        "p50": statistics.median(page["p50"] for page in pages),
        "p99": max(page["p99"] for page in pages),
        "errors": sum(page["errors"] for page in pages),
        "ratio": statistics.median(
            page["rps"] / floor for page, floor in zip(pages, floors, strict=True)
        ),
    }
    return statistics.median(floors), result


def ratio(row: dict) -> float:
    """A row's req/s as a ratio to the floor's (as measured next to it, `paired`)."""
    return row.get("ratio") or row["rps"] / row["floor_rps"]


def report(kind, results: dict[int, dict]) -> str:
    lines = [
        f"# Benchmark {datetime.date.today().isoformat()} ({kind})",
        "",
        f"Machine: {os.cpu_count()} cores; gunicorn 2 sync workers, production settings; "
        f"load: {'wrk' if shutil.which('wrk') else 'Python load generator'}. "
        "Cold = page cache off (every request renders from the database); warm = page cache on.",
        "",
        "| guides | mode | lang | page | req/s | p50 ms | p99 ms | ×floor | ×static "
        "| queries | bytes |",
        "|---:|---|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for size, result in results.items():
        for row in result["rows"]:
            lines.append(
                f"| {size} | {row['mode']} | {row['language']} | {row['page']} | {row['rps']:.0f} "
                f"| {row['p50']:.2f} | {row['p99']:.2f} | {ratio(row):.2f} "
                f"| {row['rps'] / row['static_rps']:.2f} | {row['queries']} | {row['bytes']} |"
            )
        lines.append(
            f"| {size} | | | worker RSS after the run | "
            + ", ".join(f"{mb:.0f} MB" for mb in result["rss"])
            + " | | | | | | |"
        )
    checks = []
    sizes = sorted(results)
    largest = results[sizes[-1]]
    lines += ["", "## Search (issue 14)", ""]
    lines += ["| guides | mode | lang | page | p50 ms | ×floor |", "|---:|---|---|---|---:|---:|"]
    for size, result in results.items():
        for row in result["rows"]:
            if row["page"] in ("text search", "question search"):
                lines.append(
                    f"| {size} | {row['mode']} | {row['language']} | {row['page']} "
                    f"| {row['p50']:.2f} | {ratio(row):.2f} |"
                )
                if row["mode"] == "cold" and size == sizes[-1]:
                    measured = ratio(row)
                    checks.append(
                        (
                            f"{row['page']} cold {row['language']} ≥ {SEARCH_COLD_MIN}× floor",
                            f"{measured:.2f}",
                            measured >= SEARCH_COLD_MIN,
                        )
                    )
    lines.append("")
    for size, result in results.items():
        rss = ", ".join(f"{mb:.0f} MB" for mb in result["rss"])
        lines.append(f"- {size} guides: {result.get('search_index', '')}; worker RSS {rss}")
    for row in largest["rows"]:
        if row["page"] == "guide page":
            minimum = GUIDE_COLD_MIN if row["mode"] == "cold" else GUIDE_WARM_MIN
            measured = ratio(row)
            checks.append(
                (
                    f"guide page {row['mode']} {row['language']} ≥ {minimum}× floor",
                    f"{measured:.2f}",
                    measured >= minimum,
                )
            )
    rss = max(largest["rss"] or [0])
    checks.append((f"worker RSS < {RSS_MAX_MB} MB", f"{rss:.0f} MB", rss < RSS_MAX_MB))
    if len(sizes) > 1:
        small, large = results[sizes[0]]["rows"], largest["rows"]
        lines += ["", f"## Cost growth: p50 at {sizes[-1]} ÷ p50 at {sizes[0]}", ""]
        lines += ["| mode | lang | page | growth | queries |", "|---|---|---|---:|---|"]
        for before in small:
            if before["language"] == "-":
                continue
            after = next(
                row
                for row in large
                if (row["mode"], row["language"], row["page"])
                == (before["mode"], before["language"], before["page"])
            )
            growth = after["p50"] / before["p50"]
            lines.append(
                f"| {before['mode']} | {before['language']} | {before['page']} | {growth:.2f} "
                f"| {before['queries']} → {after['queries']} |"
            )
            if before["page"] in ("guide list", "filtered list", "text search", "question search"):
                checks.append(
                    (
                        f"{before['page']} {before['mode']} {before['language']} "
                        f"growth ≤ {GROWTH_MAX}",
                        f"{growth:.2f}",
                        growth <= GROWTH_MAX,
                    )
                )
            checks.append(
                (
                    f"{before['page']} {before['mode']} {before['language']} queries unchanged",
                    f"{before['queries']} → {after['queries']}",
                    before["queries"] == after["queries"],
                )
            )
    lines += ["", "## Targets", "", "| target | measured | |", "|---|---:|---|"]
    lines += [
        f"| {name} | {value} | {'pass' if ok else '**FAIL**'} |" for name, value, ok in checks
    ]
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="100,10000", help="guide counts, comma separated")
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--seconds", type=float, default=5, help="load per page")
    parser.add_argument(
        "--rounds", type=int, default=3, help="turns of floor and page each page's load is cut in"
    )
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--smoke", action="store_true", help="N = 20, zh-hans only, 1 s per page")
    args = parser.parse_args()
    sizes = [20] if args.smoke else [int(size) for size in args.sizes.split(",")]
    languages = ["zh-hans"] if args.smoke else ["zh-hans", "en"]
    seconds = 1 if args.smoke else args.seconds
    rounds = 1 if args.smoke else args.rounds
    VAR.mkdir(parents=True, exist_ok=True)
    env = base_env(database_url(args.database, sizes[0]))
    manage(env, "collectstatic", "--noinput", "-v0")
    manage(env, "compilemessages", "--ignore=.venv", "-v0")
    results = {
        size: run_size(args.database, size, languages, seconds, args.connections, rounds)
        for size in sizes
    }
    text = report(args.database, results)
    print("\n" + text)
    if not args.smoke:
        RESULTS.mkdir(exist_ok=True)
        target = RESULTS / f"{datetime.date.today().isoformat()}-{args.database}.md"
        target.write_text(text, encoding="utf-8")
        print(f"Written to {target.relative_to(ROOT)}")
    errors = sum(row["errors"] for result in results.values() for row in result["rows"])
    if errors:
        raise SystemExit(f"{errors} requests failed during the load.")


if __name__ == "__main__":
    main()
