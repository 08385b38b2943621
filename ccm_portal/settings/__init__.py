"""Settings read from the environment.

With nothing set, the defaults run a local portal: SQLite, Celery tasks executed
in-process and e-mail written to ``var/mail``. Production adds its hardening in
``ccm_portal.settings.production``.
"""

from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF

from .files import file_storages

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key-change-me")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
# Every e-mail names the portal and the office that sends it; the Sites row follows SITE_NAME and SITE_URL.
SITE_NAME = env.str("SITE_NAME", default="CCM Portal")
SITE_OFFICE = env.str("SITE_OFFICE", default="Office for Disarmament Affairs")

INSTALLED_APPS = [
    # Before the admin, so that its translated fields and admin classes are in place when the admin loads.
    "modeltranslation",
    "ccm_portal.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "csp",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "import_export",
    "treaties",
    "meetings",
    "correspondence",
    "registration",
    "obligations",
    "demo",  # the load_demo command
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Outermost but for security, so that every response below it gets the policy, a 413 or a 403 too.
    "csp.middleware.CSPMiddleware",
    "common.limits.RequestBodyLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "ccm_portal.mfa.RequireTwoFactorForStaffMiddleware",
    # Last: serves the pages people reopen all day as they were, until the data changes (after every check above).
    "ccm_portal.kept_pages.KeptPagesMiddleware",
]

# Content-Security-Policy on every page (django-csp; Django 5.2 has none of its own). A script that
# reaches a page, e.g. from a note's body, cannot run: only the portal's own files are loaded, no inline
# script, event-handler attribute, javascript: URL or style attribute is obeyed. A page that needs a
# script of its own gives it {{ request.csp_nonce }}; the nonce is only sent when a page used it.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF, NONCE],
        # No 'unsafe-inline': the portal's, the admin's and allauth's pages carry no style attribute.
        "style-src": [SELF],
        # data: for images only: a note's emblem is inlined (the preview shows what the PDF prints) and
        # allauth draws the TOTP QR code as a data: SVG. An image cannot run script.
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        # The credentials PDF on the review screen; that view alone may be framed (frame-ancestors 'self').
        "frame-src": [SELF],
        "frame-ancestors": [NONE],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
    },
}

ROOT_URLCONF = "ccm_portal.urls"
WSGI_APPLICATION = "ccm_portal.wsgi.application"
SITE_ID = 1

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                # LANGUAGE_CODE and LANGUAGE_BIDI: every page's <html lang dir> and the language switcher.
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite, as on a newcomer's laptop, should behave like PostgreSQL when two people save at
    # once: a transaction takes the write lock when it begins (so a read-then-write cannot be
    # overtaken and fail with "database is locked"), a second writer waits up to 20 s instead of
    # failing, and WAL lets readers go on while someone writes.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    # Tests get a file, not the shared in-memory database: that one locks whole tables and ignores
    # the timeout, so threads saving at once failed with "database table is locked".
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
    # A fresh clone has no var/ until `make setup`; `pytest` alone must still find where to put its file.
    VAR_DIR.mkdir(exist_ok=True)
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # Permissions read once per change of the data, not on every request (first: the others reuse them).
    "common.roles.CachedPermissionsBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

# allauth: login by e-mail, and an address must be verified before it is trusted.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
# Sign-up also asks the person's name and ministry or mission.
ACCOUNT_SIGNUP_FORM_CLASS = "ccm_portal.accounts.SignupForm"
ACCOUNT_USER_DISPLAY = "ccm_portal.accounts.user_display"
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
# Confirming the address signs the user in, so an invitation link followed before sign-up
# carries on without a second log-in.
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_USER_MODEL_USERNAME_FIELD = "username"
ACCOUNT_RATE_LIMITS = {
    # allauth's defaults, stated so that nobody turns them off by accident.
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
}
# Behind a reverse proxy every request comes from the proxy's address: without this, ten wrong
# passwords from anyone would lock everyone out. Set it to the number of proxies that append to
# X-Forwarded-For (1 behind one nginx or load balancer); 0 trusts no header (direct connections).
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_ADAPTER = "ccm_portal.accounts.AccountAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "CCM Portal"
LOGIN_REDIRECT_URL = "/register/"

LANGUAGE_CODE = "en"
# The six official languages of the United Nations, each named in itself (as a switcher shows them).
# Chinese is "zh-hans" for the interface (Django's and allauth's catalogues use that code); documents
# keep the two-letter content codes of common.languages.Language ("zh"): see common.languages.
LANGUAGES = [
    ("en", "English"),
    ("fr", "Français"),
    ("es", "Español"),
    ("ar", "العربية"),
    ("ru", "Русский"),
    ("zh-hans", "中文"),
]
# Translated fields (django-modeltranslation): one column per interface language, name_fr, name_zh_hans, ...
# English stands in wherever a translation is missing, so no page or letter shows an empty name.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
# Catalogues: templates/ in locale/, the kernel and the top layer in their own; each app has its own.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "common" / "locale", BASE_DIR / "ccm_portal" / "locale"]
# The switcher's choice, kept a year; a signed-in person's choice is also kept in their profile and put
# back in this cookie when they sign in (ccm_portal.accounts), so no request reads the profile for it.
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
LANGUAGE_COOKIE_SAMESITE = "Lax"
# Geneva time (Zurich is the IANA name of the same zone).
TIME_ZONE = "Europe/Zurich"
USE_I18N = True
# Dates in the UN's form ("3 December 2026") instead of Django's American English defaults.
FORMAT_MODULE_PATH = ["ccm_portal.formats"]
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
# On this host's disk, or in an S3-compatible bucket when AWS_STORAGE_BUCKET_NAME is set (settings/files.py).
STORAGES = file_storages(env, staticfiles_backend="django.contrib.staticfiles.storage.StaticFilesStorage")

# Uploaded PDFs (meeting documents, credentials). Checked by content, not by name.
PDF_UPLOAD_MAX_BYTES = env.int("PDF_UPLOAD_MAX_BYTES", default=20 * 1024 * 1024)
# What an uploaded PDF may expand to when opened (its compressed streams, all together).
PDF_MAX_EXPANDED_BYTES = env.int("PDF_MAX_EXPANDED_BYTES", default=200 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# No request body is larger than one PDF and its form: refused with 413 before it is read.
REQUEST_BODY_MAX_BYTES = env.int("REQUEST_BODY_MAX_BYTES", default=PDF_UPLOAD_MAX_BYTES + 5 * 1024 * 1024)
# django-import-export lets anyone who reaches the admin import unless told which permission it takes:
# importing writes rows, so it needs "add" (common.roles); exporting needs "view".
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"

# E-mail: an SMTP URL in production (smtp://user:pass@host:port), a local folder otherwise.
EMAIL_URL = env.str("EMAIL_URL", default="")
if EMAIL_URL:
    vars().update(env.email_url("EMAIL_URL"))
    if EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend":  # noqa: F821 (set just above)
        # The same SMTP backend, telling whether a failed send reached the server (README, "Delivery guarantee").
        EMAIL_BACKEND = "correspondence.mail.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
# A mail server that stops answering must not hold a worker past its time limit.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="CCM Portal <no-reply@ccm-portal.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: with no REDIS_URL, tasks run in-process so a laptop needs no broker.
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE

CELERY_BEAT_SCHEDULE = {
    # Reminders are idempotent (one per obligation and stage), so beat may fire as often as it likes.
    "article7-reminders": {"task": "obligations.task_send_reminders", "schedule": 60 * 60 * 6},
    # The outbox (note copies and every other e-mail) left waiting while the broker was down, or
    # abandoned by a worker that crashed; each is still sent at most once.
    "correspondence-stale-outbox": {"task": "correspondence.task_dispatch_stale", "schedule": 60 * 5},
}

if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    # Every signed-in request reads its session: from Redis, written through to the database. Only with a
    # cache every process shares: with one per process, a session ended in one would live on in the others.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Figures that are costly to compute (the dashboard, reports, staff permissions) are cached under the
# version of the data that every write moves on (common/data_version.py). That version must be
# shared by every process that writes, so it needs Redis; a process-local cache would let one worker
# serve figures another has changed.
CACHE_FIGURES = env.bool("CACHE_FIGURES", default=bool(REDIS_URL))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # WeasyPrint and fontTools narrate every rendering step at INFO.
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Correspondence: a worker's claim on an outbox row older than this is taken as a crash.
# It must exceed the dispatch tasks' hard time limits (120 s for one copy, 240 s for a batch).
CORRESPONDENCE_CLAIM_SECONDS = env.int("CORRESPONDENCE_CLAIM_SECONDS", default=300)
# Copies handed to a worker per task. Each copy keeps its own row, claim and status; a batch
# shares the task, one query for the rows and one SMTP session (see README, "Benchmark").
CORRESPONDENCE_DISPATCH_BATCH = env.int("CORRESPONDENCE_DISPATCH_BATCH", default=30)
# The wait after a mail server's first refusal for now (4xx); it doubles after each further one.
CORRESPONDENCE_RETRY_SECONDS = env.int("CORRESPONDENCE_RETRY_SECONDS", default=30)
MESSAGE_ID_DOMAIN = env.str("MESSAGE_ID_DOMAIN", default="ccm-portal.localhost")

# Files no URL may reach (credentials letters); served only by permission-checked views. On disk unless
# the files are in a bucket (STORAGES["private"]).
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=VAR_DIR / "private")
REGISTRATION_INVITATION_DAYS = env.int("REGISTRATION_INVITATION_DAYS", default=60)
# Celery's Django fixup closes the database connection around every task unless told to
# reuse it: a new PostgreSQL backend per note was the dispatch's biggest overhead. A reused
# connection the server has closed is replaced before the next task (ccm_portal.celery).
CELERY_DB_REUSE_MAX = env.int("CELERY_DB_REUSE_MAX", default=200)
