"""Accounts, roles granted at a node of the tree (applying to its subtree), and API tokens (C3, C17)."""

import hashlib
import secrets
from datetime import date

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from chibo.organizations.models import Organization


class User(AbstractUser):
    member = models.OneToOneField(
        "members.Member",
        verbose_name=_("đảng viên"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="user",
    )

    class Meta:
        verbose_name = _("tài khoản")
        verbose_name_plural = _("tài khoản")

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class Role(models.TextChoices):
    ADMIN = "admin", _("Quản trị")
    OFFICER = "officer", _("Cán bộ tổ chức (được sửa)")
    # "role" context: the same Vietnamese words are also a button ("Xem": view) and a list title.
    VIEWER = "viewer", pgettext_lazy("role", "Xem")
    CELL_COMMITTEE = "cell_committee", _("Chi ủy (sửa chi bộ mình)")
    MEMBER = "member", pgettext_lazy("role", "Đảng viên")
    SUPERVISOR = "supervisor", _("Cán bộ dự sinh hoạt")


class RoleGrantQuerySet(models.QuerySet["RoleGrant"]):
    def active_on(self, day: date) -> "RoleGrantQuerySet":
        return self.filter(Q(valid_from__lte=day) & (Q(valid_to__isnull=True) | Q(valid_to__gt=day)))


class RoleGrant(models.Model):
    """A role held at a node; it applies to the node and everything under it."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="grants")
    org = models.ForeignKey(Organization, verbose_name=_("tại tổ chức"), on_delete=models.CASCADE)
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices)
    valid_from = models.DateField(_("từ ngày"), default=date(2000, 1, 1))
    valid_to = models.DateField(_("đến trước ngày"), null=True, blank=True)
    granted_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="grants_given")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RoleGrantQuerySet.as_manager()

    class Meta:
        verbose_name = _("phân quyền")
        verbose_name_plural = _("phân quyền")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "org", "role"], condition=Q(valid_to__isnull=True), name="grant_unique_open"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} @ {self.org}"


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 is stored; the token itself is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    label = models.CharField(_("tên"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # Issued after a second factor: an officer's token without one stops working once 2FA is required of them.
    two_factor = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("mã truy cập API")

    def __str__(self) -> str:
        return f"{self.user} ({self.label or self.pk})"

    @staticmethod
    def hash(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @staticmethod
    def generate() -> str:
        return secrets.token_urlsafe(32)
