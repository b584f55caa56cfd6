"""Settings shared by every environment. The environment is read here and only here."""
from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env(
    DEBUG=(bool, False),
    ALLOWED_HOSTS=(list, ["localhost", "127.0.0.1", "[::1]"]),
    CSRF_TRUSTED_ORIGINS=(list, []),
    SQLITE_BUSY_TIMEOUT=(int, 20),
)
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-change-me-in-production-0123456789")
DEBUG = env("DEBUG")
ALLOWED_HOSTS = env("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "csp",
    "taggit",
    "admin_auto_filters",  # django-admin-autocomplete-filter: the list's 省份/城市/标签/来源 boxes
    "import_export",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "articles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "articles.views.guard.RejectUnstorableMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "articles.views.script.ScriptMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "articles.context_processors.site",
            ],
        },
    },
]

# DATABASE_URL defaults to an SQLite file in the project folder.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside the writer. IMMEDIATE takes the write lock when a
    # transaction starts: a deferred transaction that reads then writes fails at once
    # with "database is locked", whatever the timeout.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": env("SQLITE_BUSY_TIMEOUT"),
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Bind parameters on the server: large page texts are sent as-is instead of being quoted in Python.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("server_side_binding", True)
    # Starting parallel workers costs ~15 ms on a small machine, more than a page's whole query: at a
    # million articles the region page's LIMIT 21 took 55 ms in parallel and 8 ms serially. A higher
    # setup cost (PostgreSQL's default is 1000) keeps the site's short queries serial; large
    # aggregates (the cached counts) still go parallel when it pays. Set it to 1000 to undo.
    DATABASES["default"]["OPTIONS"].setdefault(
        "options", f"-c parallel_setup_cost={env.int('PG_PARALLEL_SETUP_COST', default=10000)}")
DATABASES["default"].setdefault("TEST", {})
if env("DATABASE_TEST_TEMPLATE", default=""):
    DATABASES["default"]["TEST"]["TEMPLATE"] = env("DATABASE_TEST_TEMPLATE")
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("zh-hant", "繁體中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "media")))  # uploads waiting for their import
MEDIA_URL = "/media/"

LOGIN_URL = "admin:login"

# Who runs the public site, shown in the footer and on the about page (MIIT rules want the ICP
# filing number on every page of a site hosted in mainland China).
GAOKU_SITE_OPERATOR = env("GAOKU_SITE_OPERATOR", default="稿库编辑部")
GAOKU_ICP_FILING = env("GAOKU_ICP_FILING", default="")
GAOKU_CONTACT_EMAIL = env("GAOKU_CONTACT_EMAIL", default="")

# The public site in 繁體 follows Taiwan's ("tw", with Taiwan's words) or Hong Kong's ("hk") conventions.
GAOKU_TRADITIONAL_STANDARD = env("GAOKU_TRADITIONAL_STANDARD", default="tw")
if GAOKU_TRADITIONAL_STANDARD not in ("tw", "hk"):
    raise ValueError(f"GAOKU_TRADITIONAL_STANDARD must be tw or hk, not {GAOKU_TRADITIONAL_STANDARD!r}")

# Tags: Chinese-aware separators (，、, and spaces) and unicode slugs.
TAGGIT_TAGS_FROM_STRING = "articles.tag_strings.parse_tags"
TAGGIT_STRING_FROM_TAGS = "articles.tag_strings.edit_string_for_tags"
TAGGIT_CASE_INSENSITIVE = True

TASKS = {
    "default": {
        "BACKEND": env("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
    }
}

# Uploads of page dumps: keep big files on disk, not in memory.
DATA_UPLOAD_MAX_NUMBER_FILES = 2000
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
GAOKU_MAX_FILE_BYTES = env.int("GAOKU_MAX_FILE_BYTES", default=5 * 1024 * 1024)
# An upload nobody confirmed is deleted with its files after this many hours (manage.py cleanup_uploads).
GAOKU_UPLOAD_ABANDON_HOURS = env.float("GAOKU_UPLOAD_ABANDON_HOURS", default=24)
# An article table (CSV/XLSX) this long is imported by the worker with progress, not in the request.
GAOKU_TABLE_BACKGROUND_ROWS = env.int("GAOKU_TABLE_BACKGROUND_ROWS", default=500)
# CPU seconds one page may take to parse before it is refused (a pathological page); CPU, not wall time.
GAOKU_PARSE_SECONDS = env.float("GAOKU_PARSE_SECONDS", default=30)
# Pages whose fingerprints are at most this many bits apart are the same article. Found by four
# 16-bit bands (articles/ingest/dedup.py), which guarantee a match only up to 3 bits.
GAOKU_NEAR_DUPLICATE_DISTANCE = env.int("GAOKU_NEAR_DUPLICATE_DISTANCE", default=3)
if not 0 <= GAOKU_NEAR_DUPLICATE_DISTANCE <= 3:
    raise ImproperlyConfigured(
        f"GAOKU_NEAR_DUPLICATE_DISTANCE={GAOKU_NEAR_DUPLICATE_DISTANCE}: it must be between 0 and 3, "
        "the largest distance the fingerprint bands are sure to find")

# Search on PostgreSQL with rum (articles/search/settle.py): when the unsettled documents are at least this
# share of the table (and 2,000 or more), the settle step rebuilds the rum index instead of inserting
# them one by one (a rebuild costs ~0.8 ms a document of the whole table, an insert 4–20 ms).
GAOKU_SEARCH_REBUILD_FRACTION = env.float("GAOKU_SEARCH_REBUILD_FRACTION", default=0.25)
# Search ranked by a tantivy index in this directory (articles/search/tantivy_backend.py), one per machine,
# kept up to the database by `manage.py sync_search_index`: ranking every match of common words stays
# fast at a million articles. Empty (the default): the database's own full text search.
GAOKU_SEARCH_INDEX_DIR = env("GAOKU_SEARCH_INDEX_DIR", default="")

# Security headers; prod.py tightens the rest.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        # No inline script runs: the nonce is only for the JSON-LD data blocks (structured data).
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}

IMPORT_EXPORT_SKIP_ADMIN_LOG = False
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "change"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}
