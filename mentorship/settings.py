"""Settings for the mentoring program app, read from the environment (12-factor).

Defaults run on a laptop with nothing else installed: SQLite under var/, tasks run
in-process, e-mail printed to the console. Production sets DEBUG=0 and the variables
documented in README.md (PostgreSQL, Redis, SMTP).
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from redis.backoff import NoBackoff
from redis.retry import Retry

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


DEBUG = env_bool("DEBUG", True)


def _secret_key() -> str:
    key = os.environ.get("SECRET_KEY", "")
    if key:
        return key
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off. Generate one with: "
            "python -c 'import secrets; print(secrets.token_urlsafe(64))'"
        )
    # Development: generate once, keep it in var/ so sessions survive restarts.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# A stale or missing token: a page that explains and leads back to the form (templates/
# 403_csrf.html), not Django's bare 403.
CSRF_FAILURE_VIEW = "mentorship.views.csrf_failure"
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "mentorship.apps.SuperuserAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "crispy_forms",
    "crispy_bootstrap5",
    "core.apps.CoreConfig",
    "mentorship.apps.MentorshipConfig",
    "accounts.apps.AccountsConfig",
    "programs.apps.ProgramsConfig",
    "intake.apps.IntakeConfig",
    "matching.apps.MatchingConfig",
    "surveys.apps.SurveysConfig",
    "sessions.apps.MentoringSessionsConfig",
    "evaluation.apps.EvaluationConfig",
    "reminders.apps.RemindersConfig",
    # Pages and work combining the domain apps above (none of the three imports another).
    "dashboard.apps.DashboardConfig",
    "members.apps.MembersConfig",
    "printing.apps.PrintingConfig",
    # Demo and benchmark data with their commands (seed_demo, bench_seed, bench). Installed so
    # manage.py finds the commands; production code never imports it (.importlinter).
    "devdata.apps.DevdataConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Below WhiteNoise, so static files keep their long cache; above the rest, so every
    # other response (errors and redirects included) passes through it.
    "mentorship.middleware.PrivateCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # After messages: an idle log-out says why on the log-in page.
    "accounts.middleware.SessionIdleMiddleware",
    # Inside the idle check, which says why itself: a POST that arrives logged out goes to
    # log-in and back to its form; an accepted POST lets the browser drop its draft.
    "accounts.middleware.DraftsMiddleware",
    "accounts.middleware.CoordinatorMFAMiddleware",
    # Last, around the view alone: coordinators' and superusers' writes go on record.
    "programs.activity.ActivityMiddleware",
]

ROOT_URLCONF = "mentorship.urls"
WSGI_APPLICATION = "mentorship.wsgi.application"
ASGI_APPLICATION = "mentorship.asgi.application"

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
                "django.template.context_processors.csp",
                "mentorship.context_processors.navigation",
            ],
            # Every template's `|date` writes dates as core/dates.py does, and
            # `|datetime_attr` gives <time datetime> its value.
            "builtins": ["core.templatetags.dates"],
        },
    },
]

# --- Database ---------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
# SQLite (`make run`): writers queue instead of failing "database is locked". WAL lets readers
# go on while one writes; IMMEDIATE takes the write lock when a transaction begins, so two
# saves wait in turn (a deferred transaction that reads then writes fails at once, whatever
# the timeout); `timeout` is how long, in seconds, a save waits for the lock.
SQLITE_OPTIONS = {
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    "transaction_mode": "IMMEDIATE",
    "timeout": env_int("SQLITE_TIMEOUT", 20),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {**SQLITE_OPTIONS, **DATABASES["default"].get("OPTIONS", {})}
    VAR_DIR.mkdir(parents=True, exist_ok=True)
# PostgreSQL, set per connection through libpq's `options` (no extra round trip; a
# DATABASE_URL's own `?options=` comes after ours, so an operator can still override them):
# - No JIT compilation. The planner turns it on by cost, and for this app's short queries
#   compiling costs more than it saves: the "agreed" list spent 27.7 of its 36.5 ms
#   compiling (issue 19).
# - join_collapse_limit and from_collapse_limit 10 instead of 8. A select_related() of a pair
#   (match, program, both participants, both users) is 7 tables; filtered by
#   `match__in=<the user's pairs>` the query has 10, and above 8 the planner keeps the
#   subquery's join order apart: it hashed every action item or meeting with both users
#   before keeping the member's few. Measured on the 1x bench data (PostgreSQL 15, min of
#   5-7 EXPLAIN ANALYZE each, on a loaded machine): of the 539 queries of the 61 benched
#   pages only 4 plan differently, all faster: action items on the mentor's home 97 -> 12
#   ms, the mentee's home 34 -> 2 ms, the calendar feed's meetings 195 -> 11 ms, the
#   coordinator's home 12 -> 3 ms; planning those 4 takes 1-2 ms more, planning all 539
#   the same within noise (345 -> 351 ms in total). Every query plans the same at 10, 12 and
#   16; at 10 the planner stays exhaustive (GEQO starts at 12 tables).
# - random_page_cost 1.1 instead of 4: an index lookup costed as a page read from a spinning
#   disk made the planner scan every meeting to count one program's session records
#   (retention preview: 41 -> 29 times its floor). The data of a local fits in memory, where
#   a random read costs about what a sequential one does. Over all 61 benched pages (1x
#   data, PostgreSQL 15, back to back on a busy machine) the sum of page/floor ratios went
#   1,418 -> 1,381.
# Left as Django's defaults, measured on the same data: no prepared statements (psycopg's
# `prepare_threshold` stays None, binding on the client): after five runs PostgreSQL
# switches a prepared statement to a generic plan, which ran the dashboard's pair-state
# query in 273 ms against 122 ms planned for its parameters (the "now" timestamp), and all
# pages' queries in 4,244 ms against 3,730; server-side binding alone saved nothing. Health
# checks (CONN_HEALTH_CHECKS) cost one `SELECT 1` round trip per request, 0.2-0.3 ms on the
# loaded machine, and a new connection 25 ms, so CONN_MAX_AGE=60 reconnects a busy gunicorn
# worker about once a minute: both well under 1 % of a page.
PG_OPTIONS = (
    "-c jit=off -c join_collapse_limit=10 -c from_collapse_limit=10 -c random_page_cost=1.1"
)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = " ".join(filter(None, (PG_OPTIONS, options.get("options", ""))))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, broker, tasks -----------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
# Seconds to wait for Redis (connect, then each reply) before treating it as down: pages use
# the database cache meanwhile (core/cache.py) and a task that cannot be queued says so.
REDIS_TIMEOUT = float(os.environ.get("REDIS_TIMEOUT") or 1)
# The database cache: on its own without Redis (allauth's rate limits need a shared cache),
# and where the cache goes while Redis is down. `manage.py createcachetable` makes its table.
DATABASE_CACHE = {
    "BACKEND": "django.core.cache.backends.db.DatabaseCache",
    "LOCATION": "django_cache",
}


def redis_caches(url: str, timeout: float, retry_seconds: float = 5) -> dict:
    """Redis first, the database cache while Redis is down (core/cache.py)."""
    return {
        "default": {
            "BACKEND": "core.cache.FallbackCache",
            "OPTIONS": {"PRIMARY": "redis", "FALLBACK": "database", "RETRY_SECONDS": retry_seconds},
        },
        "redis": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            # No retries: a failed call goes to the database cache at once.
            "OPTIONS": {
                "socket_connect_timeout": timeout,
                "socket_timeout": timeout,
                "retry": Retry(NoBackoff(), 0),
            },
        },
        "database": DATABASE_CACHE,
    }


CACHES = redis_caches(REDIS_URL, REDIS_TIMEOUT) if REDIS_URL else {"default": DATABASE_CACHE}

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
# Without a broker, tasks run in-process so `make run` needs nothing else installed.
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = os.environ.get("TIME_ZONE", "UTC")
# Redis down: queueing a task fails within REDIS_TIMEOUT instead of retrying for ~20 s (the
# caller says so or records it; see printing/tasks.py), and results are not waited for.
CELERY_BROKER_CONNECTION_TIMEOUT = REDIS_TIMEOUT
# The worker and beat wait for Redis as long as it is down (Celery's default gives up after
# 100 tries, about 50 minutes, and the process exits), then carry on with what is queued.
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
CELERY_TASK_PUBLISH_RETRY = False
# A reply may take longer than a connection: a worker's BRPOP waits a second for work by
# design, so replies get 5 s (a publish to a Redis that hangs waits no longer than that).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": REDIS_TIMEOUT,
    "socket_timeout": max(5.0, REDIS_TIMEOUT),
}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = REDIS_TIMEOUT
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"retry_policy": {"max_retries": 0}}

# --- Auth and accounts ----------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["name*", "email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupForm"
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
# In the recipient's language: lazy, so each e-mail reads it under its own language
# (core/mail.py renders every e-mail with translation.override).
EMAIL_SUBJECT_PREFIX = format_lazy("{} ", _("[Mentorship]"))
ACCOUNT_EMAIL_SUBJECT_PREFIX = EMAIL_SUBJECT_PREFIX
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_RATE_LIMITS_ENABLED = env_bool("RATE_LIMITS_ENABLED", True)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = os.environ.get("MFA_TOTP_ISSUER", "Union Mentorship")
# Coordinators and superusers set up an authenticator app before their pages open
# (accounts/mfa.py). `make run` turns it off for the demo; `check --deploy` warns when off.
REQUIRE_COORDINATOR_MFA = env_bool("REQUIRE_COORDINATOR_MFA", True)
# A password change keeps this session and ends every other one (the session auth hash).
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False

# Sessions end after this long without a request (accounts.middleware.SessionIdleMiddleware),
# and after SESSION_MAX_AGE_DAYS whatever happens.
SESSION_IDLE_COORDINATOR_MINUTES = env_int("SESSION_IDLE_COORDINATOR_MINUTES", 30)
SESSION_IDLE_MEMBER_DAYS = env_int("SESSION_IDLE_MEMBER_DAYS", 14)
SESSION_MAX_AGE_DAYS = env_int("SESSION_MAX_AGE_DAYS", 30)
SESSION_COOKIE_AGE = SESSION_MAX_AGE_DAYS * 24 * 60 * 60

# --- E-mail -----------------------------------------------------------------------
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "mentorship@localhost")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
_email_host = os.environ.get("EMAIL_HOST", "")
if _email_host:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": _email_host,
                "port": env_int("EMAIL_PORT", 587),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", True),
                "use_ssl": env_bool("EMAIL_USE_SSL", False),
                "timeout": env_int("EMAIL_TIMEOUT", 20),
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}

# --- Internationalisation -----------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True
# Dates and times in each language's one style (mentorship/formats/<language>/formats.py);
# templates use the named formats only, and core/dates.py adds what Django's formats cannot
# write (the French "1er").
FORMAT_MODULE_PATH = ["mentorship.formats"]

# --- Static files ----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
if "STATIC_ROOT" not in os.environ:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns on a missing root
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Files answered at the site's root, above every other middleware: /favicon.ico, which
# browsers and crawlers ask for whatever the page says (the pages link static/favicon.svg).
WHITENOISE_ROOT = BASE_DIR / "static" / "root"


def root_file_headers(headers, path: str, url: str) -> None:
    """The root files change with a release at most: browsers keep them a day."""
    if url == "/favicon.ico":
        headers["Cache-Control"] = "max-age=86400, public"


WHITENOISE_ADD_HEADERS_FUNCTION = root_file_headers

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Program evaluations ---------------------------------------------------------------------
# Coordinators see evaluation results only for groups of at least this many (never below 3).
# The dashboard's year of meetings per month is cached this long (0: never cached).
DASHBOARD_CHART_SECONDS = env_int("DASHBOARD_CHART_SECONDS", 300)
EVALUATION_MIN_GROUP = env_int("EVALUATION_MIN_GROUP", 5)

# --- Security ------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    # Behind a proxy (nginx, a PaaS router) that terminates TLS and sets this header.
    if env_bool("BEHIND_TLS_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Content Security Policy, the same in development and production: scripts, styles, fonts and
# images from this site only; no inline script or style (a template that truly needs one
# gives it {{ csp_nonce }}). `data:` images: Bootstrap's CSS draws its icons (the menu
# button, select arrows, check marks) as data: SVGs, and allauth's authenticator set-up
# shows its QR code as one. See mentorship/tests/test_csp.py.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
if not DEBUG:
    # __Host- cookies: the browser accepts them only over HTTPS, for Path=/ and without a
    # Domain, so no other host or path can set or shadow them (the paths default to /).
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
# Behind proxies: the client's address for allauth's rate limits (log-in: 30 a minute per
# address). 0 trusts no X-Forwarded-For, which anyone can write; N trusts the Nth address
# from the right (N proxies you run). A header such as X-Real-IP, set by your proxy, wins.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = os.environ.get("TRUSTED_CLIENT_IP_HEADER") or None
# /healthz is probed over plain HTTP from inside the host by load balancers.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # WeasyPrint narrates every step of every PDF at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
DEFAULT_PAPER_SIZE = os.environ.get("DEFAULT_PAPER_SIZE", "letter")

# Beat: find what is due every few minutes (scans are idempotent; see reminders/services.py).
CELERY_BEAT_SCHEDULE = {
    "scan-reminders": {
        "task": "reminders.scan",
        "schedule": env_int("REMINDER_SCAN_SECONDS", 300),
    }
}
# Alumni follow-ups 12 and 24 months after a program closes (evaluation/services.py): daily.
CELERY_BEAT_SCHEDULE["alumni-followups"] = {"task": "reminders.alumni_followups", "schedule": 86400}

# --- E-mail outbox (core/outbox.py) --------------------------------------------------------
# Every e-mail is a row written with the change; the worker sends it. A failed attempt is
# retried after OUTBOX_RETRY_SECONDS, then twice as long each time, OUTBOX_MAX_ATTEMPTS in
# all; the sweep queues what is due every OUTBOX_SWEEP_SECONDS (mail written while the
# broker was down, retries, a worker killed while sending).
OUTBOX_MAX_ATTEMPTS = env_int("OUTBOX_MAX_ATTEMPTS", 8)
OUTBOX_RETRY_SECONDS = env_int("OUTBOX_RETRY_SECONDS", 60)
OUTBOX_SWEEP_SECONDS = env_int("OUTBOX_SWEEP_SECONDS", 60)
OUTBOX_KEEP_SENT_DAYS = env_int("OUTBOX_KEEP_SENT_DAYS", 7)
OUTBOX_KEEP_FAILED_DAYS = env_int("OUTBOX_KEEP_FAILED_DAYS", 90)
CELERY_BEAT_SCHEDULE["sweep-outbox"] = {
    "task": "core.sweep_outbox",
    "schedule": OUTBOX_SWEEP_SECONDS,
}
CELERY_BEAT_SCHEDULE["purge-outbox"] = {"task": "core.purge_outbox", "schedule": 3600}

# --- Retention (dashboard/retention.py) -----------------------------------------------------
# The free text and demographics of a closed program are emptied RETENTION_MONTHS after it
# ends; the purge runs daily and is idempotent.
RETENTION_MONTHS = env_int("RETENTION_MONTHS", 24)
CELERY_BEAT_SCHEDULE["purge-expired"] = {"task": "dashboard.purge_expired", "schedule": 86400}

# --- Stored funnel steps (programs/funnel.py) -----------------------------------------------
# The services keep each participant's funnel columns right; this recompute is the safety
# net for writes that bypass them (a member deleted in the admin): it logs what it corrects.
CELERY_BEAT_SCHEDULE["recompute-funnel"] = {
    "task": "dashboard.recompute_funnel",
    "schedule": env_int("FUNNEL_RECOMPUTE_SECONDS", 3600),
}
