"""Settings read from the environment; the defaults are production's (DEBUG off).

Production sets SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL. `familybridge demo` turns DEBUG on for its own
process (see `familybridge.cli`), and with it a demo secret key; the test suite uses `familybridge.settings_test`.
"""

import os
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


BASE_DIR = Path(__file__).resolve().parents[2]
VAR_DIR = Path(os.environ.get("FAMILYBRIDGE_VAR_DIR", BASE_DIR / "var"))

DEBUG = env_bool("DEBUG", False)
DEMO_SECRET_KEY = "familybridge-demo-only-secret-key-never-use-in-production-0123456789"  # noqa: S105
SECRET_KEY = os.environ.get("SECRET_KEY", DEMO_SECRET_KEY if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is not set. Production needs a long random SECRET_KEY in the environment "
        "(see docs/tasks/operate.md); `familybridge demo` runs the demo without one."
    )

# Audit log key: seals the audit chain (HMAC-SHA-256). It lives in the environment, never in the
# database. Retired keys (comma-separated) only verify the chain segments they sealed.
DEMO_AUDIT_KEY = "familybridge-demo-only-audit-key-never-use-in-production"
FAMILYBRIDGE_AUDIT_KEY = os.environ.get("FAMILYBRIDGE_AUDIT_KEY", DEMO_AUDIT_KEY if DEBUG else "")
FAMILYBRIDGE_AUDIT_RETIRED_KEYS = env_list("FAMILYBRIDGE_AUDIT_RETIRED_KEYS", "")
if not DEBUG and FAMILYBRIDGE_AUDIT_KEY in ("", DEMO_AUDIT_KEY):
    raise ImproperlyConfigured(
        "FAMILYBRIDGE_AUDIT_KEY must be set when DEBUG is off (generate one with "
        "`python -c 'import secrets; print(secrets.token_hex(32))'`)."
    )
if len(FAMILYBRIDGE_AUDIT_KEY) < 32:
    raise ImproperlyConfigured("FAMILYBRIDGE_AUDIT_KEY must be at least 32 characters long.")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "csp",
    "django_htmx",
    "template_partials",
    "rest_framework",
    "drf_spectacular",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
    "simple_history",
    "familybridge.audit",
    "familybridge.agencies",
    "familybridge.people",
    "familybridge.cases",
    "familybridge.intake",
    "familybridge.referrals",
    "familybridge.screening",
    "familybridge.notes",
    "familybridge.documents",
    "familybridge.messaging",
    "familybridge.courts",
    "familybridge.consent",
    "familybridge.practice",
    "familybridge.outcomes",
    "familybridge.worklists",
    "familybridge.api",
    "familybridge.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "familybridge.web.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "familybridge.agencies.middleware.SecondFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "familybridge.web.middleware.RejectNulBytesMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "familybridge.audit.middleware.AuditContextMiddleware",
    # Each version of a record names who saved it (services also set it, for work outside a request).
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "familybridge.urls"
WSGI_APPLICATION = "familybridge.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "familybridge.web.context_processors.navigation",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'familybridge.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server, the worker and the CLI read while one of them writes.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
    )
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "agencies.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"
# A password reset link works once (Django's token changes with the password) and for one hour.
PASSWORD_RESET_TIMEOUT = 60 * 60

# Lock an account out from one address after five failures in a row, for fifteen minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "web/locked_out.html"

# Idle sessions end after 30 minutes: each request renews the cookie.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_IDLE_SECONDS", str(30 * 60)))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_COOKIES = env_bool("SECURE_COOKIES", not DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
    }
}

OTP_TOTP_ISSUER = "familybridge"

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "familybridge <no-reply@localhost>")

TASKS = {"default": {"BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}

REST_FRAMEWORK = {
    # People only, by session, so the second factor cannot be skipped; no API tokens are issued.
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "familybridge.api.pagination.StrictLimitOffsetPagination",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "familybridge API",
    "DESCRIPTION": "Every read goes through the consent policy decision point.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
}

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("TIME_ZONE", "America/Chicago")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Uploaded documents. Never served from an address of their own: the documents app's download view reads each one
# through the policy point. On the local filesystem under MEDIA_ROOT by default, or in any S3-compatible store.
MEDIA_ROOT = Path(os.environ.get("FAMILYBRIDGE_MEDIA_ROOT", VAR_DIR / "media"))
DOCUMENT_MAX_UPLOAD_BYTES = int(float(os.environ.get("DOCUMENT_MAX_UPLOAD_MB", "10")) * 1024 * 1024)


def document_storage(environ: Mapping[str, str]) -> dict:
    """The storage of uploaded documents: the filesystem, or with DOCUMENT_STORAGE=s3 an S3-compatible bucket
    (django-storages; credentials from boto3's usual environment variables or instance role)."""
    if environ.get("DOCUMENT_STORAGE", "filesystem").strip().lower() != "s3":
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    bucket = environ.get("DOCUMENT_S3_BUCKET", "")
    if not bucket:
        raise ImproperlyConfigured("DOCUMENT_STORAGE=s3 needs DOCUMENT_S3_BUCKET (see docs/tasks/operate.md).")
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": environ.get("DOCUMENT_S3_ENDPOINT_URL") or None,
            "region_name": environ.get("DOCUMENT_S3_REGION") or None,
            "location": environ.get("DOCUMENT_S3_PREFIX", ""),
            # Private objects, never overwritten, read only by the application (no public or signed links are given).
            "default_acl": None,
            "file_overwrite": False,
            "querystring_auth": True,
        },
    }


STORAGES = {
    "default": document_storage(os.environ),
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_tokens": {"()": "familybridge.web.logs.RedactTokensFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["redact_tokens"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    # Django's own loggers write through the same redacting handler, in the demo (DEBUG) as in production.
    "loggers": {
        name: {"handlers": ["console"], "level": "INFO", "propagate": False} for name in ("django", "django.server")
    },
}
