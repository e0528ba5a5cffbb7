"""Django settings for lowdose, read from the environment through small helpers that fail loudly.

Environment:
- ``LOWDOSE_DATA_DIR``: where the SQLite database, the secret key and uploads live
  (default ``~/.local/share/lowdose``).
- ``DATABASE_URL``: a PostgreSQL URL; when unset, SQLite in the data directory.
- ``LOWDOSE_SECRET_KEY``: the secret key; when unset, one is generated on first start and kept
  in the data directory (never a development default).
- ``LOWDOSE_DEBUG``: ``1`` for Django's debug mode (``lowdose serve --dev`` sets it).
- ``LOWDOSE_PUBLIC_URL``: the https URL of a deployment behind TLS; turns on HSTS, secure cookies
  and the SSL redirect, and sets the allowed host.
- ``LOWDOSE_STAFF_2FA``: ``required`` or ``optional``: whether staff confirm log-ins with an
  authenticator code. Always required with ``LOWDOSE_PUBLIC_URL``; optional by default on a
  loopback-only install (the local demo).
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent


def env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be 1 or 0, not {value!r}")


def data_dir() -> Path:
    configured = os.environ.get("LOWDOSE_DATA_DIR")
    path = Path(configured) if configured else Path.home() / ".local" / "share" / "lowdose"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def secret_key(directory: Path) -> str:
    """The configured key, or one generated once and kept (mode 600) in the data directory."""
    configured = os.environ.get("LOWDOSE_SECRET_KEY")
    if configured:
        if len(configured) < 40:
            raise ImproperlyConfigured("LOWDOSE_SECRET_KEY must be at least 40 characters long")
        return configured
    key_file = directory / "secret_key"
    if not key_file.exists():
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(50))
    return key_file.read_text().strip()


def staff_two_factor_required(public_url: str) -> bool:
    """``LOWDOSE_STAFF_2FA``: ``required``, or ``optional`` on a loopback-only install."""
    value = os.environ.get("LOWDOSE_STAFF_2FA", "").lower()
    if value not in {"", "required", "optional"}:
        raise ImproperlyConfigured("LOWDOSE_STAFF_2FA must be 'required' or 'optional'")
    if value == "optional" and public_url:
        raise ImproperlyConfigured("A deployment with LOWDOSE_PUBLIC_URL requires staff two-factor")
    return value == "required" or bool(public_url)


def database(directory: Path) -> dict:
    url = os.environ.get("DATABASE_URL")
    if url:
        if not url.startswith(("postgres://", "postgresql://")):
            raise ImproperlyConfigured("DATABASE_URL must be a postgres:// URL")
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
        # No JIT compilation: the app's queries are short, and PostgreSQL starts compiling once
        # a plan's cost estimate crosses a threshold (the dashboard's sort by effect does at
        # about 12,000 patients), which adds a compile time far longer than the query itself.
        options = config.setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c jit=off".strip()
        return config
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": directory / "lowdose.sqlite3",
        "OPTIONS": {
            # Writers take the lock at BEGIN, so two writers queue on the busy timeout instead of
            # failing mid-transaction with "database is locked".
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            # WAL lets readers work while one writer writes. synchronous=FULL syncs the WAL on every
            # commit: an acknowledged check-in survives a power cut, not only a crashed process.
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
            ),
        },
    }


DATA_DIR = data_dir()
SECRET_KEY = secret_key(DATA_DIR)
DEBUG = env_flag("LOWDOSE_DEBUG")
PUBLIC_URL = os.environ.get("LOWDOSE_PUBLIC_URL", "").rstrip("/")

if PUBLIC_URL:
    _public = urlsplit(PUBLIC_URL)
    if _public.scheme != "https" or not _public.hostname:
        raise ImproperlyConfigured("LOWDOSE_PUBLIC_URL must be an https:// URL")
    ALLOWED_HOSTS = [_public.hostname]
    CSRF_TRUSTED_ORIGINS = [PUBLIC_URL]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
else:
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "lowdose.web.accounts",
    "lowdose.web.courses",
    "lowdose.web.diary",
    "lowdose.web.api",
    "lowdose.web.outcomes",
    "lowdose.web.safety",
    "lowdose.web.pharmacy",
    "lowdose.web.reports",
    "lowdose.web.evaluation",
    "lowdose.web.dashboard",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "lowdose.web.middleware.security_headers",
    "lowdose.web.middleware.refuse_nul",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "lowdose.web.accounts.twofactor.staff_two_factor",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out log-in into its own response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "lowdose.web.urls"
WSGI_APPLICATION = "lowdose.web.wsgi.application"

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
            ],
        },
    },
]

DATABASES = {"default": database(DATA_DIR)}
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
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# After 5 failed log-ins for one username from one address, that pair is locked for 15 minutes
# (product defaults). Locking the pair, not the username alone, keeps an attacker elsewhere from
# locking a patient out of her own diary.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = dt.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "lowdose.web.accounts.lockout.locked_out"
AXES_VERBOSE = False

# Staff (everyone but patients) confirm their log-in with a TOTP code: always on a deployment
# reachable over the network, optionally on a loopback-only install such as the local demo.
STAFF_2FA_REQUIRED = staff_two_factor_required(PUBLIC_URL)
OTP_TOTP_ISSUER = "lowdose"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

SESSION_COOKIE_AGE = 60 * 60 * 8
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
# WhiteNoise serves the app's static files straight from the package: no collectstatic step.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
