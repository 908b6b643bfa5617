# The knowledge base as one image: gunicorn serving the project, with the interface translations
# compiled and the static files collected at build time. Run it with compose.yaml (nginx in
# front, two web nodes, PostgreSQL, Redis); see README, "Run it in production".

# --- CSS: the pinned CSS foundation from npm (package-lock.json), copied into static/ ----------
FROM node:22-bookworm-slim AS css
WORKDIR /css
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund \
    && mkdir -p vendor && cp node_modules/modern-normalize/modern-normalize.css vendor/

# --- Build: install the runtime dependencies, compile messages, collect static files ----------
FROM python:3.11-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONDONTWRITEBYTECODE=1
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext=0.21-12 \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.txt .
# Only the runtime part of requirements.txt: the test tools stay out of the image.
RUN sed '/^# Tests and tooling/,$d' requirements.txt > runtime.txt \
    && python -m venv /venv \
    && /venv/bin/pip install -r runtime.txt
COPY . .
COPY --from=css /css/vendor/ static/css/vendor/
# Settings refuse production without a key and hosts: build-time values, never used at run time.
RUN DJANGO_ENV=production DJANGO_SECRET_KEY=build-only-not-a-secret-0123456789abcdefghijklmnop \
    DJANGO_ALLOWED_HOSTS=build DATABASE_URL=sqlite:////tmp/build.sqlite3 \
    sh -c '/venv/bin/python manage.py compilemessages --ignore=.venv -v0 \
        && /venv/bin/python manage.py collectstatic --noinput -v0'

# --- Run: the virtualenv and the project, as an unprivileged user ------------------------------
FROM python:3.11-slim-bookworm
ENV PATH=/venv/bin:$PATH PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    DJANGO_ENV=production GUNICORN_BIND=0.0.0.0:8000 KB_LOG_FORMAT=json
RUN useradd --system --uid 10001 --user-group --home-dir /app --no-create-home kb
COPY --from=build /venv /venv
COPY --from=build --chown=root:root /app /app
WORKDIR /app
USER 10001:10001
EXPOSE 8000
# Liveness only (/healthz asks nothing of the database); nginx and orchestrators use /readyz.
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2).status != 200)"]
CMD ["gunicorn", "--config", "gunicorn.conf.py"]
