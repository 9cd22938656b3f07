"""Every write of the directives register (C12): registering a directive for a subtree, recording where each
cell disseminated it, and the reminders before the deadline."""

import hashlib
from collections.abc import Iterable
from datetime import date, timedelta

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chibo.accounts.models import User
from chibo.core.errors import ChiboError
from chibo.core.history import records_actor
from chibo.directives.models import Directive, DirectiveTarget, Dissemination
from chibo.meetings import files
from chibo.meetings.models import Attendance, Meeting
from chibo.members.models import Member
from chibo.organizations.models import Organization
from chibo.organizations.selectors import subtree_rows_on


def _fmt(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def cells_targeted(target: Organization, day: date) -> dict[int, int | None]:
    """The cells of the subtree under `target` as the tree stood on `day` (the directive's date), each with
    its parent committee on that day."""
    return {
        org_id: parent
        for org_id, parent, kind in subtree_rows_on(target, day, "kind")
        if kind in Organization.CELL_KINDS
    }


@records_actor
@transaction.atomic
def directive_register(
    *,
    actor: User | None,
    target: Organization,
    number: str,
    issued_on: date,
    issuer: str,
    summary: str,
    deadline: date,
    kind: str = Directive.Kind.DIRECTIVE,
    upload: UploadedFile | None = None,
) -> Directive:
    """Register a document from above for the cells under `target` on its date, with the deadline to disseminate."""
    number, issuer, summary = (number or "").strip(), (issuer or "").strip(), (summary or "").strip()
    if not number:
        raise ChiboError(_("Nhập số và ký hiệu văn bản (ví dụ 45-CT/TW)."), field="number")
    if kind not in Directive.Kind.values:
        raise ChiboError(_("Loại văn bản không hợp lệ."), field="kind")
    if not issuer:
        raise ChiboError(_("Nhập cơ quan ban hành."), field="issuer")
    if not summary:
        raise ChiboError(_("Nhập trích yếu nội dung."), field="summary")
    if issued_on > timezone.localdate():
        raise ChiboError(_("Ngày ban hành không được ở tương lai."), field="issued_on")
    if deadline < issued_on:
        raise ChiboError(
            _("Hạn quán triệt (%(deadline)s) không được trước ngày ban hành (%(day)s).")
            % {"deadline": _fmt(deadline), "day": _fmt(issued_on)},
            field="deadline",
        )
    if target.is_cell:
        raise ChiboError(_("Chọn đảng bộ, cấp ủy chỉ đạo quán triệt (không phải một chi bộ)."), field="target")
    if Directive.objects.filter(number__iexact=number, issued_on=issued_on, target=target).exists():
        raise ChiboError(
            _("Văn bản %(number)s ngày %(day)s đã có trong sổ của %(org)s.")
            % {"number": number, "day": _fmt(issued_on), "org": target.name},
            field="number",
        )
    cells = cells_targeted(target, issued_on)
    if not cells:
        raise ChiboError(
            _("Ngày %(day)s, %(org)s không có chi bộ trực thuộc nào để quán triệt.")
            % {"day": _fmt(issued_on), "org": target.name},
            field="issued_on",
        )
    directive = Directive(
        kind=kind,
        number=number[:40],
        issued_on=issued_on,
        issuer=issuer[:255],
        summary=summary,
        target=target,
        deadline=deadline,
        created_by=actor,
    )
    if upload is not None:
        _attach(directive, upload)
    try:
        directive.save()
    except Exception:
        if directive.file:
            directive.file.delete(save=False)  # no orphan file when the row is refused
        raise
    DirectiveTarget.objects.bulk_create(
        [DirectiveTarget(directive=directive, cell_id=c, parent_id=p) for c, p in cells.items()]
    )
    return directive


def _attach(directive: Directive, upload: UploadedFile) -> None:
    name, size = upload.name or "", upload.size or 0
    filetype = files.check_upload(upload, name=name, size=size)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    directive.sha256, directive.extension = digest.hexdigest(), filetype.extension
    directive.content_type, directive.original_name = filetype.content_type, name[:255]
    upload.seek(0)
    directive.file.save(name, upload, save=False)


def _locked(meeting: Meeting) -> bool:
    return meeting.status == Meeting.Status.CLOSED and meeting.minutes_locked


@records_actor
@transaction.atomic
def dissemination_record(
    *,
    actor: User | None,
    directive: Directive,
    meeting: Meeting,
    presenter: Member | None = None,
    members_present: Iterable[Member] | None = None,
) -> Dissemination:
    """Quán triệt: the cell disseminated the directive at this meeting, presented by `presenter`, to the members
    present (by default, everyone the meeting's attendance marks present). One action; refused for a cell the
    directive does not target, a meeting not held or being held, or one whose minutes are locked."""
    meeting = Meeting.objects.select_for_update().select_related("org").get(pk=meeting.pk)
    target = DirectiveTarget.objects.select_for_update().filter(directive=directive, cell_id=meeting.org_id).first()
    if target is None:
        raise ChiboError(
            _("%(label)s không giao cho %(cell)s quán triệt (theo cơ cấu tổ chức ngày %(day)s).")
            % {"label": directive.label, "cell": meeting.org.name, "day": _fmt(directive.issued_on)},
            field="meeting",
        )
    if meeting.status not in (Meeting.Status.OPEN, Meeting.Status.CLOSED):
        raise ChiboError(_("Chỉ ghi quán triệt ở buổi sinh hoạt đang họp hoặc đã họp."), field="meeting")
    if _locked(meeting):
        raise ChiboError(_("Biên bản buổi họp đã ký và khóa: không ghi thêm việc quán triệt."), field="meeting")
    if meeting.scheduled_date < directive.issued_on:
        raise ChiboError(
            _("Buổi họp ngày %(day)s diễn ra trước khi văn bản được ban hành (%(issued)s).")
            % {"day": _fmt(meeting.scheduled_date), "issued": _fmt(directive.issued_on)},
            field="meeting",
        )
    done = Dissemination.objects.filter(target=target).select_related("meeting").first()
    if done is not None:
        raise ChiboError(
            _("%(cell)s đã quán triệt văn bản này tại buổi họp ngày %(day)s.")
            % {"cell": meeting.org.name, "day": _fmt(done.meeting.scheduled_date)},
            field="meeting",
        )
    rows = list(meeting.attendances.select_related("member"))
    present_ids = {r.member_id for r in rows if r.status in Attendance.PRESENT_STATUSES}
    if members_present is None:
        present = [r.member for r in rows if r.member_id in present_ids]
    else:
        present = list({m.pk: m for m in members_present}.values())
        strangers = [m.full_name for m in present if m.pk not in present_ids]
        if strangers:
            raise ChiboError(
                _("Không có mặt tại buổi họp: %(names)s.") % {"names": ", ".join(strangers)}, field="members_present"
            )
    if presenter is not None and presenter.pk not in present_ids:
        raise ChiboError(
            _("Người quán triệt %(name)s không có mặt tại buổi họp.") % {"name": presenter.full_name},
            field="presenter",
        )
    dissemination = Dissemination.objects.create(
        target=target,
        meeting=meeting,
        presenter=presenter,
        held_on=meeting.scheduled_date,
        present_count=len(present),
        required_count=sum(1 for r in rows if not r.is_exempt),
        recorded_by=actor,
    )
    dissemination.members_present.set(present)
    return dissemination


@records_actor
@transaction.atomic
def dissemination_undo(*, actor: User | None, dissemination: Dissemination) -> None:
    """A dissemination recorded at the wrong meeting is removed while that meeting's minutes are not locked."""
    if _locked(dissemination.meeting):
        raise ChiboError(_("Biên bản buổi họp đã ký và khóa: không sửa việc quán triệt."))
    dissemination.delete()


def deadline_reminders_send(*, day: date | None = None) -> int:
    """Before a directive's deadline (rule set: directive_reminder_days), remind each targeted cell not yet
    done — its secretaries and committee, through the notices — and the directing committee's officers once
    per directive. Once each, whatever the number of runs. Returns notices created."""
    from chibo.accounts.models import Role, RoleGrant
    from chibo.notices.models import Notice
    from chibo.notices.services import topic_notices_send, user_recipient
    from chibo.rules.selectors import ruleset_for

    day = day or timezone.localdate()
    sent = 0
    for directive in Directive.objects.filter(deadline__gte=day, issued_on__lte=day).select_related("target"):
        lead = ruleset_for(directive.target, day).directive_reminder_days
        if directive.deadline - timedelta(days=lead) > day:
            continue
        pending = list(
            DirectiveTarget.objects.filter(directive=directive, dissemination__isnull=True).select_related("cell")
        )
        if not pending:
            continue
        cells = {t.cell_id: t.cell for t in pending}
        grants = (
            RoleGrant.objects.active_on(day)
            .filter(org_id__in=cells, role__in=[Role.CELL_COMMITTEE], user__is_active=True)
            .select_related("user__member")
        )
        by_cell: dict[int, list[User]] = {}
        for g in grants:
            by_cell.setdefault(g.org_id, []).append(g.user)
        when = _fmt(directive.deadline)
        for t in pending:
            sent += topic_notices_send(
                kind=Notice.Kind.DIRECTIVE,
                topic=f"directive:{t.pk}",
                recipients=[user_recipient(u) for u in by_cell.get(t.cell_id, [])],
                subject=f"Nhắc quán triệt {directive.label}"[:255],
                body=f"{t.cell.name} chưa ghi nhận quán triệt {directive.label} ({directive.summary[:200]}); "
                f"hạn quán triệt: {when}.",
            )
        officers = (
            RoleGrant.objects.active_on(day)
            .filter(org=directive.target, role__in=[Role.OFFICER, Role.ADMIN], user__is_active=True)
            .select_related("user__member")
        )
        names = ", ".join(sorted(c.name for c in cells.values()))
        sent += topic_notices_send(
            kind=Notice.Kind.DIRECTIVE,
            topic=f"directive-committee:{directive.pk}",
            recipients=[user_recipient(g.user) for g in officers],
            subject=f"{len(cells)} chi bộ chưa quán triệt {directive.label}"[:255],
            body=f"Đến hạn {when}, các chi bộ chưa ghi nhận quán triệt {directive.label}: {names}.",
        )
    return sent
