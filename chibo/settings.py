"""One settings module, driven by environment variables, with safe embedded defaults.

DATABASE_URL   unset → SQLite file db.sqlite3 (WAL); postgres://… in production.
REDIS_URL      unset → Celery runs tasks inline and the cache is local memory.
SECRET_KEY     unset → a development key, refused when DEBUG is off.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = _env_bool("DEBUG", True)
_DEV_SECRET = "dev-only-secret-key-do-not-use-in-production"  # noqa: S105
SECRET_KEY = os.environ.get("SECRET_KEY", _DEV_SECRET)
if not DEBUG and SECRET_KEY == _DEV_SECRET:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "treebeard",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "auditlog",
    # Serves the API docs page's Swagger UI from our static files instead of a CDN.
    "ninja",
    "chibo.core",
    "chibo.accounts",
    "chibo.organizations",
    "chibo.members",
    "chibo.rules",
    "chibo.meetings",
    "chibo.documents",
    "chibo.scheduling",
    "chibo.notices",
    "chibo.tasks",
    "chibo.criticism",
    "chibo.commitments",
    "chibo.quality",
    "chibo.reviews",
    "chibo.dashboards",
    "chibo.supervision",
    "chibo.directives",
    "chibo.households",
    "chibo.audit",
    "chibo.operations",
    "chibo.demo",
]

MIDDLEWARE = [
    "chibo.core.overload.RequestCpuLogMiddleware",  # off unless CHIBO_REQUEST_CPU_LOG (the load test)
    "chibo.core.overload.OverloadGuardMiddleware",  # 503 + Retry-After to reads beyond capacity
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "chibo.core.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # A live meeting's poll that nothing changed since is answered 304 here, before authentication.
    "chibo.meetings.polling.LivePollMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "chibo.accounts.middleware.RequireOfficerTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    # Last, as django-axes asks: it turns lockouts into responses.
    "axes.middleware.AxesMiddleware",
]
# `make bench` only (bench/run.py): the second-floor views under /_bench/ and each response's query count
# in an X-Bench-Queries header (chibo.operations.bench_floor). Never on in production.
CHIBO_BENCH_FLOOR = _env_bool("CHIBO_BENCH_FLOOR", False)
if CHIBO_BENCH_FLOOR:
    MIDDLEWARE.insert(0, "chibo.operations.bench_floor.QueryCountMiddleware")

ROOT_URLCONF = "chibo.urls"
WSGI_APPLICATION = "chibo.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "chibo" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "chibo.accounts.context_processors.nav",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
            # WAL is switched on in CoreConfig.ready() for every new connection.
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
        }
    }
# Behind pgbouncer in transaction mode (docs/deployment.md) a cursor cannot outlive its transaction.
if _env_bool("DATABASE_PGBOUNCER", False):
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
# A streaming replica for dashboards and exports, read only inside chibo.operations.routers.replica_reads().
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(DATABASE_REPLICA_URL, conn_max_age=60)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["chibo.operations.routers.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, Celery --------------------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = _env_bool("CELERY_TASK_ALWAYS_EAGER", False)
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CELERY_BROKER_URL = "memory://"
    CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
# Separate queues, so that a province's import or a burst of notices does not hold up the rest; each needs a
# worker (`celery -A chibo worker -Q notices`, see deploy/). Off: one worker takes everything.
if _env_bool("CHIBO_CELERY_QUEUES", False):
    CELERY_TASK_ROUTES = {"chibo.notices.*": {"queue": "notices"}, "chibo.members.*": {"queue": "imports"}}
CELERY_TIMEZONE = "Asia/Ho_Chi_Minh"
CELERY_BEAT_SCHEDULE = {
    # Invitations coming due and reminders before meetings (chibo.notices).
    "notices-send-due": {"task": "chibo.notices.send_due", "schedule": 15 * 60},
    # Retention of the personal-data access log (chibo.audit, CHIBO_ACCESS_LOG_RETENTION_DAYS).
    "audit-purge-access-logs": {"task": "chibo.audit.purge_access_logs", "schedule": 24 * 60 * 60},
    # Reminders of tasks past due, once a week each while open (chibo.tasks).
    "tasks-remind-overdue": {"task": "chibo.tasks.remind_overdue", "schedule": 24 * 60 * 60},
    # The dashboards' monthly summaries (chibo.dashboards): the months touched since the last run.
    "dashboards-refresh-summaries": {"task": "chibo.dashboards.refresh_summaries", "schedule": 10 * 60},
    # Follow-ups of the households' liaison log that have come due, once each (chibo.households).
    "households-remind-follow-ups": {"task": "chibo.households.remind_follow_ups", "schedule": 24 * 60 * 60},
    # Uploaded member spreadsheets past CHIBO_IMPORT_FILE_RETENTION_DAYS (chibo.operations).
    "operations-purge-import-files": {"task": "chibo.operations.purge_import_files", "schedule": 24 * 60 * 60},
    # Cells without an upper-level attendee too long (chibo.supervision); directives' deadlines (chibo.directives).
    "supervision-coverage-reminders": {"task": "chibo.supervision.send_coverage_reminders", "schedule": 24 * 60 * 60},
    "directives-deadline-reminders": {"task": "chibo.directives.send_deadline_reminders", "schedule": 24 * 60 * 60},
}

# --- Auth -----------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# Officers (administrator, organization officer) must sign in with a second factor.
CHIBO_REQUIRE_OFFICER_2FA = _env_bool("CHIBO_REQUIRE_OFFICER_2FA", not DEBUG)
# An API token left unused this many days stops working (0: never); a password change or a locked account
# revokes every token at once.
CHIBO_API_TOKEN_IDLE_DAYS = int(os.environ.get("CHIBO_API_TOKEN_IDLE_DAYS", "90"))
OTP_TOTP_ISSUER = "Chi bộ số"

AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
# The client's address behind the proxy (deploy/nginx appends it to X-Forwarded-For): the right-most
# CHIBO_TRUSTED_PROXY_COUNT entry, which no client can forge. 0 (development, no proxy): REMOTE_ADDR.
# Behind gunicorn on a local socket REMOTE_ADDR is empty: without this every client would share one
# address, and five wrong passwords from anywhere would lock an officer out everywhere.
CHIBO_TRUSTED_PROXY_COUNT = int(os.environ.get("CHIBO_TRUSTED_PROXY_COUNT", "0" if DEBUG else "1"))
AXES_CLIENT_IP_CALLABLE = "chibo.accounts.security.client_ip"
# Failed sign-ins for one username from this many addresses within the cool-off: a warning in the security
# log (chibo.accounts.security), since per-address lockouts alone would not show a distributed attack.
CHIBO_SIGNIN_ALERT_ADDRESSES = int(os.environ.get("CHIBO_SIGNIN_ALERT_ADDRESSES", "3"))

SESSION_COOKIE_HTTPONLY = True
# Cookies only over HTTPS in production; `make demo` serves plain HTTP on 127.0.0.1 with DEBUG off.
SESSION_COOKIE_SECURE = _env_bool("CHIBO_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# The CSRF failure page in the site's layout and in Vietnamese instead of Django's English one.
CSRF_FAILURE_VIEW = "chibo.core.views.csrf_failure"
# HTTPS behind nginx (docs/deployment.md): the proxy terminates TLS, redirects plain HTTP and sets
# X-Forwarded-Proto, which Django may trust only because gunicorn listens on a local socket alone.
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = _env_bool("SECURE_SSL_REDIRECT", not DEBUG)  # behind nginx: by X-Forwarded-Proto
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else str(365 * 24 * 60 * 60)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = _env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SESSION_COOKIE_SAMESITE = "Lax"

# Browser hardening (docs/security.md): scripts, styles, images and connections from this site only; no
# inline script or style, no eval (htmx is configured in base.html not to need them); no framing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# Features no page uses, refused to the page and anything it might embed.
CHIBO_PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), midi=(), payment=(), usb=(), interest-cohort=()"
)

# --- I18n -----------------------------------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "chibo" / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
FORMAT_MODULE_PATH = ["chibo.formats"]

# --- Static, media --------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "chibo" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- Mail -----------------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "chibo@localhost")
# With EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend: the relay (a local postfix by default).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _env_bool("EMAIL_USE_TLS", False)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Logging: nothing personal in logs (C19): no request bodies, no member fields. -----------------
# django-axes masks usernames and addresses in its messages (AXES_VERBOSE off, its default sensitive
# parameters); request lines lose their query strings, which carry searched names and card numbers.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"no_query_strings": {"()": "chibo.audit.logfilters.DropQueryStrings"}},
    "formatters": {
        "django.server": {"()": "django.utils.log.ServerFormatter", "format": "[{server_time}] {message}", "style": "{"}
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "django.server": {"class": "logging.StreamHandler", "formatter": "django.server"},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "chibo.security": {"level": "WARNING"},
        "django.server": {
            "handlers": ["django.server"],
            "level": "INFO",
            "propagate": False,
            "filters": ["no_query_strings"],
        },
    },
}

# --- Product settings -----------------------------------------------------------------------------
# The demo's accounts share a published password: `load_demo` creates them only when this is on
# (`make demo` sets it, with DEBUG off, so the demo shows what production shows). Never on in production.
CHIBO_DEMO_ACCOUNTS = _env_bool("CHIBO_DEMO_ACCOUNTS", False)
CHIBO_PAGE_SIZE = 50
# SMS notices go through this sender (dotted path; empty: no SMS). The default only logs a masked number.
CHIBO_SMS_SENDER = os.environ.get("CHIBO_SMS_SENDER", "chibo.notices.sms.LoggingSmsSender")
# C19: rows of the personal-data access log older than this are deleted by `manage.py purge_access_logs`.
CHIBO_ACCESS_LOG_RETENTION_DAYS = int(os.environ.get("CHIBO_ACCESS_LOG_RETENTION_DAYS", "730"))
CHIBO_IMPORT_BACKGROUND_ROWS = int(os.environ.get("CHIBO_IMPORT_BACKGROUND_ROWS", "500"))
CHIBO_IMPORT_MAX_UPLOAD_MB = int(os.environ.get("CHIBO_IMPORT_MAX_UPLOAD_MB", "20"))
# Uploads above this size are checked and imported as a background job even when their rows are few.
CHIBO_IMPORT_BACKGROUND_MB = float(os.environ.get("CHIBO_IMPORT_BACKGROUND_MB", "2"))
# With no broker (Celery inline), background imports run in a thread of the web process instead of the request.
CHIBO_IMPORT_THREAD_WITHOUT_BROKER = _env_bool("CHIBO_IMPORT_THREAD_WITHOUT_BROKER", True)
# A text cell longer than this (or than its database column) is an error at its row and column.
CHIBO_IMPORT_MAX_CELL_CHARS = int(os.environ.get("CHIBO_IMPORT_MAX_CELL_CHARS", "1000"))
# Hostile workbooks (chibo.core.workbooks, docs/security.md): checked on the zip before any parsing.
CHIBO_XLSX_MAX_PARTS = int(os.environ.get("CHIBO_XLSX_MAX_PARTS", "1000"))
# A 300,000-row member sheet as Excel writes it (text in the shared-strings table) is ~145 MB of XML; a
# part is streamed once through the archive check (~1 s per 100 MB), so these bound a bomb's time too.
CHIBO_XLSX_MAX_PART_MB = int(os.environ.get("CHIBO_XLSX_MAX_PART_MB", "160"))
CHIBO_XLSX_MAX_TOTAL_MB = int(os.environ.get("CHIBO_XLSX_MAX_TOTAL_MB", "320"))
CHIBO_XLSX_MAX_STRINGS_MB = int(os.environ.get("CHIBO_XLSX_MAX_STRINGS_MB", "128"))
CHIBO_XLSX_MAX_TOKEN_KB = int(os.environ.get("CHIBO_XLSX_MAX_TOKEN_KB", "256"))
# Rows of one worksheet, counted while the archive is checked: 300,000 members and some title rows.
CHIBO_XLSX_MAX_ROWS = int(os.environ.get("CHIBO_XLSX_MAX_ROWS", "320000"))
# Uploaded import files older than this are deleted by `manage.py purge_import_files`; the job records stay.
CHIBO_IMPORT_FILE_RETENTION_DAYS = int(os.environ.get("CHIBO_IMPORT_FILE_RETENTION_DAYS", "30"))
# `manage.py backup` writes here unless given --output (keep it off MEDIA_ROOT, ideally on another disk).
CHIBO_BACKUP_DIR = Path(os.environ.get("CHIBO_BACKUP_DIR", str(BASE_DIR / "backups")))
# Lists paginated with `estimate=True` show PostgreSQL's row estimate ("khoảng N") above this many rows
# instead of counting them exactly on every page (chibo.core.pagination).
CHIBO_COUNT_ESTIMATE_THRESHOLD = int(os.environ.get("CHIBO_COUNT_ESTIMATE_THRESHOLD", "50000"))

# Overload (issue 13, docs/deployment.md §1.8): reads beyond CHIBO_MAX_IN_FLIGHT requests served at once in
# one process, or that waited more than CHIBO_MAX_QUEUE_MS since nginx received them (X-Request-Start), get
# 503 with Retry-After at once; writes are never refused here. 0 turns the in-flight limit off.
CHIBO_MAX_IN_FLIGHT = int(os.environ.get("CHIBO_MAX_IN_FLIGHT", "6"))
CHIBO_MAX_QUEUE_MS = int(os.environ.get("CHIBO_MAX_QUEUE_MS", "2000"))
CHIBO_RETRY_AFTER_SECONDS = int(os.environ.get("CHIBO_RETRY_AFTER_SECONDS", "5"))
# A file that receives one line per request (view, method, status, CPU ms, wall ms): the live-hour load test.
CHIBO_REQUEST_CPU_LOG = os.environ.get("CHIBO_REQUEST_CPU_LOG", "")
