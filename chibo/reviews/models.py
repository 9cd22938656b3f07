"""Year-end review and classification (C15).

A cell's year (CellReview) holds one MemberReview per member on its roll at the year's end:
- the member's self-assessment on the HD 43 form that fits them (forms.FORMS), each criterion graded;
- the evidence of the year gathered from the record (chibo.reviews.evidence), the proposed points and
  level with the reasons (chibo.reviews.classify), under the rule set in force on 31/12;
- the cell's review meeting: the committee's proposal, the members' opinions, a vote per member;
- the upper level's decision (level and reason); then the year is locked, and any later change is a
  ReviewAmendment (who, when, why, before and after).
Organizations are rated on the same four levels (OrgRating). Years before the system are imported
(source "imported"), so the consecutive years at the top level are right from the first day.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from chibo.members.models import Member
from chibo.organizations.models import Organization
from chibo.rules.models import RuleSetVersion


class Level(models.TextChoices):
    EXCELLENT = "htxsnv", _("Hoàn thành xuất sắc nhiệm vụ")
    GOOD = "httnv", _("Hoàn thành tốt nhiệm vụ")
    FAIR = "htnv", _("Hoàn thành nhiệm vụ")
    POOR = "khtnv", _("Không hoàn thành nhiệm vụ")


LEVEL_ORDER = (Level.EXCELLENT, Level.GOOD, Level.FAIR, Level.POOR)  # best first
SHORT: dict[str, str] = {Level.EXCELLENT: "HTXSNV", Level.GOOD: "HTTNV", Level.FAIR: "HTNV", Level.POOR: "KHTNV"}


class Source(models.TextChoices):
    SYSTEM = "system", _("Kiểm điểm trên hệ thống")
    IMPORTED = "imported", _("Nhập từ năm trước khi dùng hệ thống")


class CellReview(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Đang kiểm điểm")
        SENT = "sent", _("Đã gửi cấp trên")
        LOCKED = "locked", _("Cấp trên đã quyết định, đã khóa")

    org = models.ForeignKey(Organization, verbose_name=_("chi bộ"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("năm"))
    source = models.CharField(_("nguồn"), max_length=10, choices=Source.choices, default=Source.SYSTEM)
    # The rules of the year: the version in force at the cell on 31/12 (null for imported years).
    ruleset = models.ForeignKey(
        RuleSetVersion, verbose_name=_("bộ quy định"), null=True, blank=True, on_delete=models.PROTECT
    )
    status = models.CharField(_("trạng thái"), max_length=8, choices=Status.choices, default=Status.OPEN)
    # The cell's review meeting (hội nghị kiểm điểm của chi bộ).
    meeting_date = models.DateField(_("ngày họp kiểm điểm"), null=True, blank=True)
    meeting_place = models.CharField(_("địa điểm"), max_length=255, blank=True)
    chair = models.ForeignKey(
        Member, verbose_name=_("chủ trì"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorder = models.ForeignKey(
        Member, verbose_name=_("thư ký"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    present = models.PositiveSmallIntegerField(_("số đảng viên có mặt"), null=True, blank=True)
    # Why the cell sends more HTXSNV than the quota allows (refused without it).
    quota_exception = models.TextField(_("lý do vượt tỷ lệ HTXSNV"), blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    locked_at = models.DateTimeField(null=True, blank=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("kiểm điểm cuối năm của chi bộ")
        verbose_name_plural = _("kiểm điểm cuối năm của chi bộ")
        ordering = ["-year", "org_id"]
        constraints = [
            models.UniqueConstraint(fields=["org", "year"], name="cellreview_once_a_year"),
        ]

    def __str__(self) -> str:
        return f"{self.org} — {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("reviews:cell", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def is_locked(self) -> bool:
        return self.status == self.Status.LOCKED


class MemberReview(models.Model):
    class Form(models.TextChoices):
        ORDINARY = "2A", _("Mẫu 2A: đảng viên không giữ chức vụ lãnh đạo, quản lý")
        LEADER = "2B", _("Mẫu 2B: đảng viên giữ chức vụ lãnh đạo, quản lý")
        OUTSIDE = "2C", _("Mẫu 2C: đảng viên không làm việc trong hệ thống chính trị")

    class NotRated(models.TextChoices):
        EXEMPT = "exempt", _("Miễn công tác và sinh hoạt đảng")
        SUSPENDED = "suspended", _("Đình chỉ sinh hoạt đảng")
        NEW = "new", _("Mới kết nạp chưa đủ thời gian (chỉ tự kiểm điểm)")
        PROBATIONARY = "probationary", _("Đảng viên dự bị (không xếp loại theo bộ quy định)")

    cell_review = models.ForeignKey(CellReview, on_delete=models.CASCADE, related_name="member_reviews")
    member = models.ForeignKey(Member, verbose_name=_("đảng viên"), on_delete=models.PROTECT, related_name="reviews")
    not_rated = models.CharField(_("không xếp loại"), max_length=12, choices=NotRated.choices, blank=True)
    form = models.CharField(_("mẫu kiểm điểm"), max_length=2, choices=Form.choices, default=Form.ORDINARY)

    # --- the member's self-assessment ---
    # {"politics": {"grade": "good", "note": "..."}, ...}: keys from chibo.reviews.forms.FORMS[form].
    self_grades = models.JSONField(_("tự đánh giá từng tiêu chí"), default=dict, blank=True)
    self_strengths = models.TextField(_("ưu điểm"), blank=True)
    self_weaknesses = models.TextField(_("hạn chế, khuyết điểm"), blank=True)
    self_level = models.CharField(_("tự nhận mức xếp loại"), max_length=6, choices=Level.choices, blank=True)
    self_submitted_at = models.DateTimeField(_("nộp bản tự kiểm điểm lúc"), null=True, blank=True)

    # --- the evidence of the year and the system's proposal ---
    evidence = models.JSONField(_("chứng cứ trong năm"), default=dict, blank=True)
    points = models.PositiveSmallIntegerField(_("điểm đề xuất"), null=True, blank=True)
    proposed_level = models.CharField(_("mức đề xuất"), max_length=6, choices=Level.choices, blank=True)
    reasons = models.JSONField(_("lý do đề xuất"), default=list, blank=True)
    # The exception a disciplined member may have (QĐ 124: found and fixed the fault themselves).
    discipline_exception = models.TextField(_("ngoại lệ khi bị kỷ luật"), blank=True)

    # --- the cell's review meeting ---
    committee_level = models.CharField(_("chi ủy đề xuất"), max_length=6, choices=Level.choices, blank=True)
    opinions = models.TextField(_("ý kiến của đảng viên"), blank=True)
    votes_for = models.PositiveSmallIntegerField(_("tán thành"), null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField(_("không tán thành"), null=True, blank=True)
    cell_level = models.CharField(_("chi bộ đề nghị"), max_length=6, choices=Level.choices, blank=True)

    # --- the upper level's decision ---
    decided_level = models.CharField(_("cấp trên quyết định"), max_length=6, choices=Level.choices, blank=True)
    decision_reason = models.TextField(_("lý do"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("kiểm điểm đảng viên")
        verbose_name_plural = _("kiểm điểm đảng viên")
        ordering = ["cell_review_id", "member__name_sort_key", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cell_review", "member"], name="memberreview_once_per_cell_year"),
            models.CheckConstraint(
                condition=Q(not_rated="") | Q(decided_level="", cell_level=""),
                name="memberreview_not_rated_has_no_level",
            ),
        ]
        indexes = [
            # Serves a member's years (their page, the consecutive count) and the API's ?member=.
            models.Index(fields=["member", "cell_review"], name="memberreview_member"),
        ]

    def __str__(self) -> str:
        return f"{self.member} — {self.cell_review.year}"

    def get_absolute_url(self) -> str:
        return reverse("reviews:member", args=[self.pk])

    @property
    def is_rated(self) -> bool:
        return not self.not_rated

    @property
    def level(self) -> str:
        """The level as it stands: decided, else the cell's, else the committee's, else the proposal."""
        return self.decided_level or self.cell_level or self.committee_level or self.proposed_level


class ReviewAmendment(models.Model):
    """A change to a member's level after the year was locked (đính chính): who, when, why, before, after."""

    member_review = models.ForeignKey(MemberReview, on_delete=models.PROTECT, related_name="amendments")
    before = models.CharField(_("trước"), max_length=6, choices=Level.choices)
    after = models.CharField(_("sau"), max_length=6, choices=Level.choices)
    reason = models.TextField(_("lý do"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("đính chính xếp loại")
        verbose_name_plural = _("đính chính xếp loại")
        ordering = ["member_review_id", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.member_review}: {self.before} → {self.after}"


class OrgRating(models.Model):
    """An organization's level for a year (cells by the ward's standing committee, grassroots committees by
    theirs), proposed from the year's evidence and decided above; or imported for the years before."""

    org = models.ForeignKey(Organization, verbose_name=_("tổ chức"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("năm"))
    source = models.CharField(_("nguồn"), max_length=10, choices=Source.choices, default=Source.SYSTEM)
    evidence = models.JSONField(_("chứng cứ trong năm"), default=dict, blank=True)
    points = models.PositiveSmallIntegerField(_("điểm đề xuất"), null=True, blank=True)
    proposed_level = models.CharField(_("mức đề xuất"), max_length=6, choices=Level.choices, blank=True)
    reasons = models.JSONField(_("lý do đề xuất"), default=list, blank=True)
    level = models.CharField(_("mức xếp loại"), max_length=6, choices=Level.choices, blank=True)
    decision_reason = models.TextField(_("lý do"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("xếp loại tổ chức đảng")
        verbose_name_plural = _("xếp loại tổ chức đảng")
        ordering = ["org_id", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["org", "year"], name="orgrating_once_a_year"),
        ]

    def __str__(self) -> str:
        return f"{self.org} — {self.year}: {self.level or self.proposed_level}"


class ReviewRun(models.Model):
    """Opening a year for every cell under a node at once (a province's 500,000 members): a background job
    (chibo.reviews.jobs) that gathers the evidence and proposes a level for every member, with progress."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Đang chờ")
        RUNNING = "running", _("Đang tổng hợp")
        DONE = "done", _("Xong")
        FAILED = "failed", _("Lỗi hệ thống")

    org = models.ForeignKey(Organization, verbose_name=_("tổ chức"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("năm"))
    status = models.CharField(_("trạng thái"), max_length=8, choices=Status.choices, default=Status.PENDING)
    cells_total = models.PositiveIntegerField(_("số chi bộ"), default=0)
    cells_done = models.PositiveIntegerField(_("số chi bộ đã xong"), default=0)
    members_done = models.PositiveIntegerField(_("số đảng viên đã đề xuất"), default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lượt tổng hợp xếp loại")
        verbose_name_plural = _("lượt tổng hợp xếp loại")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.org} — {self.year} ({self.cells_done}/{self.cells_total})"

    @property
    def percent(self) -> int:
        return (
            100
            if self.status == self.Status.DONE
            else (self.cells_done * 100 // self.cells_total if self.cells_total else 0)
        )
