"""Tiltas settings. Production differs from development only by environment variables.

TILTAS_ENV=production switches on the strict mode: HTTPS-only cookies, HSTS, no demo accounts, a
secret key from the environment. Everything else has a safe embedded default (SQLite under var/).
"""

import os
import tempfile
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from tiltas.config.environment import (
    PROJECT_ROOT,
    env_bool,
    env_list,
    env_str,
    read_or_create_secret,
    secret_key_problem,
    var_dir,
)

VAR_DIR = var_dir()
PRODUCTION = env_str("TILTAS_ENV", "development") == "production"
DEBUG = env_bool("TILTAS_DEBUG", default=False) and not PRODUCTION

if PRODUCTION:
    # Production never invents its own key: a missing or placeholder key stops every command at
    # once, naming the variable to set.
    SECRET_KEY = env_str("TILTAS_SECRET_KEY")
    if _problem := secret_key_problem(SECRET_KEY):
        raise ImproperlyConfigured(f"Tiltas refuses to start in production: {_problem}")
else:
    SECRET_KEY = env_str("TILTAS_SECRET_KEY") or read_or_create_secret(VAR_DIR / "secret_key")
SECRET_KEY_FALLBACKS = env_list("TILTAS_SECRET_KEY_FALLBACKS", [])

# Data-encryption keys (AES-256-GCM) and the blind-index key: a JSON key ring kept outside the
# database. Generated under var/ on first run in development; in production point to a file
# mounted from the key vault.
DATA_KEYRING_FILE = env_str("TILTAS_DATA_KEYRING_FILE", str(VAR_DIR / "data-keyring.json"))
# The organisations' key for privacy-preserving linkage (keyed encodings of the identities of
# organisations that do not share them; linkage/pprl_keys.py): never in the database.
# Generated under var/ on first use in development; production refuses to run without it.
PPRL_KEY_FILE = env_str("TILTAS_PPRL_KEY_FILE", str(VAR_DIR / "pprl.key"))
# The audit chain head is checkpointed outside the audit table, so a cut tail is detected.
AUDIT_CHECKPOINT_FILE = env_str("TILTAS_AUDIT_CHECKPOINT_FILE", str(VAR_DIR / "audit-head.json"))

ALLOWED_HOSTS = env_list("TILTAS_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("TILTAS_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
    "tiltas.core",
    "tiltas.reference",
    "tiltas.accounts",
    "tiltas.audit",
    "tiltas.jobs",
    "tiltas.people",
    "tiltas.exchange",
    "tiltas.demo",
    "tiltas.linkage",
    "tiltas.estimation",
    "tiltas.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "tiltas.accounts.middleware.SessionExpiryMiddleware",
    "tiltas.accounts.middleware.SecondFactorRequiredMiddleware",
    "tiltas.core.middleware.NoStoreForAuthenticatedMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tiltas.config.urls"
WSGI_APPLICATION = "tiltas.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'tiltas.sqlite3'}",
        conn_max_age=int(env_str("TILTAS_DB_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL, foreign keys and IMMEDIATE transactions keep the embedded database safe under concurrent
    # writers (RL-07): a writer waits for the lock instead of failing half-way.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;"
        ),
    }
    # A file (threads and the live test server must share it), one per test process so that
    # parallel runs never share a test database.
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"tiltas-test-{os.getpid()}.sqlite3")
    }
elif PRODUCTION:
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault(
        "sslmode", env_str("TILTAS_DB_SSLMODE", "verify-full")
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 15},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "tiltas.accounts.passwords.MaximumLengthValidator"},
    {"NAME": "tiltas.accounts.passwords.ContextWordsValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Brute-force throttling (AN-04): ten failures per (username, address) in 15 minutes lock that
# pair only, so an attacker elsewhere cannot lock a caseworker out of their own device.
AXES_FAILURE_LIMIT = 10
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "tiltas.accounts.views.locked_out"
AXES_VERBOSE = False

# Sessions (SE-02): 15 minutes idle, 12 hours absolute; enforced by SessionExpiryMiddleware.
SESSION_IDLE_TIMEOUT = timedelta(minutes=15)
SESSION_ABSOLUTE_TIMEOUT = timedelta(hours=12)
SESSION_COOKIE_AGE = int(SESSION_ABSOLUTE_TIMEOUT.total_seconds())
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
OTP_TOTP_ISSUER = "Tiltas"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("lt", _("Lithuanian"))]
LOCALE_PATHS = [PROJECT_ROOT / "tiltas" / "locale"]
TIME_ZONE = env_str("TILTAS_TIME_ZONE", "Europe/Vilnius")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("TILTAS_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31_536_000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "tiltas.accounts.api_auth.ApiTokenAuthentication",
        "tiltas.accounts.api_auth.VerifiedSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Tiltas API",
    "DESCRIPTION": "National referral mechanism and data hub. Missing and forbidden records both "
    "answer 404. Person search is a POST so that names never appear in URLs.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # The documentation page loads Swagger UI from our own static files (closed network, CSP).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "tiltas.config.api_schema.postprocess_document_auth_failures",
    ],
    "ENUM_NAME_OVERRIDES": {
        "VictimStatusEnum": "tiltas.people.models.VictimStatus",
        "SexEnum": "tiltas.people.models.Sex",
        "JobStatusEnum": "tiltas.jobs.models.JobStatus",
        # Estimation and linkage runs share these statuses (queued, running, done, failed).
        "RunStatusEnum": "tiltas.linkage.models.RunStatus",
    },
}

# Background jobs: in-process by default (no extra server); production sets TILTAS_TASK_BACKEND to
# the database-backed queue and runs `tiltas db_worker`. See docs/decisions/0002-background-jobs.md.
TASKS = {
    "default": {
        "BACKEND": env_str(
            "TILTAS_TASK_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"
        )
    }
}

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    }
}
if env_str("TILTAS_REDIS_URL"):
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": env_str("TILTAS_REDIS_URL"),
    }

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("TILTAS_LOG_LEVEL", "WARNING")},
}

# Silenced deploy checks, each with its reason (CF-01).
SILENCED_SYSTEM_CHECKS: list[str] = []
