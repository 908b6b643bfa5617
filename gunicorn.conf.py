"""gunicorn settings for production and for the benchmark runner (bench/run.py).

Sync workers: pages are short CPU-bound renders or cache hits; two workers match two cores.
"""

import os

wsgi_app = "kb.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "sync"
keepalive = 5
timeout = 30
graceful_timeout = 10
# Recycle workers now and then so memory cannot creep.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "0"))
max_requests_jitter = 50
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "warning")


def post_worker_init(worker):
    """Each worker builds the guide and search indexes before its first request (procedures/
    public/listing.py, warm_up), then sets what it keeps for good out of the garbage
    collector's way (kb/memory.py). Django is set up by then: the app (kb.wsgi) is loaded."""
    from kb.memory import settle_long_lived
    from procedures.public.listing import warm_up

    warm_up()
    settle_long_lived()
