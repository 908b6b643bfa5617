#!/usr/bin/env python
"""The load section of `make bench` (issue 17): nginx in front of two gunicorn nodes on loopback,
sharing one PostgreSQL and one Redis of their own, driven by wrk with 64 connections.

    python bench/load.py                  # 1,000 generated guides, 10 s per measurement
    python bench/load.py --guides 200 --seconds 3

It measures, in the same run:
- nginx serving a static file of the guide page's bytes (the front's floor), and the guide
  page from nginx's front cache, as a ratio to it (goal ≥ 0.5×);
- the floor of the nodes (a Django view returning those bytes, through nginx), and cold list
  and search pages as ratios to it (goal ≥ 0.25×): every request a filter combination or a
  search never asked before in the run, so nearly all miss both caches;
- a mix of guide pages, lists, distinct searches and feeds: req/s, p50, p99, errors (must
  be 0), then the same mix with Redis stopped halfway.
Results are printed and written to bench/results/<date>-load.md. Needs wrk (Debian's `wrk`),
nginx, PostgreSQL 15 and redis-server, as the loopback tests do (tests/live_servers.py).
"""

import argparse
import collections
import datetime
import itertools
import json
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Run as a script (python bench/load.py): its folder is on the path.
from driver import wrk_summary  # noqa: E402

from tests.live_servers import (  # noqa: E402 - the loopback topology the tests start
    HTTPS,
    Gunicorn,
    Nginx,
    Postgres,
    Redis,
    get,
    manage,
    missing_binaries,
    site_env,
)

RESULTS = ROOT / "bench" / "results"
CONNECTIONS = 64
FRONT_CACHED_MIN = 0.5
COLD_MIN = 0.25

# Each wrk thread walks the list of paths from its own starting point, one path per request.
WALK = """
local paths, position = {}, 0
local threads = 0
function setup(thread)
  thread:set("offset", threads)
  threads = threads + 1
end
function init(args)
  for line in io.lines(args[1]) do paths[#paths + 1] = line end
  position = math.floor(#paths * offset / 2)
end
function request()
  position = position % #paths + 1
  return wrk.format("GET", paths[position], {["X-Forwarded-Proto"] = "https"})
end
"""


def wrk(port: int, paths: list[str], seconds: float, folder: Path) -> dict:
    """Load `paths` (walked in order, each thread from its own start) for `seconds`: req/s,
    latency p50 and p99 (ms), and errors (non-2xx/3xx answers and socket errors)."""
    listing = folder / f"paths-{time.monotonic_ns()}.txt"
    listing.write_text("\n".join(paths) + "\n")
    script = folder / "walk.lua"
    script.write_text(WALK)
    out = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{CONNECTIONS}",
            f"-d{max(1, round(seconds))}s",
            "--timeout",
            "10s",
            "--latency",
            "-s",
            str(script),
            f"http://127.0.0.1:{port}",
            "--",
            str(listing),
        ],  # fmt: skip
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    summary = wrk_summary(out)
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    connect, read, write, timeout = (int(n) for n in sockets.groups()) if sockets else (0,) * 4
    return {
        **summary,
        "errors": summary["errors"] + connect + read + write,
        # No answer within 10 s (--timeout), or still waiting when wrk stopped.
        "unfinished": timeout,
    }


def _facts(postgres) -> dict:
    import psycopg

    with psycopg.connect(postgres.url()) as db:

        def column(sql):
            return [row[0] for row in db.execute(sql).fetchall()]

        return {
            "guides": column(
                "SELECT slug FROM procedures_publication WHERE live_until > now() ORDER BY slug"
            ),
            "regions": column("SELECT slug FROM procedures_region"),
            "carriers": column("SELECT slug FROM procedures_carrier"),
            "documents": column("SELECT slug FROM procedures_document"),
            "kinds": column("SELECT DISTINCT kind FROM procedures_procedure"),
            "words": sorted(
                {
                    word
                    for text in column("SELECT title_en FROM procedures_publication LIMIT 400")
                    for word in re.findall(r"[a-z]{4,}", (text or "").lower())
                }
            ),
        }


def cold_lists(facts, count: int) -> list[str]:
    """Distinct filtered lists: every combination of region, carrier, kind, sim and page."""
    combinations = list(
        itertools.product(
            ["zh-hans", "zh-hant", "en"],
            [""] + facts["regions"],
            [""] + facts["carriers"][:8],
            [""] + facts["kinds"],
            ["", "esim", "physical"],
            ["1", "2"],
        )
    )
    random.Random(17).shuffle(combinations)
    paths = []
    for language, region, carrier, kind, sim, page in combinations[:count]:
        query = {"region": region, "carrier": carrier, "kind": kind, "sim": sim, "page": page}
        paths.append(f"/{language}/guides/?" + urlencode({k: v for k, v in query.items() if v}))
    return paths


def cold_searches(facts, count: int) -> list[str]:
    """Distinct searches of two words the guides use."""
    pairs = list(itertools.permutations(facts["words"][:300], 2))
    random.Random(17).shuffle(pairs)
    languages = itertools.cycle(["en", "zh-hans", "zh-hant"])
    return [
        f"/{next(languages)}/guides/?" + urlencode({"q": f"{first} {second}"})
        for first, second in pairs[:count]
    ]


def mix(facts, searches: list[str], lists: list[str]) -> list[str]:
    """Half guide pages, a fifth lists, a fifth distinct searches, a tenth feeds."""
    guides = itertools.cycle(
        f"/{language}/guides/{slug}/"
        for slug in facts["guides"][:200]
        for language in ("zh-hans", "en")
    )
    feeds = itertools.cycle(
        ["/en/feeds/guides.atom", "/zh-hans/feeds/guides.atom"]
        + [f"/zh-hant/feeds/carriers/{slug}.atom" for slug in facts["carriers"][:4]]
    )
    searches_left, lists_left = iter(searches), itertools.cycle(lists[:300])
    paths = []
    for number in range(len(searches) * 5):
        slot = number % 10
        if slot < 5:
            paths.append(next(guides))
        elif slot < 7:
            paths.append(next(lists_left))
        elif slot < 9:
            paths.append(next(searches_left, "/en/guides/?q=sim"))
        else:
            paths.append(next(feeds))
    return paths


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--guides", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=10)
    args = parser.parse_args()
    missing = missing_binaries("postgres", "redis-server", "nginx")
    if missing or not shutil.which("wrk"):
        raise SystemExit(
            f"The load section needs wrk, PostgreSQL 15, redis-server and nginx; missing: "
            f"{', '.join(missing + ([] if shutil.which('wrk') else ['wrk']))}."
        )
    folder = Path(tempfile.mkdtemp(prefix="kb-load-"))
    folder.chmod(0o755)
    postgres, redis, started = Postgres(), Redis(), []
    try:
        postgres.start()
        postgres.create_database()
        redis.start()
        env = site_env(
            database_url=postgres.url(),
            redis_url=redis.url(),
            static_root=folder / "static",
            KB_BENCH="true",
            KB_BENCH_FLOOR_FILE=str(folder / "floor.html"),
        )
        manage(env, "migrate", "--noinput", "-v0")
        print(f"Generating {args.guides} guides…", flush=True)
        manage(env, "generatekb", "--guides", str(args.guides))
        manage(env, "collectstatic", "--noinput", "-v0")
        facts = _facts(postgres)
        nodes = [Gunicorn(env, log=folder / f"node-{n}.log") for n in (1, 2)]
        for node in nodes:
            node.start()
            started.append(node)
        guide = f"/en/guides/{facts['guides'][0]}/"
        page = get(nodes[0].port, guide, headers=HTTPS).body
        (folder / "floor.html").write_bytes(page)
        front = Nginx(folder / "nginx", (nodes[0].port, nodes[1].port))
        # The front's floor: the same bytes as a file nginx serves itself.
        config = front.config.read_text().replace(
            "        # Health checks are",
            f"        location = /_bench/static.html {{\n"
            f"            alias {folder / 'floor.html'};\n        }}\n"
            # Never cached: with the cache lock every request would queue behind the last.
            "        location = /_bench/floor/ {\n"
            "            proxy_pass http://kb_web;\n            proxy_cache off;\n        }\n\n"
            "        # Health checks are",
        )
        front.config.write_text(config)
        front.start()
        started.append(front)
        seconds, results = args.seconds, {}
        searches = cold_searches(facts, 60000)
        lists = cold_lists(facts, 60000)

        def measure(name, paths):
            for path in paths[:3]:
                get(front.port, path, headers=HTTPS)  # warm the caches that should be warm
            log = front.folder / "access.log"
            log.write_text("")
            results[name] = wrk(front.port, paths, seconds, folder)
            row = results[name]
            statuses = collections.Counter(
                json.loads(line)["status"] for line in log.read_text().splitlines() if line
            )
            # 499: wrk closed the connection when it stopped, with a request under way.
            row["failed"] = {status: n for status, n in statuses.items() if status >= 400}
            row["errors"] += sum(n for status, n in statuses.items() if status >= 500)
            if row["failed"]:
                print(f"  answers other than 2xx/3xx: {row['failed']}")
                for line in log.read_text().splitlines():
                    if json.loads(line)["status"] >= 400:
                        print("   ", line[:300])
                        break
            print(
                f"  {name:<34} {row['rps']:>8.0f} req/s  p50 {row['p50']:>7.1f} ms  "
                f"p99 {row['p99']:>7.1f} ms  errors {row['errors']}  "
                f"unfinished at stop {row['unfinished']}",
                flush=True,
            )

        measure("nginx static file (front floor)", ["/_bench/static.html"])
        measure("guide page, nginx front cache", [guide])
        measure("node floor (Django, same bytes)", ["/_bench/floor/"])
        measure("cold lists (distinct filters)", lists[: len(lists) // 2])
        measure("cold searches (distinct words)", searches[: len(searches) // 3])
        mixed = mix(facts, searches[len(searches) // 3 :], lists)
        measure("mix", mixed)
        stopper = threading.Timer(seconds / 2, redis.stop)
        stopper.start()
        measure("mix, Redis stopped halfway", mixed[len(mixed) // 2 :])
        stopper.join()
        redis.start()
        text = report(results, args)
        print("\n" + text)
        RESULTS.mkdir(exist_ok=True)
        target = RESULTS / f"{datetime.date.today().isoformat()}-load.md"
        target.write_text(text, encoding="utf-8")
        print(f"Written to {target.relative_to(ROOT)}")
    finally:
        for process in reversed(started):
            process.stop()
        if redis.process is not None and redis.process.poll() is None:
            redis.stop()
        postgres.destroy()
        shutil.rmtree(folder, ignore_errors=True)
    errors = results["mix"]["errors"] + results["mix, Redis stopped halfway"]["errors"]
    if errors:
        raise SystemExit(f"{errors} requests failed under load.")


def report(results: dict, args) -> str:
    static = results["nginx static file (front floor)"]["rps"]
    floor = results["node floor (Django, same bytes)"]["rps"]
    lines = [
        f"# Load on loopback, {datetime.date.today().isoformat()}",
        "",
        f"nginx in front of two gunicorn nodes (2 sync workers each), one PostgreSQL 15, one "
        f"Redis; {args.guides} generated guides; wrk, {CONNECTIONS} connections, "
        f"{args.seconds:g} s per row; all on one machine ({_cores()} cores).",
        "",
        "Errors: answers other than 2xx/3xx (wrk) and 5xx in nginx's log, and connection errors.",
        "Unfinished: no answer within 10 s, or still waiting when wrk stopped (wrk's timeouts).",
        "",
        "| load | req/s | p50 ms | p99 ms | errors | unfinished | ratio |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    ratios = {
        "guide page, nginx front cache": (static, FRONT_CACHED_MIN, "static file"),
        "cold lists (distinct filters)": (floor, COLD_MIN, "node floor"),
        "cold searches (distinct words)": (floor, COLD_MIN, "node floor"),
    }
    for name, row in results.items():
        ratio = ""
        if name in ratios:
            base, goal, label = ratios[name]
            ratio = f"{row['rps'] / base:.2f}× {label} (goal ≥ {goal}×)"
        lines.append(
            f"| {name} | {row['rps']:.0f} | {row['p50']:.1f} | {row['p99']:.1f} | "
            f"{row['errors']} | {row['unfinished']} | {ratio} |"
        )
    return "\n".join(lines) + "\n"


def _cores() -> int:
    import os

    return os.cpu_count() or 0


if __name__ == "__main__":
    main()
