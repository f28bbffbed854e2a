"""Settings for Wijkportaal.

Every difference between a developer's machine, CI and production is an environment variable
(documented in .env.example). The embedded defaults run the portal on SQLite with tasks in
process, so that one command starts it on a fresh machine.
"""

from __future__ import annotations

import ipaddress
import re
from pathlib import Path
from urllib.parse import urlsplit

import drf_spectacular_sidecar
import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)

SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "Set DJANGO_SECRET_KEY (or DJANGO_DEBUG=true on a developer's machine)."
        )
    SECRET_KEY = "development-only-not-secret"  # noqa: S105

# The Tilburg demo (portal/demo, `manage.py load_tilburg`): on a developer's machine (DEBUG,
# as with `make run`) every demo person signs in with this one known password, and the
# sign-in page lists one demo account per role. Without DEBUG there is no such password.
DEMO_PASSWORD = "wijkportaal-demo" if DEBUG else ""  # noqa: S105

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "wijkportaal.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # The templates of the sitemap (portal/sitemaps.py).
    "django.contrib.sitemaps",
    # PostgreSQL's text search and trigram lookups of the search (web/search.py); on SQLite
    # the search falls back to plain substrings.
    "django.contrib.postgres",
    "django.forms",
    "django_htmx",
    "csp",
    "template_partials",
    "leaflet",
    "rules.apps.AutodiscoverRulesConfig",
    "accounts",
    "areas",
    "pacts",
    "agendas",
    "participation",
    "meetings",
    "followup",
    "portal",
    # The read API under /api/ (api/, docs/api.md).
    "rest_framework",
    "drf_spectacular",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy on every answer (CONTENT_SECURITY_POLICY below).
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Anonymous visitors' pages from the cache (web/pagecache.py): before the session
    # middleware, so that a stored page is answered before anything reads a session.
    "web.pagecache.PageCacheMiddleware",
    # Gzip for anonymous answers without a CSRF token only (BREACH); below whitenoise, whose
    # static files are compressed ahead, and above everything that writes the body.
    "wijkportaal.middleware.AnonymousGZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language the visitor chose with the switch, else Dutch (web/languages.py).
    "web.languages.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "wijkportaal.urls"
WSGI_APPLICATION = "wijkportaal.wsgi.application"

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
                "wijkportaal.context_processors.portal",
                "accounts.context_processors.notifications",
                # The demo accounts for the sign-in page; adds nothing without DEBUG.
                "portal.demo.context_processors.demo_accounts",
            ],
            "libraries": {"portal": "wijkportaal.templatetags.portal"},
        },
    },
]
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
# Seconds a connection is kept for the next request. A new PostgreSQL connection per request
# costs a third or more of a page's throughput (a new backend also plans every query on cold
# catalogue caches), so a server database keeps its connections 60 s by default; the embedded
# SQLite file opens in microseconds and keeps 0 (closed after each request). A kept connection
# is checked before it is reused, so a database restart costs no request an error.
DATABASES["default"]["CONN_MAX_AGE"] = env.int(
    "WIJKPORTAAL_DB_CONN_MAX_AGE",
    default=0 if DATABASES["default"]["ENGINE"].endswith("sqlite3") else 60,
)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
# Seconds to wait for Redis as the Celery broker to connect or answer: a Redis that hangs must
# cost the queueing of a task this long, not for ever.
WIJKPORTAAL_REDIS_TIMEOUT = env.float("WIJKPORTAAL_REDIS_TIMEOUT", default=2.0)
# Seconds to wait for Redis as the cache, to connect and to answer: with Redis down or hung a
# request must not hang with it. The sign-in throttle then counts in the database.
WIJKPORTAAL_CACHE_TIMEOUT = env.float("WIJKPORTAAL_CACHE_TIMEOUT", default=0.5)
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # Passed to redis-py's connection pool.
            "OPTIONS": {
                "socket_timeout": WIJKPORTAAL_CACHE_TIMEOUT,
                "socket_connect_timeout": WIJKPORTAAL_CACHE_TIMEOUT,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The page cache for anonymous visitors (web/pagecache.py, docs/architecture.md), in the cache
# above: Redis in production, shared by every web process; the local-memory cache of the
# embedded default belongs to one process, so several web processes need REDIS_URL (a
# deployment check says so). A stored page lives at most WIJKPORTAAL_PAGE_CACHE_SECONDS; every
# change anonymous visitors can see ends it at once, this bounds only what changes with the
# clock alone (a meeting that has begun, a comment period that closed).
WIJKPORTAAL_PAGE_CACHE = env.bool("WIJKPORTAAL_PAGE_CACHE", default=True)
WIJKPORTAAL_PAGE_CACHE_SECONDS = env.int("WIJKPORTAAL_PAGE_CACHE_SECONDS", default=60)

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "accounts.backends.FunctionalAdminBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:workspace"
LOGOUT_REDIRECT_URL = "portal:home"
# Where a signed-in person keeps their name, wijk and e-mail address: the page is the portal's
# (it asks for the wijk), the e-mail and deletion views that return to it are accounts'.
WIJKPORTAAL_MY_ACCOUNT_URL = "portal:my-account"
# Where a resident creates an account (the portal's page: it asks for the wijk too); the
# proposal page links to it for those who may react once signed up.
WIJKPORTAAL_SIGN_UP_URL = "portal:sign-up"

LANGUAGE_CODE = "nl"
# Dutch, and English for whoever chooses it with the switch on every page (web/languages.py):
# the messages in the code are English, so English needs no catalogue of its own.
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
SWAGGER_UI_DIST = (
    Path(drf_spectacular_sidecar.__file__).parent / "static/drf_spectacular_sidecar/swagger-ui-dist"
)
# Where `collectstatic` puts the files (and their manifest) that whitenoise serves.
STATIC_ROOT = env.path("WIJKPORTAAL_STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Swagger UI for /api/docs/, from the drf-spectacular-sidecar package: only its
    # swagger-ui-dist folder (the package's Redoc names a source map it lacks, which stops
    # collectstatic), served as our own static files under the CSP.
    ("vendor/swagger-ui", SWAGGER_UI_DIST),
]
# Static files: `collectstatic` gives each file a name with a hash of its contents and writes
# a gzip and a Brotli copy beside it; whitenoise serves the copy the browser accepts, and
# hashed files with `Cache-Control: max-age=315360000, public, immutable`, as a new version
# has a new name. This is the default for every deployment, not only the image, so without
# DEBUG `collectstatic` must have run (the image runs it; docs/operations.md). With DEBUG the
# pages name the files without hash and whitenoise serves them from the source folders.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env.str(
            "WIJKPORTAAL_STATICFILES_STORAGE",
            default="whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}
MEDIA_ROOT = env.path("WIJKPORTAAL_MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "media/"

# HTTPS. Each switch is off by default, so that `make run` and the tests work over plain
# http://127.0.0.1; the production configuration (docker-compose.yml, the values shown in
# .env.example) turns them on. `manage.py check --deploy` is clean with those values
# (docs/operations.md, "Deployment checks").
SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# Redirect every http request to https (SecurityMiddleware).
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=False)
# But not the health check, which container health checks and load balancers call over plain
# http inside the network (deploy/healthcheck.py); it answers a fixed "ok" and sets no cookie.
SECURE_REDIRECT_EXEMPT = [r"^status/$"]
# Strict-Transport-Security: seconds a browser keeps to https only; 0 sends no header.
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=False)
SECURE_CONTENT_TYPE_NOSNIFF = True
# Behind a TLS-terminating proxy: DJANGO_SECURE_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO. Set
# it only behind a proxy that always sets (or strips) that header: anyone reaching the portal
# directly could otherwise send it and pass for https.
if _proxy_header := env.str("DJANGO_SECURE_PROXY_SSL_HEADER", default=""):
    SECURE_PROXY_SSL_HEADER = (_proxy_header, "https")
SILENCED_SYSTEM_CHECKS = [
    # SECURE_HSTS_PRELOAD: the browsers' preload list takes registrable domains only
    # (gemeente.nl, not wijkportaal.gemeente.nl), so asking for it is the domain owner's
    # decision, not the portal's; DJANGO_SECURE_HSTS_PRELOAD=true sends the directive.
    "security.W021",
]
X_FRAME_OPTIONS = "DENY"
# A refused form gets the portal's page (Django's own has an inline style, refused by the CSP).
CSRF_FAILURE_VIEW = "wijkportaal.views.csrf_failure"

# Mail: console by default; in production e.g. DJANGO_EMAIL_URL=smtp+tls://user:pass@host:587
_email = env.email_url("DJANGO_EMAIL_URL", default="consolemail://")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST") or "localhost"
EMAIL_PORT = _email.get("EMAIL_PORT") or 25
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER") or ""
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD") or ""
EMAIL_USE_TLS = bool(_email.get("EMAIL_USE_TLS"))
EMAIL_USE_SSL = bool(_email.get("EMAIL_USE_SSL"))
# Seconds to wait for the SMTP server to connect or answer (Django's default is for ever).
EMAIL_TIMEOUT = env.float("DJANGO_EMAIL_TIMEOUT", default=10.0)
DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default="wijkportaal@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("WIJKPORTAAL_LOG_LEVEL", default="INFO")},
}

# Celery. Without a broker the tasks run in process (the embedded default).
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "memory://")
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env.bool(
    "WIJKPORTAAL_TASKS_EAGER", default=CELERY_BROKER_URL.startswith("memory://")
)
if not CELERY_TASK_ALWAYS_EAGER and CELERY_BROKER_URL.startswith("memory://"):
    raise ImproperlyConfigured(
        "Tasks are not eager but there is no broker: set REDIS_URL or CELERY_BROKER_URL."
    )
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TIMEZONE = TIME_ZONE
# With the broker down or hung a web request must not hang or fail on queueing a task:
# connect and answer within WIJKPORTAAL_REDIS_TIMEOUT, retry a publish twice, then give up
# (wijkportaal.celery logs it; the sweeps queue the work again once the broker is back).
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_TIMEOUT = WIJKPORTAAL_REDIS_TIMEOUT
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_timeout": WIJKPORTAAL_REDIS_TIMEOUT,
    "socket_connect_timeout": WIJKPORTAAL_REDIS_TIMEOUT,
}
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    # Every minute: the outbox sends what is due and held by nobody: mails whose send task
    # was lost (broker down) and retries after a failed attempt (accounts/outbox.py).
    "outbox": {
        "task": "accounts.send_outbox",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    # Every hour at five past: the reminders counted in hours (proposal comment period
    # closing within 48 hours, advice deadline within 5 days, meeting within 48 hours).
    "reminders-hourly": {
        "task": "followup.sweep_reminders",
        "schedule": crontab(minute=5),
        "kwargs": {"names": ["proposal_closing", "advice_deadline", "meeting_soon"]},
    },
    # Every day at 07:00: the reminders counted in days (actions due, overdue or stalled,
    # undecided proposals, unanswered advice, wijkagenda review dates, initiatives waiting
    # for an answer longer than WIJKPORTAAL_INITIATIVE_RESPONSE_DAYS).
    "reminders-daily": {
        "task": "followup.sweep_reminders",
        "schedule": crontab(minute=0, hour=7),
        "kwargs": {
            "names": [
                "action_due_soon",
                "action_overdue",
                "action_stalled",
                "proposal_undecided",
                "advice_unanswered",
                "agenda_review",
                "initiative_waiting",
            ]
        },
    },
    # Every night at 03:30: the open-data downloads anew (api/tasks.py), with their progress
    # on /open-data/.
    "open-data-nightly": {
        "task": "api.build_open_data",
        "schedule": crontab(minute=30, hour=3),
    },
    # Every day at 07:00: a daily digest of notifications for each user with news.
    "digests-daily": {
        "task": "accounts.queue_digests",
        "schedule": crontab(minute=0, hour=7),
        "kwargs": {"frequency": "daily"},
    },
    # Every Monday at 07:00: a weekly digest of notifications for each user with news.
    "digests-weekly": {
        "task": "accounts.queue_digests",
        "schedule": crontab(minute=0, hour=7, day_of_week="mon"),
        "kwargs": {"frequency": "weekly"},
    },
    # On the 1st of every month at 06:00: last month's progress report for each
    # gebiedsteam; the team is notified (and e-mailed) a link when it is ready.
    "reports-monthly": {
        "task": "followup.queue_monthly_reports",
        "schedule": crontab(minute=0, hour=6, day_of_month=1),
    },
    # Every hour at half past: reports whose message or worker was lost are queued again
    # or marked failed, so that no status page waits for ever.
    "reports-reclaim": {
        "task": "followup.reclaim_stale_reports",
        "schedule": crontab(minute=30),
    },
    # Every night, at a quiet hour and apart from each other: the retention jobs delete, in
    # batches, expired sessions, old read notifications and old sent reminders
    # (WIJKPORTAAL_KEEP_*_DAYS).
    "prune-sessions": {
        "task": "accounts.prune_expired_sessions",
        "schedule": crontab(minute=10, hour=3),
    },
    "prune-notifications": {
        "task": "accounts.prune_read_notifications",
        "schedule": crontab(minute=20, hour=3),
    },
    "prune-mails": {
        "task": "accounts.prune_sent_mails",
        "schedule": crontab(minute=30, hour=3),
    },
    "prune-reminders": {
        "task": "followup.prune_sent_reminders",
        "schedule": crontab(minute=40, hour=3),
    },
    # Every night at 03:50: resident accounts never confirmed, a week after signing up.
    "prune-unconfirmed-residents": {
        "task": "accounts.prune_unconfirmed_residents",
        "schedule": crontab(minute=50, hour=3),
    },
}

# Wijkportaal's own settings.
WIJKPORTAAL_MUNICIPALITY_NAME = env.str("WIJKPORTAAL_MUNICIPALITY_NAME", default="Tilburg")
WIJKPORTAAL_MUNICIPALITY_CODE = env.str("WIJKPORTAAL_MUNICIPALITY_CODE", default="GM0855")
WIJKPORTAAL_CBS_YEAR = env.int("WIJKPORTAAL_CBS_YEAR", default=2024)
WIJKPORTAAL_PDOK_WFS_URL = env.str(
    "WIJKPORTAAL_PDOK_WFS_URL",
    default="https://service.pdok.nl/cbs/wijkenbuurten/{year}/wfs/v1_0",
)
WIJKPORTAAL_PDOK_TIMEOUT = env.float("WIJKPORTAAL_PDOK_TIMEOUT", default=20.0)
# PDOK Locatieserver (address search): the base URL, below which /free, /suggest and /lookup
# live. A URL that still ends in /free (the old form of this setting) is read as its base.
WIJKPORTAAL_LOCATIESERVER_URL = (
    env.str(
        "WIJKPORTAAL_LOCATIESERVER_URL",
        default="https://api.pdok.nl/bzk/locatieserver/search/v3_1",
    )
    .rstrip("/")
    .removesuffix("/free")
)
# Seconds to wait for an answer: a resident is waiting for the page.
WIJKPORTAAL_LOCATIESERVER_TIMEOUT = env.float("WIJKPORTAAL_LOCATIESERVER_TIMEOUT", default=5.0)
# How long an answer is kept in the cache (addresses rarely change): one day.
WIJKPORTAAL_LOCATIESERVER_CACHE_SECONDS = env.int(
    "WIJKPORTAAL_LOCATIESERVER_CACHE_SECONDS", default=24 * 60 * 60
)
# Basemap tiles; empty means no basemap (the polygons alone), as in the tests.
WIJKPORTAAL_BASEMAP_URL = env.str(
    "WIJKPORTAAL_BASEMAP_URL",
    default="https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/grijs/EPSG:3857/{z}/{x}/{y}.png",
)
WIJKPORTAAL_BASEMAP_ATTRIBUTION = env.str(
    "WIJKPORTAAL_BASEMAP_ATTRIBUTION",
    default='Kaartgegevens &copy; <a href="https://www.kadaster.nl">Kadaster</a> / PDOK',
)
WIJKPORTAAL_PAGE_SIZE = env.int("WIJKPORTAAL_PAGE_SIZE", default=20)
# An action without a progress update for this many weeks counts as stalled (the reporting
# cycle of the partners).
WIJKPORTAAL_STALLED_WEEKS = env.int("WIJKPORTAAL_STALLED_WEEKS", default=6)
# Absolute links in e-mail (scheme and host, no trailing slash).
WIJKPORTAAL_BASE_URL = env.str("WIJKPORTAAL_BASE_URL", default="http://127.0.0.1:8000").rstrip("/")
# A reminder queued or claimed this many minutes ago and still not sent is queued again by
# the next sweep: its message or its worker was lost. Longer than CELERY_TASK_TIME_LIMIT.
WIJKPORTAAL_REMINDER_RETRY_MINUTES = env.int("WIJKPORTAAL_REMINDER_RETRY_MINUTES", default=15)
# The e-mail outbox (accounts/outbox.py): a mail that could not be sent is tried again after
# 1, 2, 4 … minutes (at most WIJKPORTAAL_MAIL_RETRY_MAX_MINUTES apart) until this many hours
# after it was made, then it has failed for good. A claim older than
# WIJKPORTAAL_MAIL_CLAIM_SECONDS belongs to a dead sender (longer than an SMTP exchange with
# DJANGO_EMAIL_TIMEOUT can take); each sweep sends at most WIJKPORTAAL_MAIL_SWEEP_LIMIT mails.
WIJKPORTAAL_MAIL_RETRY_HOURS = env.float("WIJKPORTAAL_MAIL_RETRY_HOURS", default=48.0)
WIJKPORTAAL_MAIL_RETRY_MAX_MINUTES = env.int("WIJKPORTAAL_MAIL_RETRY_MAX_MINUTES", default=60)
WIJKPORTAAL_MAIL_CLAIM_SECONDS = env.float("WIJKPORTAAL_MAIL_CLAIM_SECONDS", default=120.0)
WIJKPORTAAL_MAIL_SWEEP_LIMIT = env.int("WIJKPORTAAL_MAIL_SWEEP_LIMIT", default=500)
# Retention (the nightly prune jobs): read notifications are deleted this many days after they
# were made (unread ones are kept), sent reminders this many days after they were sent and
# their due moment passed (followup.services.retention says which are kept longer).
WIJKPORTAAL_KEEP_READ_NOTIFICATIONS_DAYS = env.int(
    "WIJKPORTAAL_KEEP_READ_NOTIFICATIONS_DAYS", default=180
)
WIJKPORTAAL_KEEP_SENT_REMINDERS_DAYS = env.int("WIJKPORTAAL_KEEP_SENT_REMINDERS_DAYS", default=365)
# Sent and withdrawn mails of the outbox are deleted this many days after they were made;
# mails that failed for good are kept until the functional administrator deletes them.
WIJKPORTAAL_KEEP_SENT_MAILS_DAYS = env.int("WIJKPORTAAL_KEEP_SENT_MAILS_DAYS", default=30)
for _name in (
    "WIJKPORTAAL_KEEP_READ_NOTIFICATIONS_DAYS",
    "WIJKPORTAAL_KEEP_SENT_REMINDERS_DAYS",
    "WIJKPORTAAL_KEEP_SENT_MAILS_DAYS",
):
    if globals()[_name] < 1:
        raise ImproperlyConfigured(f"{_name} must be at least 1 (day).")
# Where residents report an accessibility problem (shown on /toegankelijkheid/).
WIJKPORTAAL_ACCESSIBILITY_CONTACT = env.str(
    "WIJKPORTAAL_ACCESSIBILITY_CONTACT", default="toegankelijkheid@example.org"
)
# The licence of the open-data downloads (/open-data/): its name and where it is written.
WIJKPORTAAL_OPEN_DATA_LICENSE_NAME = env.str(
    "WIJKPORTAAL_OPEN_DATA_LICENSE_NAME", default="Creative Commons Naamsvermelding 4.0 (CC BY 4.0)"
)
WIJKPORTAAL_OPEN_DATA_LICENSE_URL = env.str(
    "WIJKPORTAAL_OPEN_DATA_LICENSE_URL", default="https://creativecommons.org/licenses/by/4.0/"
)
# Where to report a vulnerability, as /.well-known/security.txt gives it (RFC 9116): a
# mailto: or https: address.
WIJKPORTAAL_SECURITY_CONTACT = env.str(
    "WIJKPORTAAL_SECURITY_CONTACT", default="mailto:security@example.org"
)
if not WIJKPORTAAL_SECURITY_CONTACT.startswith(("mailto:", "https://")):
    raise ImproperlyConfigured(
        "WIJKPORTAAL_SECURITY_CONTACT must be a mailto: or https:// address."
    )

# The reverse proxies in front of the portal (addresses or CIDR ranges, comma-separated). Only
# from these is X-Forwarded-For read for the client's address (web/addresses.py); empty, the
# default, means REMOTE_ADDR is the client.
WIJKPORTAAL_TRUSTED_PROXIES = env.list("WIJKPORTAAL_TRUSTED_PROXIES", default=[])
for _proxy in WIJKPORTAAL_TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy.strip(), strict=False)
    except ValueError as error:
        raise ImproperlyConfigured(f"WIJKPORTAAL_TRUSTED_PROXIES: {error}") from error
# Sign-in throttle (accounts/throttle.py): failed sign-ins within a window that starts at the
# first failure, counted per e-mail address and client address together, and per client
# address alone. Nobody elsewhere can lock an account's owner out.
WIJKPORTAAL_SIGNIN_WINDOW_MINUTES = env.int("WIJKPORTAAL_SIGNIN_WINDOW_MINUTES", default=15)
WIJKPORTAAL_SIGNIN_MAX_FAILURES_PER_ACCOUNT = env.int(
    "WIJKPORTAAL_SIGNIN_MAX_FAILURES_PER_ACCOUNT", default=5
)
WIJKPORTAAL_SIGNIN_MAX_FAILURES_PER_ADDRESS = env.int(
    "WIJKPORTAAL_SIGNIN_MAX_FAILURES_PER_ADDRESS", default=20
)
# Resident accounts (accounts/residents.py): how long the link that confirms an e-mail address
# works, and how many sign-ups and confirmation links one client address may ask for per hour.
WIJKPORTAAL_CONFIRM_EMAIL_HOURS = env.int("WIJKPORTAAL_CONFIRM_EMAIL_HOURS", default=48)
WIJKPORTAAL_SIGNUPS_PER_ADDRESS_PER_HOUR = env.int(
    "WIJKPORTAAL_SIGNUPS_PER_ADDRESS_PER_HOUR", default=10
)
# Residents' initiatives (participation/services/initiatives.py): the gebied's team answers
# within this many days, or is reminded (followup); one client address submits at most this
# many initiatives per hour.
WIJKPORTAAL_INITIATIVE_RESPONSE_DAYS = env.int("WIJKPORTAAL_INITIATIVE_RESPONSE_DAYS", default=14)
WIJKPORTAAL_INITIATIVES_PER_ADDRESS_PER_HOUR = env.int(
    "WIJKPORTAAL_INITIATIVES_PER_ADDRESS_PER_HOUR", default=5
)


def tile_source(url: str) -> list[str]:
    """The CSP source of a tile URL template: its scheme and host, where a Leaflet subdomain
    placeholder ({s}) becomes a wildcard. Empty for an empty URL (no basemap)."""
    if not url:
        return []
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ImproperlyConfigured(f"WIJKPORTAAL_BASEMAP_URL is not an http(s) URL: {url!r}")
    return [f"{parts.scheme}://{parts.netloc.replace('{s}', '*')}"]


# Content-Security-Policy (django-csp 4; docs/operations.md, "Content-Security-Policy"). The
# pages load scripts, styles, fonts and data from the portal itself only: no inline script
# or style, no eval. Images may also be data: URLs (icons in the Utrecht stylesheet) and the
# basemap's tiles, whose host comes from WIJKPORTAAL_BASEMAP_URL. No page may be framed
# (with X_FRAME_OPTIONS for older browsers), forms post to the portal only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *tile_source(WIJKPORTAAL_BASEMAP_URL)],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

LEAFLET_CONFIG = {
    "DEFAULT_CENTER": (51.56, 5.07),
    "DEFAULT_ZOOM": 12,
    "MIN_ZOOM": 9,
    "MAX_ZOOM": 18,
    "RESET_VIEW": False,
    "NO_GLOBALS": True,
    "TILES": (
        [("Achtergrondkaart", WIJKPORTAAL_BASEMAP_URL, WIJKPORTAAL_BASEMAP_ATTRIBUTION)]
        if WIJKPORTAAL_BASEMAP_URL
        else []
    ),
    "ATTRIBUTION_PREFIX": "Leaflet",
    "PLUGINS": {
        "draw": {
            "css": ["leaflet/draw/leaflet.draw.css"],
            "js": ["leaflet/draw/leaflet.draw.js"],
            "auto-include": False,
        }
    },
}

# The read API (api/, docs/api.md): anonymous and read-only, what anonymous visitors may see.
# Each client address (web/addresses.py) may make this many requests per second, minute, hour
# or day ("<number>/<s|m|h|d>"), counted in the cache; more get 429 with Retry-After.
WIJKPORTAAL_API_RATE = env.str("WIJKPORTAAL_API_RATE", default="300/m")
if not re.fullmatch(r"[1-9][0-9]*/[smhd]", WIJKPORTAAL_API_RATE):
    raise ImproperlyConfigured(
        f"WIJKPORTAAL_API_RATE must be <number>/<s|m|h|d>, such as 300/m: {WIJKPORTAAL_API_RATE!r}"
    )
REST_FRAMEWORK = {
    # Nobody signs in to the API: it answers everyone as an anonymous visitor, reads no
    # session (so it sets no cookie and needs no CSRF token) and accepts no writes.
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.ClientAddressThrottle"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_VERSIONING_CLASS": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Wijkportaal API",
    "DESCRIPTION": (
        "The read API of Wijkportaal: gebieden, wijken and buurten, published wijkagendas "
        "with their plans, actions and progress, visions, public proposals with their "
        "decisions, advice, public meetings, published initiatives, organisations, pacts and "
        "alliances. Anonymous and read-only; see docs/api.md."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PUBLIC": True,
    "SERVE_AUTHENTICATION": [],
    "COMPONENT_SPLIT_REQUEST": True,
    # The choices of each model by their own name in the description.
    "ENUM_NAME_OVERRIDES": {
        "PublicationStatusEnum": "agendas.models.Status",
        "ActionStatusEnum": "agendas.models.Action.Status",
        "ProposalStatusEnum": "participation.models.Proposal.Status",
        "InitiativeStatusEnum": "participation.models.Initiative.Status",
        "PactStatusEnum": "pacts.models.Pact.Status",
        "WijkKindEnum": "areas.models.Wijk.Kind",
        "WijkagendaKindEnum": "agendas.models.Wijkagenda.Kind",
        "AgendaItemKindEnum": "agendas.models.AgendaItem.Kind",
        "MeetingKindEnum": "meetings.models.Meeting.Kind",
        "OrganisationKindEnum": "pacts.models.PartnerOrganisation.Kind",
    },
}
