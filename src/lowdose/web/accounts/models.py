"""People, their roles and the clinics they belong to; API tokens; the audit trail."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone


class Role(models.TextChoices):
    PATIENT = "patient", "Patient"
    CLINICIAN = "clinician", "Clinician"
    PHARMACIST = "pharmacist", "Pharmacist"
    RESEARCHER = "researcher", "Researcher"
    ADMIN = "admin", "Administrator"


def validate_timezone(name: str) -> None:
    """Only IANA time-zone names ("Europe/Berlin"): the diary's day depends on it."""
    if not name:
        return
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError(f"'{name}' is not a time zone name such as Europe/London.") from None


class Clinic(models.Model):
    """A clinic owns its patients and its staff."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    timezone = models.CharField(max_length=64, default="UTC", validators=[validate_timezone])
    phone = models.CharField(max_length=40, blank=True, help_text="Shown on opioid-alert cards.")
    address = models.TextField(blank=True, help_text="Shown on letters.")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person who logs in. Every role but admin belongs to exactly one clinic."""

    role = models.CharField(max_length=16, choices=Role.choices, default=Role.PATIENT)
    clinic = models.ForeignKey(
        Clinic, null=True, blank=True, on_delete=models.PROTECT, related_name="members"
    )

    objects = UserManager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role="admin") | models.Q(clinic__isnull=False),
                name="user_has_clinic_unless_admin",
            ),
        ]

    def save(self, *args, **kwargs) -> None:
        # Only administrators reach Django's admin site.
        self.is_staff = self.role == Role.ADMIN
        self.is_superuser = self.role == Role.ADMIN
        super().save(*args, **kwargs)

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

    def is_role(self, *roles: str) -> bool:
        return self.is_active and self.role in roles


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


TOKEN_USE_RESOLUTION = dt.timedelta(minutes=5)


class ApiToken(models.Model):
    """A bearer token for the JSON API. Only its SHA-256 is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"API token of {self.user}"

    @classmethod
    def issue(cls, user: User) -> str:
        raw = secrets.token_urlsafe(32)
        cls.objects.create(user=user, key_hash=_hash_token(raw))
        return raw

    @classmethod
    def user_for(cls, raw: str) -> User | None:
        """The active user a raw token belongs to, noting (at most every few minutes) its use."""
        token = (
            cls.objects.select_related("user")
            .filter(key_hash=_hash_token(raw), user__is_active=True)
            .first()
        )
        if token is None:
            return None
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > TOKEN_USE_RESOLUTION:
            # Not on every request: that would add a write to every read.
            cls.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user


class AuditEvent(models.Model):
    """Who read or wrote which patient's data, when and from where. Never the data itself."""

    class Action(models.TextChoices):
        VIEW = "view"
        CREATE = "create"
        UPDATE = "update"
        DELETE = "delete"
        LOGIN = "login"
        LOGIN_FAILED = "login_failed"

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=16, choices=Action.choices)
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64, blank=True)
    patient_id = models.BigIntegerField(null=True, db_index=True)
    ip = models.GenericIPAddressField(null=True)
    path = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.object_type}"
