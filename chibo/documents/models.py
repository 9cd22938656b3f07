"""Minutes (biên bản) and resolutions (nghị quyết) of a cell meeting (C7), in the Party's format (HD 36-HD/VPTW).

A document is composed from what the meeting recorded (chibo.documents.compose) into a DRAFT whose text
the secretary may edit freely. Signing is by the people the document names: the chair (chủ trì) and the
recorder (thư ký) for minutes, the secretary "T/M CHI BỘ / BÍ THƯ" for a resolution. While some have
signed the document is SIGNED and no longer editable; when all have signed it is LOCKED for good. A
correction after locking is an Amendment (đính chính): who, when, why, which field, before and after. The
field takes the new value, and every amendment is printed at the end of the document, so nothing is
rewritten silently.

The text is a snapshot, not a view of the meeting's rows: a member renamed or a summary corrected later
does not change a signed document.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from chibo.meetings.models import Meeting
from chibo.members.models import Member
from chibo.organizations.models import Organization

# The body's sections, in order, with the heading the document prints. The headings are the document's
# own words and stay Vietnamese whatever the interface language (a Party document is in Vietnamese).
MINUTES_SECTIONS: list[tuple[str, str]] = [
    ("opening", "I. THỜI GIAN, ĐỊA ĐIỂM, THÀNH PHẦN"),
    ("attendance", "II. TÌNH HÌNH ĐẢNG VIÊN DỰ HỌP"),
    ("agenda", "III. NỘI DUNG CUỘC HỌP"),
    ("discussion", "IV. Ý KIẾN THẢO LUẬN"),
    ("conclusion", "V. KẾT LUẬN VÀ BIỂU QUYẾT"),
    ("score", "VI. KẾT QUẢ CHẤM ĐIỂM"),
    ("closing", ""),
]
RESOLUTION_SECTIONS: list[tuple[str, str]] = [
    # Căn cứ: printed in italics above "CHI BỘ QUYẾT NGHỊ", one ground a line.
    ("grounds", ""),
    # Last month's results: printed before "CHI BỘ QUYẾT NGHỊ" (chibo.documents.selectors.BEFORE_CLAUSES).
    ("results", "KẾT QUẢ THÁNG TRƯỚC"),
    ("implementation", "TỔ CHỨC THỰC HIỆN"),
]
# Nơi nhận, printed at the bottom left of either kind.
RECIPIENTS = "recipients"


class MeetingDocument(models.Model):
    class Kind(models.TextChoices):
        MINUTES = "minutes", _("Biên bản")
        RESOLUTION = "resolution", _("Nghị quyết")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Dự thảo")
        SIGNED = "signed", _("Đang ký")
        LOCKED = "locked", _("Đã ký, đã khóa")

    # The symbol after the number, "Số 04-BB/CB": BB biên bản, NQ nghị quyết; CB the issuing chi bộ.
    SYMBOLS = {Kind.MINUTES: "BB/CB", Kind.RESOLUTION: "NQ/CB"}

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("buổi sinh hoạt"), on_delete=models.PROTECT, related_name="documents"
    )
    kind = models.CharField(_("loại văn bản"), max_length=12, choices=Kind.choices)
    # The issuing cell (the meeting's) and the year of issue, kept here so that the number is unique per
    # cell, kind and year in the database.
    org = models.ForeignKey(Organization, verbose_name=_("chi bộ"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("năm"))
    number = models.PositiveSmallIntegerField(_("số"))
    symbol = models.CharField(_("ký hiệu"), max_length=20)
    # The superior organization and the issuing body as they were named on the meeting day.
    superior_name = models.CharField(_("cấp ủy cấp trên"), max_length=200, blank=True)
    issuer_name = models.CharField(_("cơ quan ban hành"), max_length=200)
    place = models.CharField(_("địa danh"), max_length=100)
    issued_on = models.DateField(_("ngày ban hành"))
    subtitle = models.CharField(_("trích yếu"), max_length=255)
    # {section key: text}; keys from MINUTES_SECTIONS / RESOLUTION_SECTIONS and RECIPIENTS. Paragraphs are lines.
    sections = models.JSONField(_("nội dung"), default=dict)
    status = models.CharField(_("trạng thái"), max_length=8, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    locked_at = models.DateTimeField(_("khóa lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("văn bản cuộc họp")
        verbose_name_plural = _("văn bản cuộc họp")
        ordering = ["org_id", "kind", "year", "number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "kind"], name="document_one_per_kind_per_meeting"),
            models.UniqueConstraint(fields=["org", "kind", "year", "number"], name="document_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="document_number_positive"),
            models.CheckConstraint(
                condition=~Q(status="locked") | Q(locked_at__isnull=False), name="document_locked_has_time"
            ),
        ]
        # The unique (org, kind, year, number) index also serves the minutes book: a cell's minutes of a year.

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number_display}"

    def get_absolute_url(self) -> str:
        return reverse("documents:detail", args=[self.pk])

    @property
    def number_display(self) -> str:
        return f"Số {self.number:02d}-{self.symbol}"

    @property
    def is_minutes(self) -> bool:
        return self.kind == self.Kind.MINUTES

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_locked(self) -> bool:
        return self.status == self.Status.LOCKED

    @property
    def section_spec(self) -> list[tuple[str, str]]:
        return MINUTES_SECTIONS if self.is_minutes else RESOLUTION_SECTIONS

    def section(self, key: str) -> str:
        return str(self.sections.get(key, ""))


class ResolutionClause(models.Model):
    """One operative clause (quyết nghị) of a resolution, in `position` order."""

    document = models.ForeignKey(MeetingDocument, on_delete=models.CASCADE, related_name="clauses")
    position = models.PositiveSmallIntegerField(_("thứ tự"))
    text = models.TextField(_("nội dung quyết nghị"))

    class Meta:
        verbose_name = _("điều quyết nghị")
        verbose_name_plural = _("quyết nghị")
        ordering = ["document_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["document", "position"], name="clause_position_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.text[:60]}"


class Signature(models.Model):
    """A signature the document needs: who the document names (member, as the title it prints) and when
    they signed. `on_paper`: the named member has no account, and someone who runs the cell's meetings
    recorded that they signed the paper copy (see chibo.documents.services.document_sign)."""

    class Role(models.TextChoices):
        CHAIR = "chair", _("Chủ trì")
        RECORDER = "recorder", _("Thư ký")
        SECRETARY = "secretary", _("T/M Chi bộ")

    document = models.ForeignKey(MeetingDocument, on_delete=models.CASCADE, related_name="signatures")
    role = models.CharField(_("ký với tư cách"), max_length=10, choices=Role.choices)
    member = models.ForeignKey(Member, verbose_name=_("người ký"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("chức danh"), max_length=40)  # as printed: "CHỦ TRÌ", "THƯ KÝ", "BÍ THƯ"
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    on_paper = models.BooleanField(_("ký trên bản giấy"), default=False)
    signed_at = models.DateTimeField(_("ký lúc"))

    class Meta:
        verbose_name = _("chữ ký")
        verbose_name_plural = _("chữ ký")
        ordering = ["document_id", "signed_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["document", "role"], name="signature_one_per_role"),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.member}"


class Amendment(models.Model):
    """A correction of a locked document (đính chính): the field, its text before and after, who and why.
    Amendments are never edited or deleted; the document cannot be deleted once it has one."""

    document = models.ForeignKey(MeetingDocument, on_delete=models.PROTECT, related_name="amendments")
    field = models.CharField(_("mục"), max_length=40)
    field_label = models.CharField(_("tên mục"), max_length=120)
    before = models.TextField(_("trước khi đính chính"), blank=True)
    after = models.TextField(_("sau khi đính chính"), blank=True)
    reason = models.TextField(_("lý do"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người đính chính"), on_delete=models.PROTECT)
    created_at = models.DateTimeField(_("lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("đính chính")
        verbose_name_plural = _("đính chính")
        ordering = ["document_id", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.field_label} ({self.created_at:%d/%m/%Y})"

    @property
    def author_name(self) -> str:
        """The member's name when the account is a member's, else the account's (select author__member)."""
        author = self.author
        if author.member_id is not None and author.member is not None:
            return f"đồng chí {author.member.full_name}"
        return author.get_full_name() or author.get_username()
