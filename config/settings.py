"""Klynge's one settings module, driven by the environment.

Every value that differs between a laptop, CI and production is read from an environment
variable; the defaults give a working local install (SQLite in WAL mode under var/) with no
configuration at all. See docs/operations.md for the production values.
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("KLYNGE_VAR_DIR", BASE_DIR / "var"))
(VAR_DIR / "static").mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("KLYNGE_DEBUG", True)
SECRET_KEY = os.environ.get("KLYNGE_SECRET_KEY", "klynge-insecure-development-key-change-me")
ALLOWED_HOSTS = env_list("KLYNGE_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("KLYNGE_CSRF_TRUSTED_ORIGINS", "")

# Real public data used by the demo, tests and benchmarks; never copied into the repository.
KLYNGE_DATA_DIR = Path(os.environ.get("KLYNGE_DATA_DIR", BASE_DIR.parent / "shared" / "data"))
KLYNGE_CLUSTER_NAME = os.environ.get("KLYNGE_CLUSTER_NAME", "DigitalLead")
# The cluster's own CVR number: its own organisation record never counts as "another
# cluster" for KPI 2.
KLYNGE_CLUSTER_CVR = os.environ.get("KLYNGE_CLUSTER_CVR", "")
# The address people reach Klynge at, for links in e-mails sent without a request (survey
# waves, reminders); requests use their own host.
KLYNGE_BASE_URL = os.environ.get("KLYNGE_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
# Evaluations: days a survey stays open, and days before a reminder to those who did not answer.
KLYNGE_SURVEY_OPEN_DAYS = int(os.environ.get("KLYNGE_SURVEY_OPEN_DAYS", "30"))
KLYNGE_SURVEY_REMINDER_DAYS = int(os.environ.get("KLYNGE_SURVEY_REMINDER_DAYS", "7"))
# Roles that must use two-factor authentication before they can use the product.
KLYNGE_MFA_REQUIRED_ROLES = env_list("KLYNGE_MFA_REQUIRED_ROLES", "administrator,management")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
    "django_filters",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "klynge.core",
    "klynge.ecosystem",
    "klynge.funding",
    "klynge.activities",
    "klynge.evaluations",
    "klynge.outreach",
    "klynge.projects",
    "klynge.matchmaking",
    "klynge.brokerage",
    "klynge.kpis",
    "klynge.reports",
    "klynge.privacy",
    "klynge.portal",
    "klynge.api",
    "klynge.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "klynge.core.locale_middleware.DefaultLanguageMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "klynge.core.middleware.MfaRequiredMiddleware",
    "klynge.core.middleware.AccessMiddleware",
    "klynge.core.middleware.PublicRateLimitMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "klynge" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "klynge.core.context_processors.klynge",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'klynge.sqlite3'}", conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while the import worker writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "core:home"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"

# allauth: e-mail and password, no usernames, no public sign-up (people are invited).
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_ADAPTER = "klynge.core.auth.KlyngeAccountAdapter"
ACCOUNT_LOGOUT_ON_GET = False
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Klynge"

# django-axes: lock an account+address pair after repeated failures.
AXES_FAILURE_LIMIT = int(os.environ.get("KLYNGE_AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# allauth authenticates with email=..., which is the credential axes must lock on.
AXES_USERNAME_FORM_FIELD = "email"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env_bool("KLYNGE_AXES_ENABLED", True)
# Security: who the visitor is behind the reverse proxies (klynge.core.ratelimit.client_ip),
# and a lockout page that explains itself.
AXES_CLIENT_IP_CALLABLE = "klynge.core.ratelimit.client_ip"
AXES_LOCKOUT_CALLABLE = "klynge.core.ratelimit.lockout_response"

LANGUAGE_CODE = "da"
# Pages are Danish until the person picks English in the header; set to 1 to follow the
# browser's language instead.
KLYNGE_LANGUAGE_FROM_BROWSER = env_bool("KLYNGE_LANGUAGE_FROM_BROWSER", False)
LANGUAGES = [("da", _("Danish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "klynge" / "locale"]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20000

EMAIL_BACKEND = os.environ.get(
    "KLYNGE_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("KLYNGE_FROM_EMAIL", "klynge@localhost")

# Background jobs: the database backend and its worker (`klynge db_worker`); tests run them
# immediately. KLYNGE_TASKS_IMMEDIATE=1 runs every job inside the request.
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend"
        if env_bool("KLYNGE_TASKS_IMMEDIATE", False)
        else "django_tasks_db.DatabaseBackend"
    }
}

# --- Security (docs/operations.md, "Security") -------------------------------------------------
# Production runs with KLYNGE_DEBUG=0 behind an HTTPS reverse proxy; `klynge check --deploy
# --fail-level WARNING` passes with the environment documented there (tests/security/).
# The development key is public: refuse to run without DEBUG on it (a weak key of one's own
# is reported by the deploy check).
if not DEBUG and SECRET_KEY.startswith("klynge-insecure"):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        "Set KLYNGE_SECRET_KEY to a random value of 50 or more characters when KLYNGE_DEBUG=0 "
        "(python -c 'import secrets; print(secrets.token_urlsafe(64))')."
    )
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("KLYNGE_SECURE_COOKIES", not DEBUG)
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = int(os.environ.get("KLYNGE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("KLYNGE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
# Preloading is a promise to browsers that is slow to take back: opt in explicitly.
SECURE_HSTS_PRELOAD = env_bool("KLYNGE_HSTS_PRELOAD", False)
SECURE_SSL_REDIRECT = env_bool("KLYNGE_SSL_REDIRECT", False)
# The reverse proxy terminates TLS and must set (overwrite) X-Forwarded-Proto; set
# KLYNGE_PROXY_SSL_HEADER=0 when Klynge is reached without such a proxy.
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("KLYNGE_PROXY_SSL_HEADER", True) else None
)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# The number of reverse proxies in front of Klynge that append to X-Forwarded-For (0: none,
# the client's address is REMOTE_ADDR). Login locks, public-form limits and API throttles
# identify visitors by it; too high a number lets a client forge its address.
KLYNGE_PROXY_COUNT = int(os.environ.get("KLYNGE_PROXY_COUNT", "0"))
# Anonymous POSTs to public forms and requests to token links: this many per page and
# address per window (seconds), then 429 (klynge.core.ratelimit).
KLYNGE_PUBLIC_RATE_LIMIT = int(os.environ.get("KLYNGE_PUBLIC_RATE_LIMIT", "20"))
KLYNGE_PUBLIC_RATE_WINDOW = int(os.environ.get("KLYNGE_PUBLIC_RATE_WINDOW", "600"))

# Content-Security-Policy (django-csp 4): scripts and styles only from files this server
# serves; no inline code. Views that cannot do without (the API's Swagger UI and ReDoc) relax
# it on that view only, with csp_update and a nonce. KLYNGE_CSP_REPORT_ONLY=1 sends the policy
# as report-only, to try a change in production without breaking pages.
_CSP_DIRECTIVES = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
}
if env_bool("KLYNGE_CSP_REPORT_ONLY", False):
    CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": _CSP_DIRECTIVES}
else:
    CONTENT_SECURITY_POLICY = {"DIRECTIVES": _CSP_DIRECTIVES}

# The REST API (/api/v1/): session or per-user token, the same role declarations as the pages
# (klynge.core.api.DeclaredAccess), 4xx JSON errors for everything a caller can get wrong.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["klynge.core.api.DeclaredAccess"],
    "DEFAULT_PAGINATION_CLASS": "klynge.core.api.Pagination",
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "klynge.core.api_schema.AutoSchema",
    "EXCEPTION_HANDLER": "klynge.core.api_errors.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("KLYNGE_API_ANON_RATE", "60/minute"),
        "user": os.environ.get("KLYNGE_API_USER_RATE", "6000/minute"),
    },
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # JSON only: `?format=` chooses no renderer (it is an activity filter).
    "URL_FORMAT_OVERRIDE": None,
}
# Security: the API's anonymous throttle counts per client address behind the proxies.
REST_FRAMEWORK["NUM_PROXIES"] = KLYNGE_PROXY_COUNT  # 0: REMOTE_ADDR; None would trust any XFF
SPECTACULAR_SETTINGS = {
    "TITLE": "Klynge API",
    "DESCRIPTION": "The REST API of Klynge, the operating system for innovation clusters.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # One name per choice set wherever a field of that name recurs (no hashed names).
    "ENUM_NAME_OVERRIDES": {
        "OrganisationKindEnum": "klynge.ecosystem.choices.OrganisationKind",
        "MembershipStatusEnum": "klynge.ecosystem.choices.MembershipStatus",
        "ProjectKindEnum": "klynge.projects.choices.ProjectKind",
        "ProjectStatusEnum": "klynge.projects.choices.ProjectStatus",
        "PartnerRoleEnum": "klynge.projects.choices.PartnerRole",
        "OutcomeKindEnum": "klynge.projects.choices.OutcomeKind",
        "ActivityStatusEnum": "klynge.activities.choices.ActivityStatus",
        "ParticipationRoleEnum": "klynge.activities.choices.ParticipationRole",
        "IntroductionResponseEnum": "klynge.matchmaking.choices.Response",
        "KpiEnum": "klynge.kpis.choices.Kpi",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("KLYNGE_LOG_LEVEL", "WARNING")},
}
