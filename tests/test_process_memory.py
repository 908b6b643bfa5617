"""What a web process loads: libraries only some commands need stay out of it, since every
worker would carry them (bench/run.py reports the worker's memory at 10,000 guides)."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Loaded on first use only: lxml and translate-toolkit by exchange files (procedures/exchange/
# xliff.py, ~9 MB); pkg_resources, which jieba imports only to find its own files (~5 MB).
NOT_IN_A_WEB_PROCESS = {"lxml", "translate", "pkg_resources"}

SCRIPT = """
import json, sys, django
django.setup()
from django.test import Client
client = Client(HTTP_HOST="127.0.0.1")
pages = ["/en/", "/en/guides/", "/zh-hans/guides/?q=%E5%AE%9E%E5%90%8D", "/en/guides/?q=esim"]
statuses = [client.get(page).status_code for page in pages]
print(json.dumps({"statuses": statuses, "modules": sorted({m.split(".")[0] for m in sys.modules})}))
"""


def test_serving_pages_and_searching_loads_no_library_only_commands_need(tmp_path):
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="kb.settings",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        KB_PAGE_CACHE="false",
    )
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    loaded = json.loads(out.strip().splitlines()[-1])
    assert loaded["statuses"] == [200, 200, 200, 200]
    assert "jieba" in loaded["modules"]  # the search ran
    assert NOT_IN_A_WEB_PROCESS.isdisjoint(loaded["modules"]), NOT_IN_A_WEB_PROCESS & set(
        loaded["modules"]
    )
