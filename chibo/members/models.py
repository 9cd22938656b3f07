"""Party members (C2) and their dated history: memberships of cells, positions, exemptions.

Periods are half-open, as in the organization tree: from `started_on` (inclusive) to `ended_on`
(exclusive). A transfer on date D ends the old membership on D and starts the new one on D, so on any
date a member belongs to exactly one cell.
"""

from datetime import date

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from chibo.core.vietnamese import name_sort_key, normalize_name, search_text, split_full_name
from chibo.organizations.models import Organization


class MemberQuerySet(models.QuerySet["Member"]):
    def in_orgs(self, orgs: models.QuerySet[Organization]) -> "MemberQuerySet":
        return self.filter(org__in=orgs)

    def current(self) -> "MemberQuerySet":
        """Members still on a cell's roll (not transferred out of the system, deceased or removed)."""
        return self.filter(left_on__isnull=True)

    def exempt_on(self, day: date) -> "MemberQuerySet":
        return self.filter(
            Q(exemptions__started_on__lte=day)
            & (Q(exemptions__ended_on__isnull=True) | Q(exemptions__ended_on__gt=day))
        ).distinct()

    def search(self, text: str) -> "MemberQuerySet":
        """Match names, card numbers, phones with or without diacritics ("truong" finds "Trường")."""
        qs = self
        for word in search_text(text).split():
            qs = qs.filter(search_text__contains=word)
        return qs


class Member(models.Model):
    class Gender(models.TextChoices):
        MALE = "male", _("Nam")
        FEMALE = "female", _("Nữ")

    class Status(models.TextChoices):
        PROBATIONARY = "probationary", _("Dự bị")
        OFFICIAL = "official", _("Chính thức")

    class LeftReason(models.TextChoices):
        TRANSFERRED_OUT = "transferred_out", _("Chuyển sinh hoạt ra ngoài hệ thống")
        DECEASED = "deceased", _("Từ trần")
        # Xóa tên (taken off the rolls) and khai trừ (expelled, a discipline) are different decisions.
        REMOVED = "removed", _("Xóa tên khỏi danh sách đảng viên")
        EXPELLED = "expelled", _("Khai trừ khỏi Đảng")
        OTHER = "other", _("Khác")

    full_name = models.CharField(_("họ và tên"), max_length=120)
    # Derived from full_name by set_name(); stored because every list orders and searches by them.
    family_name = models.CharField(_("họ"), max_length=40, editable=False)
    middle_name = models.CharField(_("tên đệm"), max_length=80, blank=True, editable=False)
    given_name = models.CharField(_("tên"), max_length=40, editable=False)
    name_sort_key = models.CharField(max_length=400, editable=False, db_index=True)
    search_text = models.CharField(max_length=400, editable=False)

    gender = models.CharField(_("giới tính"), max_length=8, choices=Gender.choices)
    birth_date = models.DateField(_("ngày sinh"))
    card_number = models.CharField(_("số thẻ đảng viên"), max_length=20, null=True, blank=True, unique=True)
    joined_on = models.DateField(_("ngày vào Đảng"))
    official_on = models.DateField(_("ngày chính thức"), null=True, blank=True)
    status = models.CharField(_("trạng thái"), max_length=16, choices=Status.choices)

    # The cell whose roll the member is on now (or was on when they left). The memberships below are the
    # history; this column is kept by the membership services only, because every scoped list at national
    # scale (5.6 million members) filters on it and a join through the history would not be indexable.
    org = models.ForeignKey(Organization, verbose_name=_("chi bộ"), on_delete=models.PROTECT, related_name="members")

    residence_address = models.CharField(_("nơi cư trú"), max_length=255, blank=True)
    # Where the member lives within the cell's area, for the households they are put in charge of (C13).
    home_hamlet = models.CharField(_("khu vực, ấp nơi ở"), max_length=80, blank=True)
    home_lat = models.DecimalField(_("vĩ độ nhà"), max_digits=9, decimal_places=6, null=True, blank=True)
    home_lon = models.DecimalField(_("kinh độ nhà"), max_digits=9, decimal_places=6, null=True, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    occupation = models.CharField(_("nghề nghiệp"), max_length=120, blank=True)
    # Sở trường; tâm tư, nguyện vọng: seen by the cell committee and above only.
    strengths = models.TextField(_("sở trường"), blank=True)
    aspirations = models.TextField(_("tâm tư, nguyện vọng"), blank=True)

    left_on = models.DateField(_("ngày ra khỏi danh sách"), null=True, blank=True)
    left_reason = models.CharField(_("lý do"), max_length=20, choices=LeftReason.choices, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("đảng viên")
        verbose_name_plural = _("đảng viên")
        ordering = ["name_sort_key", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(official_on__isnull=True) | Q(official_on__gte=models.F("joined_on")),
                name="member_official_after_joined",
            ),
            models.CheckConstraint(
                condition=Q(status="probationary") | Q(official_on__isnull=False),
                name="member_official_has_date",
            ),
        ]
        indexes = [
            # Serves the member list of a cell in Vietnamese name order.
            models.Index(fields=["org", "name_sort_key"], name="member_org_name"),
        ]

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("members:detail", args=[self.pk])

    def set_name(self, full_name: str) -> None:
        """Set the full name and the parts every list orders and searches by."""
        self.full_name = normalize_name(full_name)
        self.family_name, self.middle_name, self.given_name = split_full_name(self.full_name)
        self.name_sort_key = name_sort_key(self.full_name)
        self.refresh_search_text()

    def refresh_search_text(self) -> None:
        self.search_text = search_text(self.full_name, self.card_number, self.phone)

    @property
    def is_active(self) -> bool:
        return self.left_on is None


class Membership(models.Model):
    """The member was on this cell's roll over [started_on, ended_on)."""

    class Kind(models.TextChoices):
        OFFICIAL = "official", _("Chính thức")
        TEMPORARY = "temporary", _("Tạm thời")

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="memberships")
    org = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="memberships")
    kind = models.CharField(_("hình thức"), max_length=12, choices=Kind.choices, default=Kind.OFFICIAL)
    started_on = models.DateField(_("từ ngày"))
    ended_on = models.DateField(_("đến trước ngày"), null=True, blank=True)
    reason = models.CharField(_("lý do"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("quá trình sinh hoạt")
        ordering = ["member_id", "started_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gt=models.F("started_on")),
                name="membership_period_not_empty",
            ),
            # On the roll of one cell at a time: a temporary stay elsewhere is not a second roll.
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(ended_on__isnull=True, kind="official"),
                name="membership_one_open_official",
            ),
        ]
        indexes = [
            # Serves "who was on this cell's roll on date D" (reports on past periods).
            models.Index(fields=["org", "started_on"], name="membership_org_start"),
        ]

    def __str__(self) -> str:
        return f"{self.member} @ {self.org}"

    def covers(self, day: date) -> bool:
        return self.started_on <= day and (self.ended_on is None or day < self.ended_on)


class Position(models.Model):
    """A position in the cell (bí thư, phó bí thư, chi ủy viên) over a period."""

    class Title(models.TextChoices):
        SECRETARY = "secretary", _("Bí thư")
        DEPUTY = "deputy", _("Phó bí thư")
        COMMITTEE_MEMBER = "committee_member", _("Chi ủy viên")

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="positions")
    org = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="positions")
    title = models.CharField(_("chức vụ"), max_length=20, choices=Title.choices)
    started_on = models.DateField(_("từ ngày"))
    ended_on = models.DateField(_("đến trước ngày"), null=True, blank=True)

    class Meta:
        verbose_name = _("chức vụ")
        ordering = ["org_id", "title", "started_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gt=models.F("started_on")),
                name="position_period_not_empty",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_title_display()} {self.member}"


class Exemption(models.Model):
    """Miễn công tác và sinh hoạt đảng: the cell's decision, with dates and reason; reversible."""

    class Reason(models.TextChoices):
        OLD_AGE = "old_age", _("Tuổi cao")
        ILL_HEALTH = "ill_health", _("Sức khỏe yếu, điều trị từ 3 tháng trở lên")
        WORKING_FAR = "working_far", _("Đi làm ăn xa (tạm miễn, dưới 12 tháng)")
        OTHER = "other", _("Lý do khác")

    class Scope(models.TextChoices):
        WORK_AND_MEETINGS = "work_and_meetings", _("Miễn công tác và sinh hoạt")
        WORK_ONLY = "work_only", _("Miễn công tác")

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="exemptions")
    scope = models.CharField(_("phạm vi"), max_length=20, choices=Scope.choices, default=Scope.WORK_AND_MEETINGS)
    reason = models.CharField(_("lý do"), max_length=16, choices=Reason.choices)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)
    started_on = models.DateField(_("từ ngày"))
    ended_on = models.DateField(_("đến trước ngày"), null=True, blank=True)
    # Exempt members are not notified of meetings unless they ask to be (issue: notices).
    wants_notices = models.BooleanField(_("vẫn nhận thông báo"), default=False)

    class Meta:
        verbose_name = _("miễn sinh hoạt")
        ordering = ["member_id", "-started_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gt=models.F("started_on")),
                name="exemption_period_not_empty",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member}: {self.get_reason_display()}"

    def covers(self, day: date) -> bool:
        return self.started_on <= day and (self.ended_on is None or day < self.ended_on)


class LifeEventQuerySet(models.QuerySet["LifeEvent"]):
    def disciplines(self) -> "LifeEventQuerySet":
        return self.filter(kind=LifeEvent.Kind.DISCIPLINE)

    def in_year(self, year: int) -> "LifeEventQuerySet":
        return self.filter(decided_on__year=year)

    def suspensions_during(self, start: date, end: date) -> "LifeEventQuerySet":
        """Suspensions in force at some time in [start, end)."""
        return self.filter(kind=LifeEvent.Kind.SUSPENSION, decided_on__lt=end).filter(
            Q(ends_on__isnull=True) | Q(ends_on__gt=start)
        )


class LifeEvent(models.Model):
    """A dated decision in a member's party life that the year-end review needs (C15): discipline (kỷ luật,
    with its form), suspension of party activity (đình chỉ sinh hoạt đảng, over [decided_on, ends_on)),
    recognition as an official member (công nhận đảng viên chính thức), removal from the rolls (xóa tên),
    which is not expulsion (khai trừ, the heaviest discipline). Written by chibo.members.services only."""

    class Kind(models.TextChoices):
        DISCIPLINE = "discipline", _("Kỷ luật")
        SUSPENSION = "suspension", _("Đình chỉ sinh hoạt đảng")
        OFFICIAL = "official", _("Công nhận đảng viên chính thức")
        REMOVAL = "removal", _("Xóa tên khỏi danh sách đảng viên")

    class Discipline(models.TextChoices):
        REPRIMAND = "reprimand", _("Khiển trách")
        WARNING = "warning", _("Cảnh cáo")
        DISMISSAL = "dismissal", _("Cách chức")
        EXPULSION = "expulsion", _("Khai trừ")

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="life_events")
    kind = models.CharField(_("loại"), max_length=12, choices=Kind.choices)
    discipline = models.CharField(_("hình thức kỷ luật"), max_length=10, choices=Discipline.choices, blank=True)
    decided_on = models.DateField(_("ngày quyết định"))
    decision_number = models.CharField(_("số quyết định"), max_length=60)
    issued_by = models.CharField(_("cơ quan ra quyết định"), max_length=160)
    reason = models.TextField(_("lý do, nội dung"), blank=True)
    # A suspension ends the day before this (exclusive); open while unknown.
    ends_on = models.DateField(_("đến trước ngày"), null=True, blank=True)
    recorded_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = LifeEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("quyết định về đảng viên")
        verbose_name_plural = _("quyết định về đảng viên")
        ordering = ["member_id", "-decided_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="discipline", discipline__in=["reprimand", "warning", "dismissal", "expulsion"])
                | (~Q(kind="discipline") & Q(discipline="")),
                name="lifeevent_discipline_has_form",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | (Q(kind="suspension") & Q(ends_on__gt=models.F("decided_on"))),
                name="lifeevent_only_suspension_ends",
            ),
        ]
        indexes = [
            # Serves "disciplined / suspended in the year" for a cell's members (the year-end evidence).
            models.Index(fields=["member", "kind", "decided_on"], name="lifeevent_member_kind"),
        ]

    def __str__(self) -> str:
        what = self.get_discipline_display() if self.discipline else self.get_kind_display()
        return f"{self.member}: {what} ({self.decided_on:%d/%m/%Y})"

    @property
    def title(self) -> str:
        if self.kind == self.Kind.DISCIPLINE:
            return f"{self.get_kind_display()}: {self.get_discipline_display()}"
        return str(self.get_kind_display())


def _import_upload_to(job: "ImportJob", filename: str) -> str:
    # Imported here to leave the top of this module to the members' models.
    from uuid import uuid4

    from django.utils import timezone

    # Never the user's file name on disk: it may carry personal data and odd characters.
    return f"imports/members/{timezone.localdate():%Y/%m}/{uuid4().hex}.xlsx"


class ImportJob(models.Model):
    """One uploaded member spreadsheet: its validation report and, once committed, what it imported.

    The file is kept under MEDIA_ROOT (never linked from a page) so that a dry run can be committed
    later and so that an import can be traced back to the file, the person and the time.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Đang chờ xử lý")
        RUNNING = "running", _("Đang kiểm tra")
        IMPORTING = "importing", _("Đang ghi vào cơ sở dữ liệu")
        CHECKED = "checked", _("Hợp lệ, chưa nhập (chạy thử)")
        INVALID = "invalid", _("Có lỗi, chưa nhập")
        IMPORTED = "imported", _("Đã nhập")
        FAILED = "failed", _("Lỗi hệ thống")

    FINISHED = (Status.CHECKED, Status.INVALID, Status.IMPORTED, Status.FAILED)

    created_by = models.ForeignKey(
        "accounts.User", verbose_name=_("người nhập"), on_delete=models.PROTECT, related_name="import_jobs"
    )
    created_at = models.DateTimeField(_("lúc tải lên"), auto_now_add=True)
    finished_at = models.DateTimeField(_("lúc xong"), null=True, blank=True)
    file = models.FileField(_("tệp"), upload_to=_import_upload_to, max_length=255)
    original_name = models.CharField(_("tên tệp"), max_length=255)
    dry_run = models.BooleanField(_("chạy thử"), default=True)
    # More rows than settings.CHIBO_IMPORT_BACKGROUND_ROWS: checked and imported by a Celery task.
    background = models.BooleanField(_("chạy nền"), default=False)
    # The cell for rows that name none (a cell's own list exported from the national database).
    default_org = models.ForeignKey(
        Organization, verbose_name=_("chi bộ mặc định"), null=True, blank=True, on_delete=models.PROTECT
    )
    status = models.CharField(_("trạng thái"), max_length=12, choices=Status.choices, default=Status.PENDING)
    rows_total = models.PositiveIntegerField(_("số dòng"), default=0)
    rows_checked = models.PositiveIntegerField(_("số dòng đã kiểm tra"), default=0)
    valid_count = models.PositiveIntegerField(_("số dòng hợp lệ"), default=0)
    error_count = models.PositiveIntegerField(_("số lỗi"), default=0)
    imported_count = models.PositiveIntegerField(_("số đảng viên đã nhập"), default=0)
    # [{"row": 7, "column": "Ngày sinh", "letter": "C", "message": "…"}], capped (see imports.MAX_REPORTED_ERRORS).
    errors = models.JSONField(_("báo cáo lỗi"), default=list, blank=True)
    ignored_columns = models.JSONField(_("cột không dùng"), default=list, blank=True)

    class Meta:
        verbose_name = _("lần nhập đảng viên")
        verbose_name_plural = _("lần nhập đảng viên")
        ordering = ["-created_at", "-id"]
        indexes = [
            # Serves "my recent imports" on the import page.
            models.Index(fields=["created_by", "-created_at"], name="importjob_user_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.created_at:%d/%m/%Y %H:%M})"

    def get_absolute_url(self) -> str:
        return reverse("members:import_job", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED

    @property
    def percent(self) -> int:
        if self.is_finished:
            return 100
        return min(99, self.rows_checked * 100 // self.rows_total) if self.rows_total else 0
