"""Settings for the SIM and eSIM knowledge base.

Everything that differs between a laptop, CI and production comes from the environment
(see `.env.example`). `DJANGO_ENV=production` turns on the production safeguards and refuses to
start without a real secret key and allowed hosts.
"""

from pathlib import Path

import environ
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

ENVIRONMENT = env.str("DJANGO_ENV", default="development")
if ENVIRONMENT not in {"development", "production"}:
    raise ImproperlyConfigured(
        f"DJANGO_ENV must be 'development' or 'production', not {ENVIRONMENT!r}."
    )
PRODUCTION = ENVIRONMENT == "production"

# Off unless a developer asks (DJANGO_DEBUG=1, or `DEBUG=1 make run`): a newcomer running the
# site sees its own translated error pages, not Django's debug pages listing every URL pattern.
# Static files are served by whitenoise from the app folders either way.
DEBUG = env.bool("DJANGO_DEBUG", default=False)

if PRODUCTION:
    missing = [
        name for name in ("DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS") if not env.str(name, "")
    ]
    if missing:
        raise ImproperlyConfigured(
            "Production settings need " + " and ".join(missing) + " in the environment."
        )
    SECRET_KEY = env.str("DJANGO_SECRET_KEY")
    ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
else:
    SECRET_KEY = env.str(
        "DJANGO_SECRET_KEY", default="development-only-key-never-use-in-production-0123456789"
    )
    ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])

INSTALLED_APPS = [
    # modeltranslation must come before the admin so its admin integration is used.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_filters",
    "adminsortable2",
    "reversion",
    "csp",
    "axes",
    "kb",
    "procedures",
]

MIDDLEWARE = [
    # First: the request id on every log line, and one line per request (kb/logs.py).
    "kb.logs.RequestLogMiddleware",
    "kb.middleware.RememberLanguageMiddleware",
    # Counts searches, cached pages included, for the search-terms report (no personal data).
    "procedures.search.terms.SearchTermsMiddleware",
    # Cached pages are answered here, before anything else runs; they are stored with the
    # headers the middleware below adds (security, CSP, ETag), and answer 304 themselves.
    "kb.pagecache.middleware.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # ETag on every page and "304 Not Modified" for a matching If-None-Match.
    "django.middleware.http.ConditionalGetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "kb.middleware.ReadOnlyPagesMiddleware",
    # Last: locks out an address or account after repeated failed admin logins.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kb.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kb.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "kb.wsgi.application"

# SQLite in a git-ignored folder by default; DATABASE_URL=postgres://… switches to PostgreSQL.
VAR_DIR = BASE_DIR / "var"
if "DATABASE_URL" not in env:
    VAR_DIR.mkdir(exist_ok=True)
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Write-ahead logging: readers (every gunicorn worker) never wait for a writer.
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options.setdefault("init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;")
    # Transactions (every admin save) take the write lock when they begin, so a second save
    # waits for the first instead of failing with "database is locked" when it starts writing on
    # a snapshot the first one made stale; then it sees the first save and reports the conflict.
    options.setdefault("transaction_mode", "IMMEDIATE")
    options.setdefault("timeout", 20)  # seconds a save waits for another one
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A stopped or hung server must cost readers seconds, not a worker (issue 17): opening a
    # connection, a statement on the server and every round trip on an open connection are
    # bounded; what times out is answered with a translated 503 (kb/errors.py).
    DATABASES["default"]["ENGINE"] = "kb.postgresql"
    _db_options = DATABASES["default"].setdefault("OPTIONS", {})
    _db_options.setdefault("connect_timeout", env.int("DJANGO_DB_CONNECT_TIMEOUT", default=2))
    _statement_ms = env.int("DJANGO_DB_STATEMENT_TIMEOUT_MS", default=2500)
    _db_options.setdefault("options", f"-c statement_timeout={_statement_ms}")
    # Longer than the statement timeout: a slow query gets the server's own error first.
    _db_options.setdefault("round_trip_timeout", _statement_ms / 1000 + 0.5)
# Keep connections between requests (opening one per request costs more than most queries).
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DJANGO_CONN_MAX_AGE", default=60))
DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Local memory by default; REDIS_URL=redis://127.0.0.1:6379/1 for Redis (the site keeps serving
# from the database, with a warning in the log, if Redis goes away); CACHE_URL for anything else.
if env.str("REDIS_URL", ""):
    CACHES = {
        "default": {
            "BACKEND": "kb.pagecache.backends.ResilientRedisCache",
            "LOCATION": env.str("REDIS_URL"),
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
        }
    }
else:
    CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
KB_PAGE_CACHE = env.bool("KB_PAGE_CACHE", default=True)
# How long a front cache (nginx, a CDN) may keep a reader's page before revalidating it with its
# ETag, how long it may serve it stale while it does, and while the site is failing
# (kb/pagecache/readers.py).
# 2 + 2 s: a publication reaches every reader through the front cache within 5 s (issue 17).
KB_FRONT_CACHE_SECONDS = env.int("KB_FRONT_CACHE_SECONDS", default=2)
# Feedback forms a client address may send per hour (issue 15); more get a 429 page.
KB_FEEDBACK_PER_HOUR = env.int("KB_FEEDBACK_PER_HOUR", default=10)
KB_FRONT_CACHE_STALE_SECONDS = env.int("KB_FRONT_CACHE_STALE_SECONDS", default=2)
KB_FRONT_CACHE_STALE_IF_ERROR_SECONDS = env.int(
    "KB_FRONT_CACHE_STALE_IF_ERROR_SECONDS", default=60 * 60 * 24
)
# A file every server process can see, rewritten on every content change: processes keep the
# content versions they have read until it changes, so cache hits need no query (kb/pagecache/).
# "" reads versions on every hit: for servers on several hosts without a shared file. Either way
# a process reads versions again at least every 2 seconds.
KB_PAGE_CACHE_SIGNAL = env.str(
    "KB_PAGE_CACHE_SIGNAL",
    default=(
        ""  # a cache shared between hosts (Redis, memcached…): no shared file to rely on
        if env.str("REDIS_URL", "") or env.str("CACHE_URL", "")
        else str(VAR_DIR / "page-cache-signal")
    ),
)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Languages --------------------------------------------------------------------------------
# Interface text lives in locale/<zh_Hans|zh_Hant|en>/; content typed by editors is translated
# with django-modeltranslation (procedures/translation.py).
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [
    ("zh-hans", "简体中文"),
    ("zh-hant", "繁體中文"),
    ("en", "English"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Macau"
FORMAT_MODULE_PATH = ["kb.formats"]
LANGUAGE_COOKIE_NAME = "kb_language"
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
LANGUAGE_COOKIE_SAMESITE = "Lax"

MODELTRANSLATION_DEFAULT_LANGUAGE = "zh-hans"
MODELTRANSLATION_LANGUAGES = ("zh-hans", "zh-hant", "en")
# A reader who lacks a translation sees the closest script first: the two Chinese scripts fall
# back to each other before English; English falls back to Simplified, then Traditional.
MODELTRANSLATION_FALLBACK_LANGUAGES = {
    "default": ("zh-hans",),
    "zh-hans": ("zh-hant", "en"),
    "zh-hant": ("zh-hans", "en"),
    "en": ("zh-hans", "zh-hant"),
}

# --- Static files -----------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=BASE_DIR / "staticfiles")


# Outside production, files are served straight from the app folders (no collectstatic needed).
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "kb.storage.StaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# --- Security ---------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Load balancers probe over plain HTTP: the health checks answer there, never with a 301.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
    SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Content Security Policy (django-csp): scripts only from this site, never inline.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        # The Django admin sets a few style attributes inline.
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Guessing admin passwords (django-axes): after 5 failures an address and user name are locked
# out for an hour, with a translated page that says so.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("DJANGO_AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 1  # hour
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "lockout.html"
AXES_VERBOSE = False
# Behind a reverse proxy every request comes from the proxy's address: the client's address is
# then read from X-Forwarded-For, only when the request comes from one of these trusted proxies
# (addresses or networks; kb/client_ip.py). Empty: REMOTE_ADDR is the client.
KB_TRUSTED_PROXIES = env.list("DJANGO_TRUSTED_PROXIES", default=[])
AXES_CLIENT_IP_CALLABLE = "kb.client_ip.client_ip"

LOGIN_URL = "admin:login"

# The largest admin form: a guide with every inline at its max_num (120 steps, 40 notes, 40
# questions, 30 documents, 30 sources: about 2,700 fields). Django's default of 1,000 refused a
# guide of 80 steps with a bare "Bad Request" and lost the editor's input. Still a bound: a
# request with more fields is refused before it is parsed.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5_000
# 120 steps in three languages with long Markdown bodies fit; a larger body is refused.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# "json" in production (the image sets it): one JSON object per line with the request id,
# and one line per request (kb/logs.py); "text" for people reading a terminal.
KB_LOG_FORMAT = env.str("KB_LOG_FORMAT", default="text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "kb.logs.RequestIdFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            "datefmt": "%Y-%m-%dT%H:%M:%S%z",
        },
        "text": {"format": "%(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": KB_LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="WARNING")},
    "loggers": {
        # One line per request in production; people reading a terminal have runserver's.
        "kb.requests": {"level": "INFO" if KB_LOG_FORMAT == "json" else "WARNING"},
    },
}

# --- Knowledge base ---------------------------------------------------------------------------
KB_GUIDES_PER_PAGE = env.int("KB_GUIDES_PER_PAGE", default=20)
# How often a process writes its tally of search terms to the database (procedures/search/terms.py).
KB_SEARCH_TERMS_FLUSH_SECONDS = env.int("KB_SEARCH_TERMS_FLUSH_SECONDS", default=30)
SITE_NAME = _("SIM & eSIM Guide")

# Benchmarks only (bench/run.py): a view that returns a fixed page from memory, the "floor".
KB_BENCH = env.bool("KB_BENCH", default=False)
KB_BENCH_FLOOR_FILE = env.str("KB_BENCH_FLOOR_FILE", default="")
KB_PUBLISHER_MUST_DIFFER_FROM_EDITOR = env.bool(
    "KB_PUBLISHER_MUST_DIFFER_FROM_EDITOR", default=True
)

# --- Read-only API and translation exchange (issue 18) ----------------------------------------
# django-ninja serves the API's docs from its static files (no CDN); CORS lets other sites'
# scripts read the API (GET only), answered before the page cache so cached answers get it too;
# requests to the API are limited per client address (django-ratelimit counters in the cache);
# /api/v1/ (language from Accept-Language) is routed by procedures.api.middleware.
INSTALLED_APPS += ["ninja", "corsheaders"]
MIDDLEWARE.insert(0, "corsheaders.middleware.CorsMiddleware")
MIDDLEWARE.insert(1, "procedures.api.middleware.ApiMiddleware")
CORS_URLS_REGEX = r"^/(?:[a-z-]+/)?api/"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_CREDENTIALS = False
KB_API_RATE = env.str("KB_API_RATE", default="300/m")
KB_API_MAX_AGE = env.int("KB_API_MAX_AGE", default=60)  # seconds clients may reuse an answer
RATELIMIT_IP_META_KEY = env.str("DJANGO_RATELIMIT_IP_META_KEY", default="REMOTE_ADDR")
