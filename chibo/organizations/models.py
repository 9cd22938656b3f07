"""The organization tree (C1): effective-dated, so that past periods are reported on the tree as it was.

`Organization` is the node as it stands today, kept in a materialized-path tree (django-treebeard) so that
"everything under this committee" is one indexed prefix match. `OrgVersion` holds the validity periods of
a node's name, parent and existence; `RestructuringEvent` records every change with its effective date.
Intervals are half-open: a version is valid from `valid_from` (inclusive) to `valid_to` (exclusive).
"""

from datetime import date

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node


class AdministrativeUnit(models.Model):
    """A province, a commune/ward, or (before 1/7/2025) a district-level unit that a node serves."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("Tỉnh/thành phố")
        DISTRICT = "district", _("Huyện/quận/thị xã (trước 2025)")
        WARD = "ward", _("Xã/phường/đặc khu")

    code = models.CharField(_("mã"), max_length=16, unique=True)
    name = models.CharField(_("tên"), max_length=128)
    division_type = models.CharField(_("loại đơn vị"), max_length=64, blank=True)
    level = models.CharField(_("cấp"), max_length=16, choices=Level.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    # Units abolished by the 2025 reform stay for the history of the tree.
    is_current = models.BooleanField(_("còn hiệu lực"), default=True)

    class Meta:
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Organization(MP_Node):
    class Kind(models.TextChoices):
        PROVINCE_COMMITTEE = "province", _("Đảng bộ tỉnh/thành phố")
        DISTRICT_COMMITTEE = "district", _("Đảng bộ huyện/thị xã (trước 2025)")
        GRASSROOTS_COMMITTEE = "grassroots", _("Đảng bộ cơ sở")
        GRASSROOTS_CELL = "grassroots_cell", _("Chi bộ cơ sở")
        CELL = "cell", _("Chi bộ trực thuộc")

    CELL_KINDS = (Kind.GRASSROOTS_CELL, Kind.CELL)

    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices)
    code = models.CharField(_("mã"), max_length=32, unique=True)
    name = models.CharField(_("tên"), max_length=200)
    admin_unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("đơn vị hành chính"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organizations",
    )
    # Ngày sinh hoạt cố định: the day of the month a cell meets; the rule set says how holidays shift it.
    meeting_day = models.PositiveSmallIntegerField(
        _("ngày sinh hoạt cố định"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
        help_text=_("Ngày trong tháng (1–28); để trống để theo quy định của cấp trên."),
    )
    established_on = models.DateField(_("ngày thành lập"), default=date(1930, 2, 3))
    dissolved_on = models.DateField(_("ngày giải thể/sáp nhập"), null=True, blank=True)

    # treebeard keeps `path`, `depth`, `numchild`; children are not auto-sorted, lists order by name.
    steplen = 4

    class Meta:
        verbose_name = _("tổ chức đảng")
        verbose_name_plural = _("tổ chức đảng")
        constraints = [
            models.CheckConstraint(
                condition=Q(meeting_day__isnull=True) | Q(meeting_day__gte=1, meeting_day__lte=28),
                name="org_meeting_day_1_28",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organizations:detail", args=[self.pk])

    @property
    def is_cell(self) -> bool:
        return self.kind in self.CELL_KINDS

    @property
    def is_active(self) -> bool:
        return self.dissolved_on is None

    def existed_on(self, day: date) -> bool:
        return self.established_on <= day and (self.dissolved_on is None or day < self.dissolved_on)


class OrgVersion(models.Model):
    """A node's name, parent and kind over one period; the periods of one node do not overlap."""

    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="versions")
    valid_from = models.DateField(_("từ ngày"))
    valid_to = models.DateField(_("đến trước ngày"), null=True, blank=True)
    name = models.CharField(_("tên"), max_length=200)
    # The name without diacritics, lowercase (chibo.core.vietnamese.search_text): "binh thanh" finds it.
    search_name = models.CharField(max_length=200, blank=True, editable=False)
    kind = models.CharField(_("loại"), max_length=20, choices=Organization.Kind.choices)
    parent = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="child_versions"
    )
    admin_unit = models.ForeignKey(AdministrativeUnit, null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        verbose_name = _("giai đoạn của tổ chức")
        ordering = ["org_id", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["org", "valid_from"], name="orgversion_one_start_per_org"),
            models.UniqueConstraint(
                fields=["org"], condition=Q(valid_to__isnull=True), name="orgversion_one_open_per_org"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                name="orgversion_period_not_empty",
            ),
        ]
        indexes = [
            # Serves "the tree as it was on date D": children of a parent valid on a date.
            models.Index(fields=["parent", "valid_from"], name="orgversion_parent_from"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.valid_from:%d/%m/%Y}–{self.valid_to:%d/%m/%Y})" if self.valid_to else self.name

    def covers(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day < self.valid_to)


class RestructuringEvent(models.Model):
    """One recorded change of the tree, with the date it takes effect."""

    class Kind(models.TextChoices):
        CREATE = "create", _("Thành lập")
        RENAME = "rename", _("Đổi tên")
        MOVE = "move", _("Chuyển trực thuộc")
        MERGE = "merge", _("Sáp nhập")
        SPLIT = "split", _("Chia tách")
        DISSOLVE = "dissolve", _("Giải thể")

    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices)
    effective_on = models.DateField(_("ngày hiệu lực"))
    org = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="events")
    # The other node involved: the new parent (move), the target (merge), a new part (split).
    related_org = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="related_events"
    )
    decision = models.CharField(_("quyết định số"), max_length=100, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    details = models.JSONField(_("chi tiết"), default=dict, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("sự kiện sắp xếp tổ chức")
        ordering = ["-effective_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.org} ({self.effective_on:%d/%m/%Y})"
