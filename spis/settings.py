"""The one settings module. Everything comes from the environment (`SPIS_*`, `DATABASE_URL`).

Every setting read here is listed in docs/settings.md; tests/test_docs.py fails when one is missing.
Helpers fail loudly on bad values so that a typo in production is an error, not a silent default.
"""

import os
import re
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def _env(name: str, default: str = "") -> str:
    """Read NAME, or the contents of the file named by NAME_FILE (for secrets)."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        return Path(file_name).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def _env_bool(name: str, default: bool) -> bool:
    raw = _env(name, "1" if default else "0").strip().lower()
    if raw in {"1", "true", "yes", "on"}:
        return True
    if raw in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r}: expected a boolean (1/0, true/false, yes/no, on/off)")


def _env_int(name: str, default: int) -> int:
    raw = _env(name, str(default))
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r}: expected an integer") from None


def _env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in _env(name, default).split(",") if item.strip()]


DEBUG = _env_bool("SPIS_DEBUG", False)
SECRET_KEY = _env("SPIS_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG and _env_bool("SPIS_PRODUCTION", False):
        raise ImproperlyConfigured("SPIS_SECRET_KEY must be set when SPIS_PRODUCTION=1")
    # A development key: never valid in production (SPIS_PRODUCTION=1 refuses to start without one).
    SECRET_KEY = "spis-insecure-development-key-do-not-use-in-production"  # noqa: S105

PRODUCTION = _env_bool("SPIS_PRODUCTION", False)
ALLOWED_HOSTS = _env_list("SPIS_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = _env_list("SPIS_CSRF_TRUSTED_ORIGINS", "")
SITE_NAME = _env("SPIS_SITE_NAME", "spis")
VAR_DIR = Path(_env("SPIS_VAR_DIR", str(BASE_DIR / "var")))
DATA_DIR = BASE_DIR / "data"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "spis.registry",
    "spis.access",
    "spis.intake",
    "spis.stats",
    "spis.campaigns",
    "spis.outreach",
    "spis.api",
    "spis.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "spis.web.middleware.RejectNulBytesMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "spis.access.middleware.RequireTwoFactorMiddleware",
    "spis.web.middleware.SecurityHeadersMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "spis.urls"
WSGI_APPLICATION = "spis.wsgi.application"

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
                "spis.web.context.site",
            ],
        },
    }
]

# SQLite by default (embedded, WAL); PostgreSQL with DATABASE_URL=postgres://...
_default_db = f"sqlite:///{VAR_DIR / 'spis.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(_env("DATABASE_URL", _default_db), conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Kept open between requests: opening one (and its PRAGMAs) cost more than serving a cached page. A
    # restore (spis/registry/backup.py) writes through SQLite's backup API into the same file, which open
    # connections see.
    DATABASES["default"]["CONN_MAX_AGE"] = 600
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers (the site) run while a writer (an import) works; busy timeout instead of
        # "database is locked" errors under concurrent requests.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = _env_int("SPIS_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = _env_int("SPIS_LOGIN_COOLOFF_MINUTES", 30) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_ENABLED = _env_bool("SPIS_LOGIN_THROTTLING", True)

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("be", "Беларуская"), ("ru", "Русский")]
# Belarusian number and date formats (Django ships none): spis/formats/be/formats.py.
FORMAT_MODULE_PATH = ["spis.formats"]
LOCALE_PATHS = [BASE_DIR / "spis" / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# WhiteNoise serves from here after `collectstatic`; an empty folder keeps it quiet in development.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = VAR_DIR / "media"
# The open-data download, one file per format and registry version (spis/intake/published.py).
OPEN_DATA_DIR = VAR_DIR / "open-data"
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

LOGIN_URL = "/account/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"
# TOTP two-factor authentication is required for editors and admins on staff pages (access/middleware.py).
SPIS_REQUIRE_2FA = _env_bool("SPIS_REQUIRE_2FA", True)
OTP_TOTP_ISSUER = SITE_NAME

# Security: secure cookies and HSTS in production; frame denial and a strict referrer policy always.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SESSION_COOKIE_AGE = _env_int("SPIS_SESSION_SECONDS", 8 * 3600)
SECURE_SSL_REDIRECT = PRODUCTION and _env_bool("SPIS_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if PRODUCTION else None
SECURE_HSTS_SECONDS = 31536000 if PRODUCTION else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.AnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": _env("SPIS_API_ANON_RATE", "120/minute")},
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "spis API",
    "DESCRIPTION": "The public registry of political prisoners: people, events, facilities, statistics, matching.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The docs' scripts from this site (drf-spectacular-sidecar), never a CDN: a third party would see who
    # reads the API of a registry of political prisoners.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Links between list and detail operations, which schemathesis follows (spis/api/schema_links.py); the
    # enum hook is drf-spectacular's default and stays first.
    # A partial date's precision is one enum wherever it is given (an event's date, a person's derived dates).
    "ENUM_NAME_OVERRIDES": {"DatePrecisionEnum": "spis.registry.dates.PRECISIONS"},
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "spis.api.schema_links.add_links",
    ],
}

CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # Whole public pages for anonymous visitors (spis/access/pagecache.py), per process, at most ~50 MB.
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "pages",
        "OPTIONS": {"MAX_ENTRIES": 1000},
    },
    # Upload previews' dry runs (spis/intake/views.py, PREVIEWS), per process: a few, for ten minutes; a
    # 5,000-row list's is 1.6 MB (pickled), a 100,000-row one's about 33 MB.
    "previews": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "previews",
        "TIMEOUT": 600,
        "OPTIONS": {"MAX_ENTRIES": 8},
    },
}

# Small-cell suppression: a breakdown cell below this count is shown as "<N" (DESIGN.md, confidentiality).
SPIS_SUPPRESSION_THRESHOLD = _env_int("SPIS_SUPPRESSION_THRESHOLD", 5)
# Public id prefix: `BY-000123`; ids are never reused. Up to five capital letters: with the dash and up to ten
# digits (registry.actions.LAST_PUBLIC_ID_NUMBER) an id fills Person.public_id's sixteen characters at most.
SPIS_PUBLIC_ID_PREFIX = _env("SPIS_PUBLIC_ID_PREFIX", "BY")
if not re.fullmatch(r"[A-Z]{1,5}", SPIS_PUBLIC_ID_PREFIX):
    raise ImproperlyConfigured(
        f"SPIS_PUBLIC_ID_PREFIX={SPIS_PUBLIC_ID_PREFIX!r}: "
        "expected one to five capital letters A-Z, such as BY"
    )

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": _env("SPIS_LOG_LEVEL", "WARNING")},
}
