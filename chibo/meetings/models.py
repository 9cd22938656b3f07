"""Cell meetings (C4–C7): the meeting itself, its preparation (C5) and what is recorded live (C6).

A regular meeting (sinh hoạt thường kỳ) is one per cell per month; thematic (chuyên đề) at least once a
quarter and never instead of the monthly one; extraordinary (bất thường) whenever needed.

Life of a meeting: PLANNED (prepared: Preparation, AgendaItem, draft resolution, Attachment) → OPEN
(`meeting_open` snapshots the roll into one Attendance row per member; SpeakingTurn, Guest, Vote,
SupervisorRemark are recorded) → CLOSED (`meeting_close`; nothing live changes afterwards, the minutes
are composed from these rows). Every write goes through chibo.meetings.services.

What the minutes (C7) read, and where:
- numbers and absentees: Attendance (status, reason, is_official / is_exempt as they were on the day);
- chair, recorder, start and end: Meeting;
- the order of business: AgendaItem (with notes, presenter, the đề dẫn's author and approval);
- each speaker and what they said: SpeakingTurn (kind, summary) in queue order;
- guests and the upper-level cadre present: Guest (is_supervisor) and SupervisorRemark;
- the resolution vote: Vote (counts, the pass rule used, the result); the draft text: Meeting.draft_resolution.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from chibo.members.models import Member
from chibo.organizations.models import Organization
from chibo.rules.models import RuleSetVersion


class Meeting(models.Model):
    class Kind(models.TextChoices):
        REGULAR = "regular", _("Sinh hoạt thường kỳ")
        THEMATIC = "thematic", _("Sinh hoạt chuyên đề")
        EXTRAORDINARY = "extraordinary", _("Sinh hoạt bất thường")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Đã lên lịch")
        OPEN = "open", _("Đang họp")
        CLOSED = "closed", _("Đã kết thúc")
        CANCELLED = "cancelled", _("Đã hủy")

    org = models.ForeignKey(Organization, verbose_name=_("chi bộ"), on_delete=models.PROTECT, related_name="meetings")
    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices, default=Kind.REGULAR)
    # The month a regular meeting belongs to (first day of the month); a meeting moved by a holiday to
    # the next month still belongs to its own month.
    period = models.DateField(_("tháng"), null=True, blank=True)
    # A regular meeting that also holds the quarter's thematic session (longer minimum duration).
    with_thematic = models.BooleanField(_("kết hợp sinh hoạt chuyên đề"), default=False)
    thematic_topic = models.CharField(_("chủ đề chuyên đề"), max_length=255, blank=True)
    title = models.CharField(_("tiêu đề"), max_length=255, blank=True)
    scheduled_date = models.DateField(_("ngày họp"))
    scheduled_time = models.TimeField(_("giờ họp"))
    place = models.CharField(_("địa điểm"), max_length=255, blank=True)
    status = models.CharField(_("trạng thái"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    # The rules the meeting is held and scored under, fixed when it is planned (C20).
    ruleset = models.ForeignKey(RuleSetVersion, verbose_name=_("bộ quy định"), on_delete=models.PROTECT)

    chair = models.ForeignKey(
        Member, verbose_name=_("chủ trì"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorder = models.ForeignKey(
        Member, verbose_name=_("thư ký"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(_("bắt đầu lúc"), null=True, blank=True)
    ended_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)
    cancelled_reason = models.CharField(_("lý do hủy"), max_length=255, blank=True)
    # What fell short when the meeting was closed (duration, attendance, speakers...), as the closing page
    # showed it and the person closing accepted it: kept with the record, counted by the score (C14).
    closing_shortfalls = models.JSONField(_("chưa đạt khi bế mạc"), default=list, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người bế mạc"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # When the minutes were signed by all and locked: a fact set by the documents app's signing service
    # (chibo.documents.services.sign), read here so that the meeting's record stops changing without this
    # app importing documents (C7).
    minutes_locked_at = models.DateTimeField(_("biên bản khóa lúc"), null=True, blank=True, editable=False)
    # Dự thảo nghị quyết: prepared before the meeting (HD 42), voted at its close.
    draft_resolution = models.TextField(_("dự thảo nghị quyết"), blank=True)
    draft_resolution_updated_at = models.DateTimeField(null=True, blank=True, editable=False)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The live page's change marker: every write to the meeting's live record takes the meeting's row lock
    # through services._lock, which adds one here in the same statement (and is rolled back with the write).
    # Members' phones poll with it (ETag, 304) instead of rebuilding the panel. Never set it by hand.
    live_version = models.PositiveBigIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("buổi sinh hoạt")
        verbose_name_plural = _("buổi sinh hoạt")
        ordering = ["-scheduled_date", "-scheduled_time"]
        constraints = [
            models.UniqueConstraint(
                fields=["org", "period"],
                condition=Q(kind="regular") & ~Q(status="cancelled"),
                name="meeting_one_regular_per_month",
            ),
            models.CheckConstraint(
                condition=~Q(kind="regular") | Q(period__isnull=False), name="meeting_regular_has_period"
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(started_at__isnull=False, ended_at__gte=models.F("started_at")),
                name="meeting_ends_after_start",
            ),
        ]
        indexes = [
            # Serves the calendar: a committee's cells' meetings in a date range.
            models.Index(fields=["org", "scheduled_date"], name="meeting_org_date"),
            models.Index(fields=["scheduled_date", "status"], name="meeting_date_status"),
        ]

    def __str__(self) -> str:
        return self.title or f"{self.get_kind_display()} {self.scheduled_date:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse("meetings:detail", args=[self.pk])

    @property
    def is_thematic(self) -> bool:
        return self.kind == self.Kind.THEMATIC or self.with_thematic

    @property
    def minutes_locked(self) -> bool:
        return self.minutes_locked_at is not None

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def duration_minutes(self) -> int | None:
        """Whole minutes from the opening to the close (None before both are recorded)."""
        if self.started_at is None or self.ended_at is None:
            return None
        return int((self.ended_at - self.started_at).total_seconds() // 60)

    @property
    def min_duration_minutes(self) -> int:
        if self.kind == self.Kind.THEMATIC or self.with_thematic:
            return self.ruleset.min_duration_thematic_minutes
        return self.ruleset.min_duration_minutes


class Preparation(models.Model):
    """The cell committee's (chi ủy) preparatory meeting: when, who took part, what was agreed (HD 42:
    content, last month's results, next month's tasks, the points to discuss and vote)."""

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="preparation")
    held_on = models.DateField(_("ngày họp chi ủy"))
    attendees = models.ManyToManyField(Member, verbose_name=_("thành phần dự"), related_name="+", blank=True)
    # The deputy or committee member the secretary assigned to prepare content and the draft resolution.
    preparer = models.ForeignKey(
        Member,
        verbose_name=_("người được phân công chuẩn bị"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decisions = models.TextField(_("nội dung thống nhất"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("họp chi ủy chuẩn bị")
        verbose_name_plural = _("họp chi ủy chuẩn bị")

    def __str__(self) -> str:
        return f"{self.meeting} — {self.held_on:%d/%m/%Y}"


class AgendaItem(models.Model):
    """One point of the order of business, in `position` order. Built from a template per kind of meeting
    (chibo.meetings.agenda) and then edited. `started_at`/`ended_at` record the progression live."""

    class Kind(models.TextChoices):
        OPENING = "opening", _("Khai mạc")
        NEWS = "news", _("Thông tin thời sự, quán triệt văn bản cấp trên")
        THINKING = "thinking", _("Tình hình tư tưởng đảng viên")
        REVIEW = "review", _("Kiểm điểm nghị quyết và nhiệm vụ tháng trước")
        HCM_EXAMPLE = "hcm_example", _("Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh")
        RESIDENTS = "residents", _("Ý kiến, kiến nghị của nhân dân")
        NEXT_TASKS = "next_tasks", _("Nhiệm vụ tháng tới, phân công đảng viên")
        DISCUSSION = "discussion", _("Thảo luận, tự phê bình và phê bình")
        INTRO_PAPER = "intro_paper", _("Đề dẫn chuyên đề")
        CLOSING = "closing", _("Bế mạc")
        OTHER = "other", _("Nội dung khác")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveSmallIntegerField(_("thứ tự"))
    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices, default=Kind.OTHER)
    title = models.CharField(_("nội dung"), max_length=255)
    # What is planned for the point (preparation), then what was said (the minutes).
    notes = models.TextField(_("ghi chú"), blank=True)
    presenter = models.ForeignKey(
        Member, verbose_name=_("người trình bày"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Đề dẫn: written by a member (the presenter), approved by the cell committee before the meeting.
    approved_on = models.DateField(_("chi ủy duyệt ngày"), null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("nội dung chương trình")
        verbose_name_plural = _("chương trình")
        ordering = ["meeting_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "position"], name="agenda_position_unique"),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(started_at__isnull=False, ended_at__gte=models.F("started_at")),
                name="agenda_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"

    @property
    def is_current(self) -> bool:
        return self.started_at is not None and self.ended_at is None


def attachment_path(instance: "Attachment", filename: str) -> str:
    # The stored name is the database id's neighbourhood, never the user's file name (which stays in
    # original_name): user names can carry personal data and path tricks.
    return f"meetings/{instance.meeting_id}/{instance.sha256[:16]}{instance.extension}"


class Attachment(models.Model):
    """A document of the meeting (draft report, draft resolution, đề dẫn, directive...), type checked by
    content (chibo.meetings.files) and at most ATTACHMENT_MAX_BYTES."""

    class Kind(models.TextChoices):
        DRAFT_REPORT = "draft_report", _("Dự thảo báo cáo")
        DRAFT_RESOLUTION = "draft_resolution", _("Dự thảo nghị quyết")
        INTRO_PAPER = "intro_paper", _("Đề dẫn chuyên đề")
        DIRECTIVE = "directive", _("Văn bản cấp trên")
        OTHER = "other", _("Tài liệu khác")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(_("loại tài liệu"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    title = models.CharField(_("tên tài liệu"), max_length=255)
    file = models.FileField(_("tệp"), upload_to=attachment_path, max_length=255)
    original_name = models.CharField(max_length=255)
    extension = models.CharField(max_length=8)  # ".pdf", from the detected type, not the uploaded name
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tài liệu")
        verbose_name_plural = _("tài liệu")
        ordering = ["meeting_id", "uploaded_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(size__gt=0), name="attachment_not_empty"),
        ]

    def __str__(self) -> str:
        return self.title


class Attendance(models.Model):
    """One row per member on the cell's roll when the meeting was opened (chibo.meetings.services.meeting_open).

    `is_official` and `is_exempt` are how the member stood on the meeting day, kept so the minutes and
    later reports do not move when the member becomes official or the exemption ends. Exempt members are
    listed but not counted against the cell (they are not required to attend)."""

    class Status(models.TextChoices):
        UNMARKED = "unmarked", _("Chưa điểm danh")
        PRESENT = "present", _("Có mặt")
        LATE = "late", _("Đến muộn")
        EXCUSED = "excused", _("Vắng có lý do")
        UNEXCUSED = "unexcused", _("Vắng không lý do")

    PRESENT_STATUSES = (Status.PRESENT, Status.LATE)

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="attendances")
    is_official = models.BooleanField(_("chính thức"))
    is_exempt = models.BooleanField(_("miễn sinh hoạt"), default=False)
    status = models.CharField(_("điểm danh"), max_length=12, choices=Status.choices, default=Status.UNMARKED)
    arrived_at = models.TimeField(_("đến lúc"), null=True, blank=True)
    reason = models.CharField(_("lý do vắng"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("điểm danh")
        verbose_name_plural = _("điểm danh")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="attendance_one_per_member"),
            models.CheckConstraint(
                condition=~Q(status="late") | Q(arrived_at__isnull=False), name="attendance_late_has_time"
            ),
            models.CheckConstraint(
                condition=~Q(status="excused") | ~Q(reason=""), name="attendance_excused_has_reason"
            ),
        ]
        indexes = [
            # Serves a member's record (C9) and "absent three months running" (C16).
            models.Index(fields=["member", "meeting"], name="attendance_member"),
        ]

    def __str__(self) -> str:
        return f"{self.member}: {self.get_status_display()}"

    @property
    def is_present(self) -> bool:
        return self.status in self.PRESENT_STATUSES


class Guest(models.Model):
    """Someone present who is not on the cell's roll: invited guests and the upper-level cadre who
    attends (dự sinh hoạt) — the latter flagged `is_supervisor`, with their account when they have one."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="guests")
    name = models.CharField(_("họ và tên"), max_length=120)
    role = models.CharField(_("chức vụ, đơn vị"), max_length=255, blank=True)
    is_supervisor = models.BooleanField(_("cán bộ cấp trên dự sinh hoạt"), default=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="meetings_attended"
    )
    arrived_at = models.TimeField(_("đến lúc"), null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("khách mời")
        verbose_name_plural = _("khách mời")
        ordering = ["meeting_id", "-is_supervisor", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "user"], condition=Q(user__isnull=False), name="guest_user_once_per_meeting"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class SpeakingTurn(models.Model):
    """A turn in the list of speakers: queued (by the secretary, or asked for by the member from their
    phone), speaking (the timer runs from `started_at`), done (with kind and summary for the minutes)."""

    class Kind(models.TextChoices):
        OPINION = "opinion", _("Ý kiến")
        CRITICISM = "criticism", _("Phê bình")
        SELF_CRITICISM = "self_criticism", _("Tự phê bình")
        PROPOSAL = "proposal", _("Đề xuất, kiến nghị")
        EXPLANATION = "explanation", _("Giải trình")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Đang chờ")
        SPEAKING = "speaking", _("Đang phát biểu")
        DONE = "done", _("Đã phát biểu")
        WITHDRAWN = "withdrawn", _("Rút lượt")

    # Turns that count as "the member spoke" for the speakers rule.
    SPOKEN_STATUSES = (Status.SPEAKING, Status.DONE)
    BUSY_STATUSES = (Status.QUEUED, Status.SPEAKING)  # on the list: not offered to be added again

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="turns")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="speaking_turns")
    agenda_item = models.ForeignKey(
        AgendaItem, verbose_name=_("nội dung"), null=True, blank=True, on_delete=models.SET_NULL, related_name="turns"
    )
    kind = models.CharField(_("loại ý kiến"), max_length=16, choices=Kind.choices, default=Kind.OPINION)
    summary = models.TextField(_("tóm tắt"), blank=True)
    position = models.PositiveIntegerField(_("thứ tự"))
    requested_by_member = models.BooleanField(_("đảng viên tự đăng ký"), default=False)
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("lượt phát biểu")
        verbose_name_plural = _("lượt phát biểu")
        ordering = ["meeting_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "position"], name="turn_position_unique"),
            # One speaker at a time.
            models.UniqueConstraint(fields=["meeting"], condition=Q(status="speaking"), name="turn_one_speaking"),
            models.CheckConstraint(
                condition=~Q(status="speaking") | Q(started_at__isnull=False), name="turn_speaking_has_start"
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(started_at__isnull=False, ended_at__gte=models.F("started_at")),
                name="turn_ends_after_start",
            ),
        ]
        indexes = [
            # Serves a member's record (C9) and "members who never speak" (C16).
            models.Index(fields=["member", "meeting"], name="turn_member"),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.member} ({self.get_kind_display()})"

    @property
    def duration_seconds(self) -> int | None:
        if self.started_at is None or self.ended_at is None:
            return None
        return int((self.ended_at - self.started_at).total_seconds())

    @property
    def duration_display(self) -> str:
        """ "4:05" (minutes:seconds), as the per-turn timer shows it."""
        seconds = self.duration_seconds
        return "" if seconds is None else f"{seconds // 60}:{seconds % 60:02d}"


class Vote(models.Model):
    """The show of hands on the resolution (biểu quyết). Only official members present vote; the counts,
    the number of voters and the pass rule are kept as they were, so the result never changes later."""

    class Subject(models.TextChoices):
        RESOLUTION = "resolution", _("Thông qua nghị quyết")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="votes")
    subject = models.CharField(
        _("nội dung biểu quyết"), max_length=16, choices=Subject.choices, default=Subject.RESOLUTION
    )
    votes_for = models.PositiveSmallIntegerField(_("tán thành"))
    votes_against = models.PositiveSmallIntegerField(_("không tán thành"))
    votes_abstain = models.PositiveSmallIntegerField(_("không biểu quyết"))
    voters_present = models.PositiveSmallIntegerField(_("số đảng viên chính thức có mặt"))
    official_required = models.PositiveSmallIntegerField(_("số đảng viên chính thức phải dự"))
    pass_rule = models.CharField(max_length=24, choices=RuleSetVersion.VotePassRule.choices)
    passed = models.BooleanField(_("thông qua"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("biểu quyết")
        verbose_name_plural = _("biểu quyết")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "subject"], name="vote_one_per_subject"),
            models.CheckConstraint(
                condition=Q(votes_for__gte=0, votes_against__gte=0, votes_abstain__gte=0),
                name="vote_counts_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(
                    votes_for__lte=models.F("voters_present") - models.F("votes_against") - models.F("votes_abstain")
                ),
                name="vote_counts_within_voters",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_subject_display()}: {self.votes_for}/{self.votes_against}/{self.votes_abstain}"


class SupervisorRemark(models.Model):
    """Remarks and guidance of someone attending from above (cấp ủy viên phụ trách, cán bộ dự sinh hoạt)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="remarks")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("ý kiến chỉ đạo"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("ý kiến của cán bộ dự sinh hoạt")
        verbose_name_plural = _("ý kiến của cán bộ dự sinh hoạt")
        constraints = [
            # One remark per person per meeting, edited (autosaved) as the meeting goes.
            models.UniqueConstraint(fields=["meeting", "author"], name="remark_one_per_author"),
        ]

    def __str__(self) -> str:
        return f"{self.author}: {self.text[:40]}"
