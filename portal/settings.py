"""Settings, read from the environment (see .env.example for every variable)."""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    env.read_env(str(BASE_DIR / ".env"))

SECRET_KEY = env("DJANGO_SECRET_KEY", default="insecure-development-key-change-me")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_celery_beat",
    "ocpi",
    "ocpi.modules.locations",
    "ocpi.modules.tariffs",
    "ocpi.modules.sessions",
    "ocpi.modules.cdrs",
    "ocpi.modules.tokens",
    "ocpi.modules.commands",
    "ocpi.modules.chargingprofiles",
    "ocpi.modules.hubclientinfo",
    "ocpi.sync",
    "billing",
    "chargepoints",
    "billing.invoices",
    "portal",
    "portal.driver",
    # Login throttling: too many failed logins lock the username and address out for a while.
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "portal.middleware.ContentSecurityPolicyMiddleware",
    # Static files with hashed names and far-future caching, from the application itself.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.middleware.PortalLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "ocpi.transport.middleware.OcpiMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
# OCPI module URLs work with and without a trailing slash; the OCPI urlconf handles both itself.
APPEND_SLASH = False

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
                "django.template.context_processors.i18n",
                "portal.staff.roles.staff_roles",
            ],
        },
    },
]

WSGI_APPLICATION = "portal.wsgi.application"

# Unset DATABASE_URL: an embedded SQLite file, the zero-setup default for `make run`.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Five failed logins for one username from one address lock that pair out for 15 minutes.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "portal/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("de", "Deutsch"), ("nl", "Nederlands"), ("fr", "Français")]
# Our own catalogues (billing documents in en, de, nl, fr) win over those of Django's apps.
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env("DJANGO_STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
# Hashed, compressed copies written by `manage.py collectstatic` (see portal.staticfiles).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "portal.staticfiles.StaticStorage"},
}
# Until collectstatic has run (tests, a fresh checkout) WhiteNoise serves the apps' own files.
WHITENOISE_USE_FINDERS = DEBUG or not (STATIC_ROOT / "staticfiles.json").is_file()

# Behind HTTPS (DJANGO_HTTPS=true): secure cookies, HSTS and a redirect from plain HTTP.
HTTPS = env.bool("DJANGO_HTTPS", default=False)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 31_536_000 if HTTPS else 0
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

# Uploaded and generated files (issued documents' PDFs); served only through views that check
# who asks, never as public media.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")

# Mail (invoices, password resets): printed on the console unless a backend is configured.
EMAIL_BACKEND = env(
    "DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="billing@localhost")
# Where the file backend (`make run`) writes each message, one file per message.
EMAIL_FILE_PATH = env.path("DJANGO_EMAIL_FILE_PATH", default=BASE_DIR / "mail")

LOGIN_URL = "portal:login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "portal:login"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["ocpi.transport.authentication.OcpiTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["ocpi.transport.authentication.IsOcpiPartner"],
    "DEFAULT_RENDERER_CLASSES": ["ocpi.transport.envelope.OcpiRenderer"],
    "DEFAULT_PARSER_CLASSES": ["ocpi.transport.parsers.OcpiJSONParser"],
    "EXCEPTION_HANDLER": "ocpi.transport.exceptions.ocpi_exception_handler",
    "UNAUTHENTICATED_USER": None,
    # OPTIONS is not an OCPI method: it gets the 405 envelope, not a description of the view.
    "DEFAULT_METADATA_CLASS": None,
}

# Celery: without a broker, tasks run eagerly in-process (the zero-setup default).
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
# A task whose worker dies under it (SIGKILL, out of memory) goes back to the queue and runs again:
# our tasks are idempotent (a delivery sent twice is harmless by the object's natural key).
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# Redis hands an unacknowledged message (a worker killed mid-task, or a retry waiting for its
# countdown) to another worker after this long: longer than our longest task (a pull of many
# pages, each up to OCPI_CLIENT_RETRIES+1 calls of OCPI_CLIENT_TIMEOUT) and our longest retry
# countdown (a push's backoff, OCPI_PUSH_BACKOFF_SECONDS * 2**OCPI_PUSH_MAX_ATTEMPTS = 1024 s),
# or a task would run twice at once.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3 * 3600)
}
# A task still running after this is stopped, well before Redis would hand it out again.
CELERY_TASK_TIME_LIMIT = CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] // 2
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Periodic tasks outside the OCPI modules (those are written by `ocpi_schedules`); beat stores
# them in the same table. Invoice runs start when their period is over; looking every hour also
# resumes a run that stopped.
CELERY_BEAT_SCHEDULE = {
    "billing-invoice-runs": {
        "task": "billing.invoices.tasks.invoice_runs_due_task",
        "schedule": 3600,
    },
}

# OCPI
# The public base URL we advertise to partners (versions URL = OCPI_BASE_URL + /ocpi/versions).
OCPI_BASE_URL = env("OCPI_BASE_URL", default="http://127.0.0.1:8000").rstrip("/")
# Our own parties, created by `manage.py demo`: CC-PID:ROLE, comma separated.
OCPI_OWN_PARTIES = env("OCPI_OWN_PARTIES", default="NL-TMC:CPO,NL-TME:EMSP")
# The OCPI versions this instance offers (of those it implements: 2.1.1, 2.2.1).
OCPI_VERSIONS = env.list("OCPI_VERSIONS", default=["2.1.1", "2.2.1", "2.3.0"])
# Key for encrypting the tokens we send to partners; derived from DJANGO_SECRET_KEY when unset.
OCPI_TOKEN_ENCRYPTION_KEY = env("OCPI_TOKEN_ENCRYPTION_KEY", default="")
# The largest page we serve; a partner asking for more gets this many.
OCPI_PAGE_LIMIT_MAX = env.int("OCPI_PAGE_LIMIT_MAX", default=100)
# The largest request body and URL we accept; larger ones are answered 413/414 in an OCPI
# envelope (gunicorn.conf.py lets both through to us).
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("OCPI_MAX_BODY_BYTES", default=5 * 1024 * 1024)
OCPI_MAX_URL_LENGTH = env.int("OCPI_MAX_URL_LENGTH", default=8192)
# Request and response bodies are kept in the traffic log up to this many bytes.
OCPI_TRAFFIC_BODY_LIMIT = env.int("OCPI_TRAFFIC_BODY_LIMIT", default=64 * 1024)
OCPI_TRAFFIC_RETENTION_DAYS = env.int("OCPI_TRAFFIC_RETENTION_DAYS", default=30)
# Outbound calls to partners.
OCPI_CLIENT_TIMEOUT = env.float("OCPI_CLIENT_TIMEOUT", default=15.0)
OCPI_CLIENT_RETRIES = env.int("OCPI_CLIENT_RETRIES", default=3)
# When we rotate a partner's token, its old token keeps working until it uses the new one, at
# most this long (its requests under way, and the time it needs to store the new token).
OCPI_TOKEN_GRACE_SECONDS = env.int("OCPI_TOKEN_GRACE_SECONDS", default=300)
# Synchronisation: seconds between pulls of a module from each partner (overriding the interval
# the module declares), retries of a failed pull, and push deliveries (attempts, backoff base
# seconds: attempt n waits base * 2**n).
OCPI_PULL_INTERVALS = env.dict("OCPI_PULL_INTERVALS", cast={"value": int}, default={})
OCPI_PULL_MAX_RETRIES = env.int("OCPI_PULL_MAX_RETRIES", default=5)
OCPI_PUSH_MAX_ATTEMPTS = env.int("OCPI_PUSH_MAX_ATTEMPTS", default=10)
OCPI_PUSH_BACKOFF_SECONDS = env.float("OCPI_PUSH_BACKOFF_SECONDS", default=1.0)
# The charge point back end that executes commands (dotted path); the default simulates one.
CHARGEPOINT_ADAPTER = env("CHARGEPOINT_ADAPTER", default="chargepoints.simulator.SimulatorAdapter")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    # WeasyPrint logs every rendering step at INFO; its warnings (a missing font) still show.
    "loggers": {"weasyprint": {"level": "WARNING"}},
}
