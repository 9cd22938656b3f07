"""Households of a cell's area and the members in charge of them (C13): the liaison practice of the source
article (each member in charge of the households near their home, following residents who come back from
other provinces and telling the health station at once, bringing residents' opinions to the cell).

Households are residents' personal data: they stay within the cell and its upper levels
(chibo.accounts.scope), and a plain member sees only the households in their charge.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from chibo.core.vietnamese import name_sort_key, search_text
from chibo.meetings.models import Meeting
from chibo.members.models import Member
from chibo.organizations.models import Organization


class Area(models.Model):
    """The cell's area: its ward, the hamlets (khu vực, ấp, tổ) it serves, and where it lies.

    The import checks each household against it: a hamlet not listed, or coordinates farther than
    `radius_m` from the centre, is refused as outside the cell's area.
    """

    cell = models.OneToOneField(Organization, on_delete=models.CASCADE, related_name="household_area")
    ward = models.CharField(_("phường, xã"), max_length=120)
    hamlets = models.JSONField(_("khu vực, ấp, tổ"), default=list)  # names, in the order the pages show them
    centre_lat = models.DecimalField(_("vĩ độ tâm"), max_digits=9, decimal_places=6, null=True, blank=True)
    centre_lon = models.DecimalField(_("kinh độ tâm"), max_digits=9, decimal_places=6, null=True, blank=True)
    radius_m = models.PositiveIntegerField(_("bán kính (m)"), default=3000)

    class Meta:
        verbose_name = _("địa bàn chi bộ")
        verbose_name_plural = _("địa bàn chi bộ")

    def __str__(self) -> str:
        return f"{self.cell} — {self.ward}"


class HouseholdQuerySet(models.QuerySet["Household"]):
    def search(self, text: str) -> "HouseholdQuerySet":
        qs = self
        for word in search_text(text).split():
            qs = qs.filter(search_text__contains=word)
        return qs


class Household(models.Model):
    cell = models.ForeignKey(
        Organization, verbose_name=_("chi bộ"), on_delete=models.PROTECT, related_name="households"
    )
    head_name = models.CharField(_("chủ hộ"), max_length=120)
    street = models.CharField(_("số nhà, đường"), max_length=160, blank=True)
    hamlet = models.CharField(_("khu vực, ấp"), max_length=80)
    ward = models.CharField(_("phường, xã"), max_length=120)
    people = models.PositiveSmallIntegerField(_("số nhân khẩu"), default=1)
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    lat = models.DecimalField(_("vĩ độ"), max_digits=9, decimal_places=6, null=True, blank=True)
    lon = models.DecimalField(_("kinh độ"), max_digits=9, decimal_places=6, null=True, blank=True)
    notes = models.CharField(_("ghi chú"), max_length=255, blank=True)
    # The same household imported twice is refused: head and address, without diacritics or case.
    dedup_key = models.CharField(max_length=400, editable=False)
    name_sort_key = models.CharField(max_length=400, editable=False)
    search_text = models.CharField(max_length=600, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = HouseholdQuerySet.as_manager()

    class Meta:
        verbose_name = _("hộ dân")
        verbose_name_plural = _("hộ dân")
        ordering = ["hamlet", "name_sort_key", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cell", "dedup_key"], name="household_unique_in_cell"),
            models.CheckConstraint(
                condition=Q(lat__isnull=True, lon__isnull=True) | Q(lat__isnull=False, lon__isnull=False),
                name="household_lat_lon_both",
            ),
            models.CheckConstraint(condition=Q(people__gte=1), name="household_has_people"),
        ]
        indexes = [
            # Serves the cell's household list in hamlet, then name order.
            models.Index(fields=["cell", "hamlet", "name_sort_key"], name="household_cell_list"),
        ]

    def __str__(self) -> str:
        return f"{self.head_name} — {self.address}"

    def get_absolute_url(self) -> str:
        return reverse("households:detail", args=[self.pk])

    @property
    def address(self) -> str:
        return ", ".join(p for p in (self.street, self.hamlet, self.ward) if p)

    @property
    def has_coordinates(self) -> bool:
        return self.lat is not None and self.lon is not None

    def refresh_keys(self) -> None:
        """The derived columns, from the head's name and the address."""
        self.name_sort_key = name_sort_key(self.head_name)
        self.search_text = search_text(self.head_name, self.street, self.hamlet, self.phone)
        self.dedup_key = household_key(self.head_name, self.street, self.hamlet)


def household_key(head_name: str, street: str, hamlet: str) -> str:
    return "|".join(" ".join(search_text(part).split()) for part in (head_name, street, hamlet))


class AssignmentPlan(models.Model):
    """A proposal of who is in charge of which households, with what it cost against the optimum.

    The secretary applies it (every household's assignment from a date), adjusts single households by hand
    afterwards, and the cell's resolution may record it (`meeting`).
    """

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Đề xuất")
        APPLIED = "applied", _("Đã áp dụng")
        DISCARDED = "discarded", _("Bỏ")

    cell = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="household_plans")
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.PROPOSED)
    min_load = models.PositiveSmallIntegerField(_("ít nhất (hộ/đảng viên)"))
    max_load = models.PositiveSmallIntegerField(_("nhiều nhất (hộ/đảng viên)"))
    apart_pct = models.PositiveSmallIntegerField(_("giữ hộ cùng khu vực (%)"), default=0)
    households = models.PositiveIntegerField(_("số hộ"))
    members = models.PositiveIntegerField(_("số đảng viên phụ trách"))
    by_address = models.PositiveIntegerField(_("số hộ phân theo địa chỉ"), default=0)
    distance_m = models.BigIntegerField(_("tổng quãng đường (m)"))
    optimum_m = models.BigIntegerField(_("quãng đường tối ưu (m)"))
    proved = models.BooleanField(_("đã chứng minh tối ưu"), default=False)
    seconds = models.FloatField(default=0)
    # [[household id, member id], ...]: the proposal itself, applied as Assignment rows.
    pairs = models.JSONField(default=list)
    loads = models.JSONField(default=dict)  # {member id: [lower, upper]}
    applied_on = models.DateField(_("áp dụng từ ngày"), null=True, blank=True)
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("nghị quyết ghi nhận"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="household_plans",
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("phương án phân công phụ trách hộ")
        verbose_name_plural = _("phương án phân công phụ trách hộ")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.cell} {self.created_at:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse("households:plan", args=[self.pk])

    @property
    def extra_pct(self) -> float:
        """How much longer the proposal's walks are than the shortest possible under the same bounds."""
        return (self.distance_m - self.optimum_m) * 100 / self.optimum_m if self.optimum_m else 0.0


class AssignmentQuerySet(models.QuerySet["Assignment"]):
    def current(self) -> "AssignmentQuerySet":
        return self.filter(valid_to__isnull=True)


class Assignment(models.Model):
    """Member in charge of a household over [valid_from, valid_to): the history is kept, never rewritten."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="assignments")
    member = models.ForeignKey(
        Member, verbose_name=_("đảng viên phụ trách"), on_delete=models.PROTECT, related_name="household_assignments"
    )
    valid_from = models.DateField(_("từ ngày"))
    valid_to = models.DateField(_("đến trước ngày"), null=True, blank=True)
    plan = models.ForeignKey(AssignmentPlan, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    by_hand = models.BooleanField(_("điều chỉnh tay"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("phân công phụ trách hộ")
        verbose_name_plural = _("phân công phụ trách hộ")
        ordering = ["household_id", "-valid_from", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["household"], condition=Q(valid_to__isnull=True), name="assignment_one_current"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="assignment_period_ordered",
            ),
        ]
        indexes = [
            # Serves "the households in my charge" (a member's page, the liaison form's check).
            models.Index(fields=["member", "valid_to"], name="assignment_member_current"),
        ]

    def __str__(self) -> str:
        return f"{self.member} → {self.household}"


class LiaisonEvent(models.Model):
    """What a member saw or did at a household in their charge (nhật ký liên hệ hộ dân)."""

    class Kind(models.TextChoices):
        ARRIVAL = "arrival", _("Người từ tỉnh khác về")
        NOTIFICATION = "notification", _("Báo trạm y tế, công an")
        FOLLOW_UP = "follow_up", _("Theo dõi")
        HARDSHIP = "hardship", _("Hoàn cảnh khó khăn")
        OPINION = "opinion", _("Ý kiến, kiến nghị của nhân dân")

    class Notified(models.TextChoices):
        HEALTH_STATION = "health_station", _("Trạm y tế phường")
        WARD_POLICE = "ward_police", _("Công an phường")

    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="events")
    member = models.ForeignKey(
        Member, verbose_name=_("đảng viên phụ trách"), on_delete=models.PROTECT, related_name="liaison_events"
    )
    kind = models.CharField(_("loại"), max_length=14, choices=Kind.choices)
    occurred_on = models.DateField(_("ngày"))
    text = models.TextField(_("nội dung"), blank=True)
    # A resident arriving from another province.
    person_name = models.CharField(_("người về"), max_length=120, blank=True)
    arrived_from = models.CharField(_("về từ (tỉnh, thành phố)"), max_length=120, blank=True)
    arrived_on = models.DateField(_("ngày về"), null=True, blank=True)
    # Who was told, when: on the arrival itself, or an event of its own.
    notified = models.CharField(_("đã báo"), max_length=16, choices=Notified.choices, blank=True)
    notified_contact = models.CharField(_("người nhận tin"), max_length=120, blank=True)
    notified_at = models.DateTimeField(_("lúc báo"), null=True, blank=True)
    follow_up_on = models.DateField(_("ngày theo dõi tiếp"), null=True, blank=True)
    follow_up_done = models.BooleanField(_("đã theo dõi xong"), default=False)
    reminded_on = models.DateField(_("đã nhắc ngày"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("nhật ký liên hệ hộ dân")
        verbose_name_plural = _("nhật ký liên hệ hộ dân")
        ordering = ["-occurred_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="arrival") | (Q(arrived_on__isnull=False) & ~Q(arrived_from="")),
                name="liaison_arrival_has_origin",
            ),
            models.CheckConstraint(
                condition=Q(notified="") | Q(notified_at__isnull=False), name="liaison_notified_has_time"
            ),
        ]
        indexes = [
            # Serves the month's opinions of a cell (the agenda) and the health station's export.
            models.Index(fields=["kind", "occurred_on"], name="liaison_kind_day"),
            # Serves the follow-up reminders (Celery beat).
            models.Index(fields=["follow_up_on"], name="liaison_follow_up", condition=Q(follow_up_done=False)),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_on:%d/%m/%Y}"
