"""Production settings: everything comes from the environment, secrets have no default.

`dev.py` (what `manage.py` and `make demo` use) and `test.py` are short overlays on this file.
Every variable is listed in `.env.example`.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

SECRET_KEY = env("DJANGO_SECRET_KEY")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env("SITE_URL", default="https://ess.bordeaux-metropole.fr")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    # The TemplatesSetting form renderer finds Django's own form templates through this app.
    "django.forms",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "axes",
    "simple_history",
    "ess_portal.jobs",
    "accounts",
    "actors",
    "filieres",
    "funding",
    "procurement",
    "quadripartite",
    "programme",
    "scic",
    "fonciere",
    "events",
    "home",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "ess_portal.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Records who made each change kept in the history tables.
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, so that it sees the authentication result of every login attempt.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ess_portal.urls"
WSGI_APPLICATION = "ess_portal.wsgi.application"

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
                "ess_portal.context_processors.navigation",
            ],
            "libraries": {"formatting": "ess_portal.templatetags.formatting"},
        },
    },
]
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's JIT compiles the plans of queries estimated as costly; for the short queries of web pages over
    # large tables it costs more than it saves (buyer directory at 200,000 listings: p95 238 → 171 ms).
    # The default random_page_cost (4) models spinning disks; with the data in memory or on SSD, 1.1 (the usual
    # setting) lets the planner prefer index lookups from the rare side of a search, e.g. the few SIAE of a
    # reserved-contract filter rather than the 40,000 listings matching a word (65 → 20 ms).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off -c random_page_cost=1.1")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # django-axes must come first: it refuses locked-out attempts before any password check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Length, not composition (ANSSI / CNIL recommendation for passwords without MFA: 12 characters).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24

# Login rate limiting: 5 failures for one username from one IP, then 30 minutes of cool-off.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The login forms post the e-mail as "username"; axes would otherwise look for USERNAME_FIELD ("email").
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
# Keep one row per failed login (who, IP, browser, when) for audit, readable in the admin.
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_IPWARE_PROXY_COUNT = env.int("AXES_PROXY_COUNT", default=1)
AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded and generated files live outside static and are only served by views that check permission.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
_email = env.email_url("EMAIL_URL", default="smtp://localhost:25")
EMAIL_HOST = _email["EMAIL_HOST"]
EMAIL_PORT = _email["EMAIL_PORT"]
EMAIL_HOST_USER = _email["EMAIL_HOST_USER"]
EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"]
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Portail ESS Bordeaux Métropole <ess@bordeaux-metropole.fr>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security baseline (`manage.py check --deploy --fail-level WARNING` passes with these).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=True)
CSRF_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=True)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 8
X_FRAME_OPTIONS = "DENY"

# Map tiles: any XYZ tile server; its origin is allowed by the CSP.
MAP_TILE_URL = env("MAP_TILE_URL", default="https://{s}.tile.openstreetmap.fr/osmfr/{z}/{x}/{y}.png")
MAP_TILE_ATTRIBUTION = env("MAP_TILE_ATTRIBUTION", default="© les contributeurs d'OpenStreetMap")
MAP_TILE_ORIGIN = env("MAP_TILE_ORIGIN", default="https://*.tile.openstreetmap.fr")

# Geocoding of actors' addresses: the national address API (BAN, Géoplateforme) behind `actors.geocoding`.
GEOCODER_CLASS = env("GEOCODER_CLASS", default="actors.geocoding.BanGeocoder")
GEOCODER_URL = env("GEOCODER_URL", default="https://data.geopf.fr/geocodage/search")
GEOCODER_TIMEOUT = env.float("GEOCODER_TIMEOUT", default=5.0)

# Actor exports and imports: above these sizes they run as background jobs.
ACTOR_EXPORT_INLINE_MAX_ROWS = env.int("ACTOR_EXPORT_INLINE_MAX_ROWS", default=20_000)
ACTOR_IMPORT_INLINE_MAX_ROWS = env.int("ACTOR_IMPORT_INLINE_MAX_ROWS", default=1000)
ACTOR_IMPORT_MAX_FILE_SIZE = env.int("ACTOR_IMPORT_MAX_FILE_SIZE", default=20 * 1024 * 1024)
ACTOR_IMPORT_GEOCODE = env.bool("ACTOR_IMPORT_GEOCODE", default=True)
ASR_EXPORT_INLINE_MAX_ROWS = env.int("ASR_EXPORT_INLINE_MAX_ROWS", default=20_000)
PLIE_EXPORT_INLINE_MAX_ROWS = env.int("PLIE_EXPORT_INLINE_MAX_ROWS", default=20_000)

# Who receives the quarterly and annual indicator reports (a link to the report page): these addresses,
# comma-separated, or by default the active users with the elected role.
INDICATOR_REPORT_RECIPIENTS = env.list("INDICATOR_REPORT_RECIPIENTS", default=[])

# The granting authority in the SCDL "subventions" open-data file (nomAttribuant, idAttribuant): Bordeaux Métropole,
# SIREN 243 300 316 (head office SIRET, Luhn-valid; override with the SIRET of the budget's legal entity if needed).
AUTHORITY_NAME = env("AUTHORITY_NAME", default="Bordeaux Métropole")
AUTHORITY_SIRET = env("AUTHORITY_SIRET", default="24330031600011")

# Content-Security-Policy without inline scripts: scripts come from our origin or carry the nonce.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:", MAP_TILE_ORIGIN],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "API du portail ESS de Bordeaux Métropole",
    "DESCRIPTION": "Données de référence et données du programme ESS 2022–2026.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "IndicatorKindEnum": "programme.enums.IndicatorKind",
        "JobStatusEnum": "ess_portal.jobs.enums.JobStatus",
        "JobKindEnum": "ess_portal.jobs.enums.JobKind",
    },
}

# Celery: the Job row in the database is the truth; these settings make sure no work is lost
# when a worker dies (late acks + reject on worker lost, one message at a time).
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="redis://127.0.0.1:6379/0")
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=30 * 60)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=35 * 60)
# Above the longest task, or Redis would hand a still-running task to a second worker.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=2 * 60 * 60),
    "socket_connect_timeout": 2,
}
# Publishing must fail fast when Redis is down: the Job row stays queued and the sweeper publishes it later.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_DEFAULT_QUEUE", default="default")
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "sweep-jobs": {"task": "jobs.sweep_jobs", "schedule": 60.0},
    "expire-asr-listings": {"task": "procurement.expire_listings", "schedule": crontab(hour=3, minute=15)},
    "remind-asr-renewals": {"task": "procurement.remind_listing_renewals", "schedule": crontab(hour=9, minute=0)},
    "refresh-indicators": {"task": "programme.refresh_indicators", "schedule": crontab(hour=2, minute=30)},
    "produce-periodic-reports": {"task": "programme.produce_periodic_reports", "schedule": crontab(hour=4, minute=0)},
}
# Each job kind names its queue in ess_portal.jobs.registry ("default" or "reports"); `dispatch_job` routes it.
# A running job whose heartbeat is older than this is taken over (its worker died).
JOBS_HEARTBEAT_TIMEOUT = env.int("JOBS_HEARTBEAT_TIMEOUT", default=10 * 60)
# A queued job not picked up after this long is published again (Redis was down or lost it).
JOBS_REDISPATCH_AFTER = env.int("JOBS_REDISPATCH_AFTER", default=5 * 60)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "axes": {"level": "INFO"},
    },
}
