"""Writes of commitments (C10): register (or correct before review), note progress, review at year's end."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chibo.accounts.models import User
from chibo.commitments.models import Commitment, ProgressNote
from chibo.core.dates import today
from chibo.core.errors import ChiboError
from chibo.core.history import records_actor
from chibo.members.models import Member

# The year-end review (tổng kết) opens on 1 November of the year, when cells start their yearly reviews
# (QĐ 366 reviews at the year's end). A local committee may want it later; then it belongs in the rule set.
REVIEW_OPENS_MONTH = 11


def review_is_open(year: int) -> bool:
    """Whether the year-end review of `year`'s commitments may be recorded today."""
    now = today()
    return year < now.year or (year == now.year and now.month >= REVIEW_OPENS_MONTH)


@records_actor
@transaction.atomic
def commitment_register(*, actor: User | None, member: Member, year: int | None, content: str = "") -> Commitment:
    """Register this year's (or next year's) commitments, or correct them until they are reviewed."""
    this_year = today().year
    if year is None:
        raise ChiboError(_("Chọn năm đăng ký."), field="year")
    if year < this_year:
        raise ChiboError(_("Không đăng ký cho năm đã qua (%(y)s).") % {"y": year}, field="year")
    if year > this_year + 1:
        raise ChiboError(_("Chỉ đăng ký cho năm nay hoặc năm tới."), field="year")
    if member.left_on is not None:
        raise ChiboError(_("%(name)s không còn trong danh sách chi bộ.") % {"name": member.full_name})
    lines = [line.strip() for line in (content or "").splitlines() if line.strip()]
    if not lines:
        raise ChiboError(_("Ghi ít nhất một nội dung đăng ký cụ thể."), field="content")
    existing = Commitment.objects.select_for_update().filter(member=member, year=year).first()
    if existing is not None and existing.is_reviewed:
        raise ChiboError(_("Bản đăng ký năm %(y)s đã được đánh giá, không sửa được.") % {"y": year})
    if existing is not None:
        existing.content = "\n".join(lines)
        existing.save(update_fields=["content", "updated_at"])
        return existing
    return Commitment.objects.create(
        member=member, org_id=member.org_id, year=year, content="\n".join(lines), registered_by=actor
    )


@records_actor
@transaction.atomic
def progress_note_add(*, actor: User | None, commitment: Commitment, text: str = "") -> ProgressNote:
    commitment = Commitment.objects.select_for_update().get(pk=commitment.pk)
    if commitment.is_reviewed:
        raise ChiboError(_("Bản đăng ký đã được đánh giá cuối năm, không ghi thêm."))
    if commitment.year > today().year:
        raise ChiboError(_("Năm %(y)s chưa bắt đầu.") % {"y": commitment.year})
    text = (text or "").strip()
    if not text:
        raise ChiboError(_("Ghi kết quả đã thực hiện."), field="text")
    return ProgressNote.objects.create(commitment=commitment, text=text, author=actor)


@records_actor
@transaction.atomic
def commitment_review(
    *, actor: User | None, commitment: Commitment, level: str | None, comment: str = ""
) -> Commitment:
    """The cell committee's year-end evaluation: a level and a comment. Once reviewed, the level may be
    corrected by the committee; the commitments themselves no longer change."""
    commitment = Commitment.objects.select_for_update().get(pk=commitment.pk)
    if not review_is_open(commitment.year):
        raise ChiboError(
            _("Đánh giá bản đăng ký năm %(y)s khi tổng kết cuối năm, từ ngày 01/%(m)02d/%(y)s.")
            % {"y": commitment.year, "m": REVIEW_OPENS_MONTH}
        )
    if level not in Commitment.Level.values:
        raise ChiboError(_("Chọn mức đánh giá."), field="level")
    comment = (comment or "").strip()
    if not comment:
        raise ChiboError(_("Ghi nhận xét của chi ủy."), field="comment")
    commitment.status, commitment.level, commitment.review_comment = Commitment.Status.REVIEWED, level, comment
    commitment.reviewed_by, commitment.reviewed_at = actor, timezone.now()
    commitment.save(update_fields=["status", "level", "review_comment", "reviewed_by", "reviewed_at", "updated_at"])
    return commitment
