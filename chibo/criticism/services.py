"""Writes of criticism records and their follow-ups. Recorded at a meeting that was held (open or closed)
and whose minutes are not locked yet."""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from chibo.accounts.models import User
from chibo.core.errors import ChiboError
from chibo.criticism.models import CriticismRecord, FollowUp
from chibo.meetings.models import Attendance, Meeting, SpeakingTurn
from chibo.members.models import Member
from chibo.tasks.selectors import held_on, record_locked


def _require_held_and_unlocked(meeting: Meeting) -> None:
    if meeting.status not in (Meeting.Status.OPEN, Meeting.Status.CLOSED):
        raise ChiboError(_("Chỉ ghi phê bình, tự phê bình tại buổi sinh hoạt đang họp hoặc đã họp."))
    if record_locked(meeting):
        raise ChiboError(_("Biên bản buổi họp đã ký và khóa: không ghi thêm được; hãy lập đính chính biên bản."))


def _check_turn(turn: SpeakingTurn, meeting: Meeting, member: Member, kind: str) -> None:
    if turn.meeting_id != meeting.pk:
        raise ChiboError(_("Lượt phát biểu không thuộc buổi họp này."), field="turn")
    if kind == CriticismRecord.Kind.SELF_CRITICISM:
        if turn.kind != SpeakingTurn.Kind.SELF_CRITICISM or turn.member_id != member.pk:
            raise ChiboError(_("Tự phê bình phải gắn với lượt tự phê bình của chính đảng viên đó."), field="turn")
    elif turn.kind != SpeakingTurn.Kind.CRITICISM:
        raise ChiboError(_("Phê bình phải gắn với một lượt phát biểu loại phê bình."), field="turn")


@transaction.atomic
def criticism_record(
    *,
    actor: User | None,
    meeting: Meeting,
    member: Member | None,
    kind: str | None,
    content: str = "",
    commitment: str = "",
    turn: SpeakingTurn | None = None,
    fix_by: date | None = None,
) -> CriticismRecord:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _require_held_and_unlocked(meeting)
    if member is None:
        raise ChiboError(_("Chọn đảng viên."), field="member")
    if kind not in CriticismRecord.Kind.values:
        raise ChiboError(_("Chọn hình thức: phê bình hoặc tự phê bình."), field="kind")
    on_list = Attendance.objects.filter(meeting=meeting, member=member).exists()
    if member.org_id != meeting.org_id and not on_list:
        raise ChiboError(_("%(name)s không thuộc chi bộ.") % {"name": member.full_name}, field="member")
    content, commitment = (content or "").strip(), (commitment or "").strip()
    if not content:
        raise ChiboError(_("Ghi khuyết điểm, hạn chế được nêu."), field="content")
    if not commitment:
        raise ChiboError(_("Ghi điều đảng viên hứa khắc phục."), field="commitment")
    if fix_by is not None and fix_by < held_on(meeting):
        raise ChiboError(_("Hạn khắc phục không được trước ngày họp."), field="fix_by")
    if turn is not None:
        _check_turn(turn, meeting, member, kind)
    return CriticismRecord.objects.create(
        org_id=meeting.org_id,
        meeting=meeting,
        member=member,
        kind=kind,
        turn=turn,
        content=content,
        commitment=commitment,
        fix_by=fix_by,
        created_by=actor,
    )


@transaction.atomic
def follow_up_record(
    *, actor: User | None, record: CriticismRecord, meeting: Meeting | None, progress: str | None, note: str = ""
) -> FollowUp:
    """At a later meeting of the same cell: kept, partly, or not kept. Kept closes the record."""
    record = CriticismRecord.objects.select_for_update().select_related("meeting").get(pk=record.pk)
    if meeting is None:
        raise ChiboError(_("Chọn buổi sinh hoạt theo dõi."), field="meeting")
    if meeting.org_id != record.org_id:
        raise ChiboError(_("Buổi sinh hoạt không thuộc chi bộ đã ghi phê bình."), field="meeting")
    if meeting.scheduled_date <= record.meeting.scheduled_date:
        raise ChiboError(_("Theo dõi tại một buổi sinh hoạt sau buổi đã ghi phê bình."), field="meeting")
    _require_held_and_unlocked(meeting)
    if progress not in FollowUp.Progress.values:
        raise ChiboError(_("Chọn kết quả khắc phục."), field="progress")
    if FollowUp.objects.filter(record=record, meeting=meeting).exists():
        raise ChiboError(_("Đã ghi theo dõi tại buổi sinh hoạt này."), field="meeting")
    follow_up = FollowUp.objects.create(
        record=record, meeting=meeting, progress=progress, note=(note or "").strip(), created_by=actor
    )
    status = CriticismRecord.Status.RESOLVED if progress == FollowUp.Progress.KEPT else CriticismRecord.Status.OPEN
    if record.status != status:
        record.status = status
        record.save(update_fields=["status"])
    return follow_up
