"""Every write to a meeting, its preparation (C5) and its live record (C6). Pages, the API, commands and
tests call these functions and nothing else.

State changes lock the meeting row (`select_for_update`), so two recorders working on one meeting at
once are serialised: neither loses an entry, queue positions never collide, and nothing is recorded
on a meeting that another request has just closed. Counts are never stored; they are read from the
rows (chibo.meetings.selectors), so there is no counter to lose an update.
"""

import hashlib
from collections.abc import Iterable, Mapping
from datetime import date, datetime, time

from django.apps import apps
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import ForeignKey, Max, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from chibo.accounts.models import User
from chibo.core.dates import today
from chibo.core.errors import ChiboError
from chibo.core.history import records_actor
from chibo.meetings import agenda, files
from chibo.meetings.models import (
    AgendaItem,
    Attachment,
    Attendance,
    Guest,
    Meeting,
    Preparation,
    SpeakingTurn,
    SupervisorRemark,
    Vote,
)
from chibo.meetings.selectors import closing_shortfalls, live_totals, vote_passes
from chibo.members.models import Exemption, Member
from chibo.organizations.selectors import member_ids_on_roll

# --- guards ------------------------------------------------------------------------------------------


_LOCK_SQL = f'UPDATE "{Meeting._meta.db_table}" SET "live_version" = "live_version" + 1 WHERE "id" = %s RETURNING *'  # noqa: S608


def _lock(meeting: Meeting) -> Meeting:
    """The meeting re-read under a row lock: its status is then the one every other writer sees.

    Taking the lock is also the change mark every write to a meeting makes: one statement adds one to
    `live_version` (the version members' phones poll, see chibo.meetings.live) and returns the row, locked
    until the transaction ends; a write that is refused rolls the mark back with it. Relations the caller
    had read (cell, rule set, officers) are kept when they are still the meeting's, so they cost no query."""
    locked = next(iter(Meeting.objects.raw(_LOCK_SQL, [meeting.pk])), None)
    if locked is None:
        raise Meeting.DoesNotExist
    for name in ("org", "ruleset", "chair", "recorder"):
        field = Meeting._meta.get_field(name)
        assert isinstance(field, ForeignKey)
        if field.is_cached(meeting) and getattr(meeting, field.attname) == getattr(locked, field.attname):
            field.set_cached_value(locked, field.get_cached_value(meeting))
    return locked


def _require_planned(meeting: Meeting) -> None:
    if meeting.status == Meeting.Status.CANCELLED:
        raise ChiboError(_("Buổi sinh hoạt đã bị hủy."))
    if meeting.status == Meeting.Status.CLOSED:
        raise ChiboError(_("Buổi sinh hoạt đã kết thúc, không thể sửa phần chuẩn bị."))


def _require_open(meeting: Meeting) -> None:
    if meeting.status == Meeting.Status.PLANNED:
        raise ChiboError(_("Buổi sinh hoạt chưa khai mạc."))
    if meeting.status != Meeting.Status.OPEN:
        raise ChiboError(_("Buổi sinh hoạt đã kết thúc hoặc đã hủy: không ghi nhận thêm."))


def _require_record_editable(meeting: Meeting) -> None:
    """Summaries and remarks may still be completed after the close, until the minutes are signed and
    locked (C7); later corrections are the documents app's amendments."""
    if meeting.status not in (Meeting.Status.OPEN, Meeting.Status.CLOSED):
        raise ChiboError(_("Buổi sinh hoạt chưa khai mạc hoặc đã hủy."))
    if meeting.status == Meeting.Status.CLOSED and meeting.minutes_locked:
        raise ChiboError(_("Biên bản đã ký và khóa, không sửa được; hãy lập đính chính."))


def record_is_editable(meeting: Meeting) -> bool:
    """Whether summaries and remarks may still be changed (see _require_record_editable)."""
    if meeting.status == Meeting.Status.OPEN:
        return True
    try:
        _require_record_editable(meeting)
    except ChiboError:
        return False
    return True


def _now_local_time() -> time:
    return timezone.localtime().time().replace(microsecond=0)


def _roll_member(meeting: Meeting, member: Member, *, present: bool = False) -> Attendance:
    row = Attendance.objects.filter(meeting=meeting, member=member).first()
    if row is None:
        raise ChiboError(_("%(name)s không có trong danh sách đảng viên của buổi họp.") % {"name": member.full_name})
    if present and not row.is_present:
        raise ChiboError(_("%(name)s chưa được điểm danh có mặt.") % {"name": member.full_name}, field="member")
    return row


# --- preparation (C5) ----------------------------------------------------------------------------------


@records_actor
@transaction.atomic
def preparation_record(
    *,
    actor: User | None,
    meeting: Meeting,
    held_on: date,
    attendees: Iterable[Member],
    decisions: str,
    preparer: Member | None = None,
) -> Preparation:
    """Record (or correct) the cell committee's preparatory meeting."""
    meeting = _lock(meeting)
    _require_planned(meeting)
    if held_on > today():
        raise ChiboError(_("Ngày họp chi ủy không được ở tương lai."), field="held_on")
    if held_on > meeting.scheduled_date:
        raise ChiboError(_("Chi ủy phải họp chuẩn bị trước ngày sinh hoạt."), field="held_on")
    attendees = list(attendees)
    strangers = [m.full_name for m in attendees if m.org_id != meeting.org_id]
    if strangers:
        raise ChiboError(_("Không thuộc chi bộ: %(names)s.") % {"names": ", ".join(strangers)}, field="attendees")
    prep, _created = Preparation.objects.update_or_create(
        meeting=meeting,
        defaults={"held_on": held_on, "decisions": decisions.strip(), "preparer": preparer, "recorded_by": actor},
    )
    prep.attendees.set(attendees)
    return prep


@records_actor
@transaction.atomic
def draft_resolution_save(*, actor: User | None, meeting: Meeting, text: str) -> Meeting:
    """Autosaved from the preparation page; editable until the meeting closes (the vote is on it)."""
    meeting = _lock(meeting)
    _require_planned(meeting)
    meeting.draft_resolution = text
    meeting.draft_resolution_updated_at = timezone.now()
    meeting.save(update_fields=["draft_resolution", "draft_resolution_updated_at", "updated_at"])
    return meeting


@records_actor
@transaction.atomic
def agenda_from_template(*, actor: User | None, meeting: Meeting, replace: bool = False) -> list[AgendaItem]:
    """Copy the order of business for the meeting's kind. An agenda already set is kept unless `replace`."""
    meeting = _lock(meeting)
    _require_planned(meeting)
    existing = meeting.agenda_items.all()
    if existing.filter(started_at__isnull=False).exists():
        raise ChiboError(_("Chương trình đã bắt đầu, không thể lập lại."))
    if existing.exists():
        if not replace:
            raise ChiboError(_("Buổi họp đã có chương trình; chọn “lập lại” để thay bằng chương trình mẫu."))
        existing.delete()
    return AgendaItem.objects.bulk_create(
        AgendaItem(meeting=meeting, position=i, kind=kind, title=title, notes=agenda.notes_for(meeting, kind))
        for i, (kind, title) in enumerate(agenda.template_for(meeting), start=1)
    )


@records_actor
@transaction.atomic
def agenda_item_add(
    *, actor: User | None, meeting: Meeting, title: str, kind: str = AgendaItem.Kind.OTHER
) -> AgendaItem:
    """A point added in preparation goes before the closing point (bế mạc stays last); move it from there."""
    meeting = _lock(meeting)
    _require_planned(meeting)
    if not title.strip():
        raise ChiboError(_("Nhập nội dung."), field="title")
    last = meeting.agenda_items.order_by("-position").first()
    if last is None:
        return AgendaItem.objects.create(meeting=meeting, position=1, kind=kind, title=title.strip())
    if last.kind != AgendaItem.Kind.CLOSING or kind == AgendaItem.Kind.CLOSING:
        return AgendaItem.objects.create(meeting=meeting, position=last.position + 1, kind=kind, title=title.strip())
    # The closing point moves down one place (through a free position: (meeting, position) is unique).
    position = last.position
    AgendaItem.objects.filter(pk=last.pk).update(position=position + 1)
    return AgendaItem.objects.create(meeting=meeting, position=position, kind=kind, title=title.strip())


@records_actor
@transaction.atomic
def agenda_item_update(
    *,
    actor: User | None,
    item: AgendaItem,
    title: str,
    notes: str = "",
    presenter: Member | None = None,
    approved_on: date | None = None,
) -> AgendaItem:
    meeting = _lock(item.meeting)
    _require_planned(meeting)
    if not title.strip():
        raise ChiboError(_("Nhập nội dung."), field="title")
    if presenter is not None and presenter.org_id != meeting.org_id:
        raise ChiboError(_("Người trình bày phải là đảng viên của chi bộ."), field="presenter")
    if approved_on is not None and approved_on > today():
        raise ChiboError(_("Ngày duyệt không được ở tương lai."), field="approved_on")
    item.title, item.notes, item.presenter, item.approved_on = title.strip(), notes, presenter, approved_on
    item.save(update_fields=["title", "notes", "presenter", "approved_on"])
    return item


@records_actor
@transaction.atomic
def agenda_item_move(*, actor: User | None, item: AgendaItem, up: bool) -> None:
    """Swap with the neighbour above or below (a no-op at either end)."""
    meeting = _lock(item.meeting)
    _require_planned(meeting)
    item.refresh_from_db()
    siblings = meeting.agenda_items.exclude(pk=item.pk)
    other = (
        siblings.filter(position__lt=item.position).order_by("-position").first()
        if up
        else siblings.filter(position__gt=item.position).order_by("position").first()
    )
    if other is None:
        return
    # Through a free position, because (meeting, position) is unique and checked row by row.
    mine, theirs = item.position, other.position
    AgendaItem.objects.filter(pk=item.pk).update(position=32000)
    AgendaItem.objects.filter(pk=other.pk).update(position=mine)
    AgendaItem.objects.filter(pk=item.pk).update(position=theirs)


@records_actor
@transaction.atomic
def agenda_item_delete(*, actor: User | None, item: AgendaItem) -> None:
    meeting = _lock(item.meeting)
    _require_planned(meeting)
    if item.started_at is not None:
        raise ChiboError(_("Nội dung đã được tiến hành, không xóa được."))
    item.delete()


@records_actor
@transaction.atomic
def attachment_add(
    *, actor: User | None, meeting: Meeting, upload: UploadedFile, title: str = "", kind: str = Attachment.Kind.OTHER
) -> Attachment:
    """Attach a document after checking its size and its type by content (chibo.meetings.files)."""
    meeting = _lock(meeting)
    if meeting.status == Meeting.Status.CANCELLED:
        raise ChiboError(_("Buổi sinh hoạt đã bị hủy."))
    name, size = upload.name or "", upload.size or 0
    filetype = files.check_upload(upload, name=name, size=size)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    attachment = Attachment(
        meeting=meeting,
        kind=kind,
        title=(title or name).strip()[:255],
        original_name=name[:255],
        extension=filetype.extension,
        content_type=filetype.content_type,
        size=size,
        sha256=digest.hexdigest(),
        uploaded_by=actor,
    )
    upload.seek(0)
    attachment.file.save(name, upload, save=False)
    try:
        attachment.save()
    except Exception:
        attachment.file.delete(save=False)  # no orphan file when the row is refused
        raise
    return attachment


@records_actor
@transaction.atomic
def attachment_delete(*, actor: User | None, attachment: Attachment) -> None:
    meeting = _lock(attachment.meeting)
    if meeting.status != Meeting.Status.PLANNED:
        raise ChiboError(_("Chỉ xóa tài liệu trước khi khai mạc."))
    stored = attachment.file
    attachment.delete()
    transaction.on_commit(lambda: stored.delete(save=False))


# --- the live meeting (C6) -----------------------------------------------------------------------------


def _roll_rows(meeting: Meeting, day: date) -> list[Attendance]:
    """One row per member on the cell's roll on `day`, with status and exemption as they stood then."""
    member_ids = member_ids_on_roll([meeting.org_id], day).values("member_id")
    members = Member.objects.filter(pk__in=member_ids).only("pk", "official_on")
    exempt = set(
        Exemption.objects.filter(member_id__in=member_ids, scope=Exemption.Scope.WORK_AND_MEETINGS, started_on__lte=day)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=day))
        .values_list("member_id", flat=True)
    )
    return [
        Attendance(
            meeting=meeting,
            member=m,
            is_official=m.official_on is not None and m.official_on <= day,
            is_exempt=m.pk in exempt,
        )
        for m in members
    ]


@records_actor
@transaction.atomic
def meeting_open(
    *,
    actor: User | None,
    meeting: Meeting,
    chair: Member | None = None,
    recorder: Member | None = None,
    started_at: datetime | None = None,
) -> Meeting:
    """Khai mạc: once, on or after the planned day, with a chair and a recorder (two different members of
    the cell); the roll of that day becomes the attendance list."""
    meeting = _lock(meeting)
    if meeting.status == Meeting.Status.OPEN:
        raise ChiboError(_("Buổi sinh hoạt đã khai mạc rồi."))
    if meeting.status != Meeting.Status.PLANNED:
        raise ChiboError(_("Chỉ khai mạc được buổi sinh hoạt đang ở trạng thái đã lên lịch."))
    started_at = started_at or timezone.now()
    day = timezone.localdate(started_at)
    if day < meeting.scheduled_date:
        raise ChiboError(
            _("Chưa đến ngày họp (%(day)s); muốn họp sớm hãy đổi ngày họp trước.")
            % {"day": meeting.scheduled_date.strftime("%d/%m/%Y")}
        )
    _check_officers(meeting, chair, recorder)
    Attendance.objects.bulk_create(_roll_rows(meeting, day))
    meeting.status, meeting.started_at = Meeting.Status.OPEN, started_at
    meeting.chair, meeting.recorder = chair, recorder
    meeting.save(update_fields=["status", "started_at", "chair", "recorder", "updated_at"])
    first = meeting.agenda_items.order_by("position").first()
    if first is not None:
        AgendaItem.objects.filter(pk=first.pk).update(started_at=started_at)
    return meeting


def _check_officers(meeting: Meeting, chair: Member | None, recorder: Member | None) -> None:
    """Chủ trì and thư ký: both named, two different members of the cell (checked before anything is saved)."""
    if chair is None:
        raise ChiboError(_("Chọn đồng chí chủ trì."), field="chair")
    if recorder is None:
        raise ChiboError(_("Chọn đồng chí thư ký."), field="recorder")
    if chair.pk == recorder.pk:
        raise ChiboError(_("Chủ trì và thư ký phải là hai đồng chí khác nhau."), field="recorder")
    for who, field in ((chair, "chair"), (recorder, "recorder")):
        if who.org_id != meeting.org_id:
            raise ChiboError(_("%(name)s không thuộc chi bộ.") % {"name": who.full_name}, field=field)


@records_actor
@transaction.atomic
def meeting_officers_set(
    *, actor: User | None, meeting: Meeting, chair: Member | None, recorder: Member | None
) -> Meeting:
    """Chủ trì and thư ký, appointed at the opening and changeable while the meeting runs."""
    meeting = _lock(meeting)
    _require_open(meeting)
    _check_officers(meeting, chair, recorder)
    for who in (chair, recorder):
        _roll_member(meeting, who)  # type: ignore[arg-type]
    meeting.chair, meeting.recorder = chair, recorder
    meeting.save(update_fields=["chair", "recorder", "updated_at"])
    return meeting


@records_actor
@transaction.atomic
def attendance_record(
    *,
    actor: User | None,
    meeting: Meeting,
    member: Member,
    status: str,
    reason: str = "",
    arrived_at: time | None = None,
    row: Attendance | None = None,
) -> Attendance:
    """One tap per member. Late takes the arrival time (now, unless given); excused needs a reason.

    `row` is the member's row as the caller already read it (the live page does, for its answer): a mark
    rewrites the row's mark fields whole and the rest of a row never changes once the roll is made, so
    reading it before the lock loses nothing and saves a query."""
    meeting = _lock(meeting)
    _require_open(meeting)
    if row is None or row.meeting_id != meeting.pk or row.member_id != member.pk:
        row = _roll_member(meeting, member)
    _mark(row, status, reason, arrived_at, actor)
    row.save(update_fields=MARK_FIELDS)
    return row


MARK_FIELDS = ["status", "reason", "arrived_at", "recorded_by", "recorded_at"]


def _mark(row: Attendance, status: str, reason: str, arrived_at: time | None, actor: User | None) -> None:
    """The rules of one mark, whether given one by one or all at once."""
    if status not in Attendance.Status.values or status == Attendance.Status.UNMARKED:
        raise ChiboError(_("Trạng thái điểm danh không hợp lệ."), field="status")
    reason = reason.strip()
    if status == Attendance.Status.EXCUSED and not reason:
        raise ChiboError(_("Ghi lý do vắng của %(name)s.") % {"name": row.member.full_name}, field="reason")
    row.status = status
    row.reason = reason if status in (Attendance.Status.EXCUSED, Attendance.Status.UNEXCUSED) else ""
    row.arrived_at = (arrived_at or _now_local_time()) if status == Attendance.Status.LATE else None
    row.recorded_by, row.recorded_at = actor, timezone.now()


@records_actor
@transaction.atomic
def attendance_record_all(
    *, actor: User | None, meeting: Meeting, absent: Mapping[int, tuple[str, str]] | None = None
) -> int:
    """ "Everyone else is here": the members named in `absent` (member id → status, reason) are marked as
    given, every other member required to attend and still unmarked is marked present, with the rules of
    attendance_record. Returns how many rows were marked."""
    meeting = _lock(meeting)
    _require_open(meeting)
    rows = {r.member_id: r for r in meeting.attendances.select_related("member")}
    absent = absent or {}
    marked = []
    for member_id, (status, reason) in absent.items():
        if member_id not in rows:
            raise ChiboError(_("Đảng viên không có trong danh sách của buổi họp."), field="member")
        _mark(rows[member_id], status, reason, None, actor)
        marked.append(rows[member_id])
    for member_id, row in rows.items():
        if member_id not in absent and not row.is_exempt and row.status == Attendance.Status.UNMARKED:
            _mark(row, Attendance.Status.PRESENT, "", None, actor)
            marked.append(row)
    Attendance.objects.bulk_update(marked, MARK_FIELDS)
    return len(marked)


@records_actor
@transaction.atomic
def attendance_mark_rest_present(*, actor: User | None, meeting: Meeting) -> int:
    """ "Mọi người có mặt": every member required to attend who is not marked yet is marked present in one
    tap (then the secretary marks only the exceptions). Exempt members stay as they are. Returns how many."""
    meeting = _lock(meeting)
    _require_open(meeting)
    return meeting.attendances.filter(is_exempt=False, status=Attendance.Status.UNMARKED).update(
        status=Attendance.Status.PRESENT, reason="", arrived_at=None, recorded_by=actor, recorded_at=timezone.now()
    )


@records_actor
@transaction.atomic
def guest_add(
    *,
    actor: User | None,
    meeting: Meeting,
    name: str = "",
    role: str = "",
    is_supervisor: bool = False,
    user: User | None = None,
) -> Guest:
    """A guest present; `user` is the account of an upper-level cadre checking themselves in."""
    meeting = _lock(meeting)
    _require_open(meeting)
    name = (name or (user.get_full_name() or user.username if user else "")).strip()
    if not name:
        raise ChiboError(_("Nhập họ và tên khách mời."), field="name")
    if user is not None and user.member_id and meeting.attendances.filter(member_id=user.member_id).exists():
        raise ChiboError(_("Đảng viên của chi bộ được điểm danh, không ghi là khách mời."))
    if user is not None and meeting.guests.filter(user=user).exists():
        raise ChiboError(_("%(name)s đã được ghi nhận có mặt.") % {"name": name})
    return Guest.objects.create(
        meeting=meeting,
        name=name[:120],
        role=role.strip()[:255],
        is_supervisor=is_supervisor,
        user=user,
        arrived_at=_now_local_time(),
        added_by=actor,
    )


@records_actor
@transaction.atomic
def guest_remove(*, actor: User | None, guest: Guest) -> None:
    meeting = _lock(guest.meeting)
    _require_open(meeting)
    guest.delete()


@records_actor
@transaction.atomic
def agenda_advance(*, actor: User | None, meeting: Meeting) -> AgendaItem | None:
    """End the current point and start the next; returns the new current point (None after the last)."""
    meeting = _lock(meeting)
    _require_open(meeting)
    now = timezone.now()
    items = list(meeting.agenda_items.order_by("position"))
    if not items:
        raise ChiboError(_("Buổi họp chưa có chương trình."))
    current = next((i for i in items if i.is_current), None)
    upcoming = next((i for i in items if i.started_at is None), None)
    if current is None and upcoming is None:
        raise ChiboError(_("Đã hết chương trình."))
    if current is not None:
        current.ended_at = now
        current.save(update_fields=["ended_at"])
    if upcoming is not None:
        upcoming.started_at = now
        upcoming.save(update_fields=["started_at"])
    return upcoming


def _next_position(meeting: Meeting) -> int:
    # Safe because the caller holds the meeting's row lock.
    return (meeting.turns.aggregate(m=Max("position"))["m"] or 0) + 1


def _current_item_id(meeting: Meeting) -> int | None:
    return (
        meeting.agenda_items.filter(started_at__isnull=False, ended_at__isnull=True)
        .values_list("pk", flat=True)
        .first()
    )


@records_actor
@transaction.atomic
def speaker_request(*, actor: User, meeting: Meeting) -> SpeakingTurn:
    """A member asks to speak from their own phone; the turn joins the end of the queue."""
    meeting = _lock(meeting)
    _require_open(meeting)
    if actor.member is None:
        raise ChiboError(_("Tài khoản chưa gắn với đảng viên nào."))
    _roll_member(meeting, actor.member, present=True)
    if meeting.turns.filter(member=actor.member, status=SpeakingTurn.Status.QUEUED).exists():
        raise ChiboError(_("Bạn đã đăng ký phát biểu, xin chờ đến lượt."))
    return SpeakingTurn.objects.create(
        meeting=meeting,
        member=actor.member,
        position=_next_position(meeting),
        requested_by_member=True,
        agenda_item_id=_current_item_id(meeting),
        created_by=actor,
    )


@records_actor
@transaction.atomic
def speaker_add(
    *, actor: User | None, meeting: Meeting, member: Member, kind: str = SpeakingTurn.Kind.OPINION
) -> SpeakingTurn:
    """The secretary puts a member present on the list of speakers."""
    meeting = _lock(meeting)
    _require_open(meeting)
    _roll_member(meeting, member, present=True)
    if kind not in SpeakingTurn.Kind.values:
        raise ChiboError(_("Loại ý kiến không hợp lệ."), field="kind")
    return SpeakingTurn.objects.create(
        meeting=meeting,
        member=member,
        kind=kind,
        position=_next_position(meeting),
        agenda_item_id=_current_item_id(meeting),
        created_by=actor,
    )


@records_actor
@transaction.atomic
def speaker_record(
    *,
    actor: User | None,
    meeting: Meeting,
    member: Member,
    started_at: datetime,
    ended_at: datetime,
    kind: str = SpeakingTurn.Kind.OPINION,
    summary: str = "",
) -> SpeakingTurn:
    """A turn taken down whole, once spoken (the recorder keeping the list on paper and typing it in
    while the meeting runs): the same checks as putting a member on the list, start before end, not in
    the future."""
    meeting = _lock(meeting)
    _require_open(meeting)
    _roll_member(meeting, member, present=True)
    if kind not in SpeakingTurn.Kind.values:
        raise ChiboError(_("Loại ý kiến không hợp lệ."), field="kind")
    if ended_at < started_at or ended_at > timezone.now() or (meeting.started_at and started_at < meeting.started_at):
        raise ChiboError(_("Thời gian phát biểu không hợp lệ."), field="started_at")
    return SpeakingTurn.objects.create(
        meeting=meeting,
        member=member,
        kind=kind,
        summary=summary,
        position=_next_position(meeting),
        status=SpeakingTurn.Status.DONE,
        started_at=started_at,
        ended_at=ended_at,
        agenda_item_id=_current_item_id(meeting),
        created_by=actor,
    )


def _finish(turn: SpeakingTurn, now: datetime) -> None:
    turn.status, turn.ended_at = SpeakingTurn.Status.DONE, now
    turn.save(update_fields=["status", "ended_at", "kind", "summary", "updated_at"])


@records_actor
@transaction.atomic
def turn_start(*, actor: User | None, turn: SpeakingTurn) -> SpeakingTurn:
    """Give the floor; whoever was speaking is finished first (one speaker at a time)."""
    meeting = _lock(turn.meeting)
    _require_open(meeting)
    turn.refresh_from_db()
    if turn.status != SpeakingTurn.Status.QUEUED:
        raise ChiboError(_("Lượt phát biểu này không còn trong hàng chờ."))
    now = timezone.now()
    for speaking in meeting.turns.filter(status=SpeakingTurn.Status.SPEAKING):
        _finish(speaking, now)
    turn.status, turn.started_at = SpeakingTurn.Status.SPEAKING, now
    turn.agenda_item_id = turn.agenda_item_id or _current_item_id(meeting)
    turn.save(update_fields=["status", "started_at", "agenda_item", "updated_at"])
    return turn


@records_actor
@transaction.atomic
def turn_finish(
    *, actor: User | None, turn: SpeakingTurn, kind: str | None = None, summary: str | None = None
) -> SpeakingTurn:
    meeting = _lock(turn.meeting)
    _require_open(meeting)
    turn.refresh_from_db()
    if turn.status != SpeakingTurn.Status.SPEAKING:
        raise ChiboError(_("Đảng viên này không đang phát biểu."))
    _apply_text(turn, kind, summary)
    _finish(turn, timezone.now())
    return turn


def _apply_text(turn: SpeakingTurn, kind: str | None, summary: str | None) -> None:
    if kind is not None:
        if kind not in SpeakingTurn.Kind.values:
            raise ChiboError(_("Loại ý kiến không hợp lệ."), field="kind")
        turn.kind = kind
    if summary is not None:
        turn.summary = summary


@records_actor
@transaction.atomic
def turn_update(
    *, actor: User | None, turn: SpeakingTurn, kind: str | None = None, summary: str | None = None
) -> SpeakingTurn:
    """Autosave of the kind and summary, during the turn or afterwards (until the minutes are signed)."""
    _require_record_editable(_lock(turn.meeting))  # the members' phones show the summary
    turn = SpeakingTurn.objects.select_for_update().get(pk=turn.pk)
    _apply_text(turn, kind, summary)
    turn.save(update_fields=["kind", "summary", "updated_at"])
    return turn


@records_actor
@transaction.atomic
def turn_withdraw(*, actor: User | None, turn: SpeakingTurn) -> SpeakingTurn:
    meeting = _lock(turn.meeting)
    _require_open(meeting)
    turn.refresh_from_db()
    if turn.status != SpeakingTurn.Status.QUEUED:
        raise ChiboError(_("Chỉ rút được lượt đang chờ."))
    turn.status = SpeakingTurn.Status.WITHDRAWN
    turn.save(update_fields=["status", "updated_at"])
    return turn


@records_actor
@transaction.atomic
def vote_record(
    *, actor: User | None, meeting: Meeting, votes_for: int, votes_against: int, votes_abstain: int
) -> Vote:
    """Biểu quyết on the resolution: only official members present vote. Whether it passes is decided by
    the pass rule alone; attendance below the rule set's threshold is a quality criterion (warned about and
    scored), never a reason to refuse the vote. Recording again replaces the previous count (a recount)."""
    meeting = _lock(meeting)
    _require_open(meeting)
    totals = live_totals(meeting)
    if min(votes_for, votes_against, votes_abstain) < 0:
        raise ChiboError(_("Số phiếu không được âm."), field="votes_for")
    if votes_for + votes_against + votes_abstain > totals.voters:
        raise ChiboError(
            _("Tổng số biểu quyết (%(sum)s) vượt số đảng viên chính thức có mặt (%(voters)s).")
            % {"sum": votes_for + votes_against + votes_abstain, "voters": totals.voters},
            field="votes_for",
        )
    rule = meeting.ruleset.vote_pass_rule
    vote = Vote(
        meeting=meeting,
        subject=Vote.Subject.RESOLUTION,
        votes_for=votes_for,
        votes_against=votes_against,
        votes_abstain=votes_abstain,
        voters_present=totals.voters,
        official_required=totals.official_required,
        pass_rule=rule,
        passed=vote_passes(
            rule, votes_for=votes_for, voters_present=totals.voters, official_required=totals.official_required
        ),
        recorded_by=actor,
    )
    # One statement whether first recorded or recounted (the meeting's lock serialises recorders).
    Vote.objects.bulk_create(
        [vote], update_conflicts=True, unique_fields=["meeting", "subject"], update_fields=VOTE_FIELDS
    )
    vote.totals = totals  # type: ignore[attr-defined]  # the count it was decided on: the page shows it, unread again
    return vote


VOTE_FIELDS = [
    "votes_for",
    "votes_against",
    "votes_abstain",
    "voters_present",
    "official_required",
    "pass_rule",
    "passed",
    "recorded_by",
    "recorded_at",
]


@records_actor
@transaction.atomic
def remark_save(*, actor: User, meeting: Meeting, text: str) -> SupervisorRemark:
    """The remark of someone attending from above; a member of the cell's own roll cannot leave one."""
    meeting = _lock(meeting)
    _require_record_editable(meeting)
    if actor.member_id and meeting.attendances.filter(member_id=actor.member_id).exists():
        raise ChiboError(_("Chỉ cán bộ cấp trên dự sinh hoạt mới ghi ý kiến chỉ đạo."))
    # Attending from above is the meeting's record of it (chibo.supervision.selectors.upper_guests).
    if not meeting.guests.filter(user=actor, is_supervisor=True).exists():
        raise ChiboError(
            _("Đồng chí chưa được ghi nhận dự buổi sinh hoạt này: hãy điểm danh có mặt trước khi ghi ý kiến.")
        )
    remark, _created = SupervisorRemark.objects.update_or_create(meeting=meeting, author=actor, defaults={"text": text})
    return remark


@records_actor
@transaction.atomic
def meeting_close(*, actor: User | None, meeting: Meeting, ended_at: datetime | None = None) -> Meeting:
    """Bế mạc: every member required to attend must have been marked; the current point and speaker are
    ended, waiting requests withdrawn. What falls short (duration, attendance, speakers...) never refuses
    the close: the page shows it first and asks for confirmation, and it is kept with the record
    (`closing_shortfalls`, in Vietnamese like the minutes) for the score, proposed right after (C14)."""
    meeting = _lock(meeting)
    if meeting.status != Meeting.Status.OPEN:
        raise ChiboError(_("Chỉ bế mạc được buổi sinh hoạt đang họp."))
    # Exempt members are not required: left unmarked, they simply did not come.
    unmarked = meeting.attendances.filter(status=Attendance.Status.UNMARKED, is_exempt=False).count()
    if unmarked:
        raise ChiboError(_("Còn %(n)s đảng viên chưa điểm danh.") % {"n": unmarked})
    ended_at = ended_at or timezone.now()
    assert meeting.started_at is not None
    if ended_at < meeting.started_at:
        raise ChiboError(_("Giờ kết thúc phải sau giờ bắt đầu."), field="ended_at")
    meeting.agenda_items.filter(started_at__isnull=False, ended_at__isnull=True).update(ended_at=ended_at)
    meeting.turns.filter(status=SpeakingTurn.Status.SPEAKING).update(
        status=SpeakingTurn.Status.DONE, ended_at=ended_at, updated_at=ended_at
    )
    meeting.turns.filter(status=SpeakingTurn.Status.QUEUED).update(status=SpeakingTurn.Status.WITHDRAWN)
    with translation.override("vi"):
        shortfalls = [s.as_dict() for s in closing_shortfalls(meeting, at=ended_at)]
    meeting.status, meeting.ended_at = Meeting.Status.CLOSED, ended_at
    meeting.closing_shortfalls, meeting.closed_by = shortfalls, actor
    meeting.save(update_fields=["status", "ended_at", "closing_shortfalls", "closed_by", "updated_at"])
    if apps.is_installed("chibo.quality"):
        # Imported here: the quality app is built on this one (it reads the closed record).
        from chibo.quality.services import score_propose

        score_propose(actor=actor, meeting=meeting)
    return meeting
