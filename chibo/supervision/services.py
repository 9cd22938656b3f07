"""Every write of supervision (C11): assignments, the follow-up of remarks, the rota. Pages, the API, Celery
tasks, the demo and tests call these and nothing else."""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chibo.accounts.models import Role, RoleGrant, User
from chibo.accounts.scope import forget_grants
from chibo.core.errors import ChiboError
from chibo.core.history import records_actor
from chibo.meetings.models import Meeting, SupervisorRemark
from chibo.members.models import Member
from chibo.organizations.models import Organization
from chibo.organizations.selectors import cell_of_member_on, subtree_rows_on
from chibo.supervision.models import Assignment, RemarkFollowUp, RotaPlan, RotaVisit
from chibo.tasks import services as task_services


def _fmt(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def _cells_under_on(committee: Organization, day: date) -> set[int]:
    return {
        org_id for org_id, _parent, kind in subtree_rows_on(committee, day, "kind") if kind in Organization.CELL_KINDS
    }


def _is_own_member(committee: Organization, cadre: User, day: date) -> bool:
    """A member of the committee's own body: holds a role at the committee itself, or is on the roll of one
    of its cells (cấp ủy viên are members of its party organization)."""
    if RoleGrant.objects.active_on(day).filter(user=cadre, org=committee).exists():
        return True
    if cadre.member_id is None:
        return False
    cell = cell_of_member_on(cadre.member, day)  # type: ignore[arg-type]
    return cell is not None and any(row[0] == cell.pk for row in subtree_rows_on(committee, day))


def _overlapping(cadre: User, cell: Organization, valid_from: date, valid_to: date | None, exclude: int | None = None):  # type: ignore[no-untyped-def]
    qs = Assignment.objects.filter(cadre=cadre, cell=cell).exclude(valid_to__lte=valid_from)
    if valid_to is not None:
        qs = qs.filter(valid_from__lt=valid_to)
    return qs.exclude(pk=exclude) if exclude else qs


@records_actor
@transaction.atomic
def assignment_create(
    *,
    actor: User | None,
    committee: Organization,
    cadre: User,
    cell: Organization,
    title: str,
    valid_from: date,
    valid_to: date | None = None,
    kind: str = Assignment.Kind.COMMITTEE,
) -> Assignment:
    """Phân công: the committee assigns a cadre to follow a cell from `valid_from` (until before `valid_to`)."""
    if committee.is_cell:
        raise ChiboError(_("Chỉ cấp ủy cấp trên mới phân công cán bộ dự sinh hoạt chi bộ."), field="committee")
    if not cell.is_cell:
        raise ChiboError(_("Chọn một chi bộ."), field="cell")
    if kind not in Assignment.Kind.values:
        raise ChiboError(_("Thành phần không hợp lệ."), field="kind")
    title = (title or "").strip()
    if not title:
        raise ChiboError(_("Ghi chức vụ, đơn vị của cán bộ (in trong biên bản)."), field="title")
    if valid_to is not None and valid_to <= valid_from:
        raise ChiboError(_("Ngày kết thúc phải sau ngày bắt đầu."), field="valid_to")
    if not cadre.is_active:
        raise ChiboError(_("Tài khoản của cán bộ đã bị khóa."), field="cadre")
    if cell.pk not in _cells_under_on(committee, valid_from):
        raise ChiboError(
            _("%(cell)s không thuộc %(committee)s vào ngày %(day)s: chỉ phân công dự sinh hoạt các chi bộ trực thuộc.")
            % {"cell": cell.name, "committee": committee.name, "day": _fmt(valid_from)},
            field="cell",
        )
    if kind == Assignment.Kind.COMMITTEE and not _is_own_member(committee, cadre, valid_from):
        raise ChiboError(
            _(
                "Đồng chí %(name)s không phải cấp ủy viên, cán bộ của %(committee)s; nếu là lãnh đạo ban, ngành, "
                "đoàn thể, chọn thành phần đó."
            )
            % {"name": cadre.get_full_name() or cadre.username, "committee": committee.name},
            field="cadre",
        )
    User.objects.select_for_update().filter(pk=cadre.pk).first()  # serialise two assignments of one cadre
    clash = _overlapping(cadre, cell, valid_from, valid_to).first()
    if clash is not None:
        until = _fmt(clash.valid_to) if clash.valid_to else _("nay")
        raise ChiboError(
            _("Đồng chí %(name)s đã được phân công dự sinh hoạt %(cell)s từ %(start)s đến %(end)s: thời gian bị trùng.")
            % {
                "name": cadre.get_full_name() or cadre.username,
                "cell": cell.name,
                "start": _fmt(clash.valid_from),
                "end": until,
            },
            field="valid_from",
        )
    assignment = Assignment.objects.create(
        committee=committee,
        cadre=cadre,
        cell=cell,
        kind=kind,
        title=title[:255],
        valid_from=valid_from,
        valid_to=valid_to,
        created_by=actor,
    )
    # The grant that lets the cadre see the cell and receive its notices for the period; an open grant of
    # the same role already held there (given by hand before assignments existed) covers it.
    held = RoleGrant.objects.filter(user=cadre, org=cell, role=Role.SUPERVISOR, valid_to__isnull=True).exists()
    if not (held and valid_to is None):
        assignment.grant = RoleGrant.objects.create(
            user=cadre, org=cell, role=Role.SUPERVISOR, valid_from=valid_from, valid_to=valid_to, granted_by=actor
        )
        assignment.save(update_fields=["grant"])
    forget_grants(cadre)
    return assignment


@records_actor
@transaction.atomic
def assignment_end(*, actor: User | None, assignment: Assignment, ended_on: date) -> Assignment:
    """The cadre stops following the cell from `ended_on` (the history keeps the period)."""
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if ended_on <= assignment.valid_from:
        raise ChiboError(
            _("Ngày kết thúc phải sau ngày bắt đầu phân công (%(day)s).") % {"day": _fmt(assignment.valid_from)},
            field="ended_on",
        )
    if assignment.valid_to is not None and assignment.valid_to <= ended_on:
        raise ChiboError(_("Phân công đã kết thúc từ %(day)s.") % {"day": _fmt(assignment.valid_to)}, field="ended_on")
    assignment.valid_to, assignment.ended_by = ended_on, actor
    assignment.save(update_fields=["valid_to", "ended_by"])
    if assignment.grant_id:
        RoleGrant.objects.filter(pk=assignment.grant_id).update(valid_to=ended_on)
    forget_grants(assignment.cadre)
    return assignment


# --- remarks and their answers ---------------------------------------------------------------------------


def _follow_up(remark: SupervisorRemark) -> RemarkFollowUp:
    follow_up, _created = RemarkFollowUp.objects.select_for_update().get_or_create(remark=remark)
    return follow_up


@records_actor
@transaction.atomic
def remark_record(*, actor: User, meeting: Meeting, text: str, asks_action: bool) -> SupervisorRemark:
    """The attending cadre's remarks and guidance (from their phone, during or after the meeting), and whether
    they ask the cell to act and answer. The meeting's own rule refuses someone not attending, a locked record."""
    from chibo.meetings.services import remark_save

    remark = remark_save(actor=actor, meeting=meeting, text=text)
    follow_up = _follow_up(remark)
    if follow_up.asks_action != asks_action:
        follow_up.asks_action = asks_action
        follow_up.save(update_fields=["asks_action"])
    return remark


def _require_answerable(follow_up: RemarkFollowUp) -> None:
    if not follow_up.asks_action:
        raise ChiboError(_("Ý kiến này không đề nghị chi bộ trả lời."))


@records_actor
@transaction.atomic
def remark_reply(*, actor: User | None, remark: SupervisorRemark, reply: str) -> RemarkFollowUp:
    """The cell answers a remark that asks for action with a reply (what it did, or why not)."""
    follow_up = _follow_up(remark)
    _require_answerable(follow_up)
    reply = (reply or "").strip()
    if not reply:
        raise ChiboError(_("Nhập nội dung trả lời."), field="reply")
    follow_up.reply, follow_up.answered_by, follow_up.answered_at = reply, actor, timezone.now()
    follow_up.save(update_fields=["reply", "answered_by", "answered_at"])
    return follow_up


@records_actor
@transaction.atomic
def remark_answer_with_task(
    *, actor: User | None, remark: SupervisorRemark, description: str, assignees: list[Member], due_on: date | None
) -> RemarkFollowUp:
    """The cell answers a remark by giving a task of the meeting's resolution (chibo.tasks); the task's own
    progress then says whether the remark was acted on."""
    follow_up = _follow_up(remark)
    _require_answerable(follow_up)
    if follow_up.task_id is not None:
        raise ChiboError(_("Ý kiến này đã được giao thành nhiệm vụ."))
    task = task_services.task_create(
        actor=actor, meeting=remark.meeting, description=description, assignees=assignees, due_on=due_on
    )
    follow_up.task, follow_up.answered_by, follow_up.answered_at = task, actor, timezone.now()
    follow_up.save(update_fields=["task", "answered_by", "answered_at"])
    return follow_up


# --- reminders (Celery beat, chibo.supervision.tasks) ---------------------------------------------------


def coverage_reminders_send(*, day: date | None = None) -> int:
    """Tell the cadres who follow a cell, and the committee, when the cell has gone without an upper-level
    attendee for longer than the rule set allows (once per cell and quarter). Returns notices created."""
    from chibo.notices.models import Notice
    from chibo.notices.services import topic_notices_send, user_recipient
    from chibo.supervision.selectors import committee_officers, coverage, in_force, quarter_of

    day = day or timezone.localdate()
    start, end = quarter_of(day)
    active = Assignment.objects.filter(in_force(day, day + timedelta(days=1)))
    sent = 0
    for committee in Organization.objects.filter(pk__in=active.values("committee_id")).order_by("pk"):
        report = coverage(committee, start, end, today=day)
        if not report.overdue_cells:
            continue
        officers = [user_recipient(u) for u in committee_officers(committee, day)]
        followers: dict[int, list[User]] = {}
        for a in active.filter(committee=committee).select_related("cadre__member"):
            followers.setdefault(a.cell_id, []).append(a.cadre)
        for row in report.overdue_cells:
            since = _fmt(row.since) if row.since else "?"
            subject = f"Chưa có cấp trên dự sinh hoạt: {row.name}"
            body = (
                f"{row.name} chưa có cán bộ cấp trên dự sinh hoạt từ {since} ({row.days_without} ngày; "
                f"quy định của {committee.name}: không quá {report.gap_days} ngày). Đề nghị bố trí dự buổi "
                "sinh hoạt gần nhất của chi bộ."
            )
            recipients = [user_recipient(u) for u in followers.get(row.cell_id, [])] + officers
            q = (start.month - 1) // 3 + 1
            sent += topic_notices_send(
                kind=Notice.Kind.SUPERVISION,
                topic=f"gap:{row.cell_id}:{start.year}Q{q}",
                recipients=recipients,
                subject=subject,
                body=body,
            )
    return sent


# --- the rota ----------------------------------------------------------------------------------------------


def _month(start: date, i: int) -> date:
    return date(start.year + (start.month - 1 + i) // 12, (start.month - 1 + i) % 12 + 1, 1)


@records_actor
@transaction.atomic
def rota_propose(
    *,
    actor: User | None,
    committee: Organization,
    starts_on: date,
    months: int = 3,
    max_per_month: int | None = None,
    doubles: dict[int, int] | None = None,
) -> RotaPlan:
    """A proposed rota for the committee's cells from `starts_on` (a month's first day) for `months` months:
    the cadres assigned in that period, each cell's own cadres and its committee's others as candidates,
    cells with falling attendance first. Saved as a draft with its cost and the solver's bound."""
    from chibo.rules.selectors import ruleset_for
    from chibo.supervision.rota import RotaInput, plan_rota
    from chibo.supervision.selectors import falling_cells, in_force

    if starts_on.day != 1:
        raise ChiboError(_("Lịch bắt đầu từ ngày đầu tháng."), field="starts_on")
    if not 1 <= months <= 12:
        raise ChiboError(_("Số tháng của lịch phải từ 1 đến 12."), field="months")
    end = _month(starts_on, months)
    k = max_per_month if max_per_month is not None else ruleset_for(committee, starts_on).rota_max_visits_per_month
    if not 1 <= k <= 31:
        raise ChiboError(_("Số buổi tối đa mỗi tháng của một cán bộ phải từ 1 đến 31."), field="max_per_month")
    nodes = subtree_rows_on(committee, starts_on, "kind")
    parent_of = {org_id: parent for org_id, parent, kind in nodes if kind in Organization.CELL_KINDS}
    if not parent_of:
        raise ChiboError(_("Cấp ủy này không có chi bộ trực thuộc trong kỳ."), field="committee")
    assignments = list(
        Assignment.objects.filter(cell_id__in=parent_of)
        .filter(in_force(starts_on, end))
        .values_list("cadre_id", "cell_id")
    )
    by_parent: dict[int | None, set[int]] = {}
    for cadre_id, cell_id in assignments:
        by_parent.setdefault(parent_of[cell_id], set()).add(cadre_id)
    candidates = {cell: sorted(by_parent.get(parent, set())) for cell, parent in parent_of.items()}
    data = RotaInput(
        cells=sorted(parent_of),
        cadres=sorted({c for c, _cell in assignments}),
        months=months,
        max_per_month=k,
        candidates=candidates,
        assigned=frozenset(assignments),
        priority=falling_cells(set(parent_of), starts_on, within=committee),
        doubles=doubles or {},
    )
    result = plan_rota(data)
    plan = RotaPlan.objects.create(
        committee=committee,
        starts_on=starts_on,
        months=months,
        max_per_month=k,
        cost=result.cost,
        bound=result.bound,
        solver_status=result.status,
        solve_seconds=round(result.seconds, 3),
        created_by=actor,
    )
    _insert_visits(plan, [(c, cell, _month(starts_on, m)) for c, cell, m in result.visits])
    return plan


def _insert_visits(plan: RotaPlan, visits: list[tuple[int, int, date]]) -> None:
    """A province's draft has 25,000 visits: one executemany rather than a model instance per row (the rows
    are those bulk_create would write; RotaVisit has no defaults or signals to miss)."""
    from django.db import connection

    table = connection.ops.quote_name(RotaVisit._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in ("plan_id", "cadre_id", "cell_id", "month"))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s, %s)",  # noqa: S608 - names from the model
            [(plan.pk, c, cell, month) for c, cell, month in visits],
        )


def _draft(plan: RotaPlan) -> RotaPlan:
    plan = RotaPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != RotaPlan.Status.DRAFT:
        raise ChiboError(_("Lịch đã được duyệt, không sửa được; hãy lập lịch mới."))
    return plan


@records_actor
@transaction.atomic
def rota_visit_add(*, actor: User | None, plan: RotaPlan, cadre: User, cell: Organization, month: date) -> RotaVisit:
    """The committee adds a visit to the draft (the planner's rules are then warnings: rota_warnings)."""
    plan = _draft(plan)
    months = [_month(plan.starts_on, i) for i in range(plan.months)]
    if month not in months:
        raise ChiboError(_("Tháng này không thuộc kỳ của lịch."), field="month")
    if cell.pk not in _cells_under_on(plan.committee, plan.starts_on):
        raise ChiboError(
            _("%(cell)s không thuộc %(committee)s.") % {"cell": cell.name, "committee": plan.committee.name},
            field="cell",
        )
    visit, created = RotaVisit.objects.get_or_create(plan=plan, cadre=cadre, cell=cell, month=month)
    if not created:
        raise ChiboError(_("Buổi này đã có trong lịch."), field="cell")
    return visit


@records_actor
@transaction.atomic
def rota_visit_remove(*, actor: User | None, visit: RotaVisit) -> None:
    _draft(visit.plan)
    visit.delete()


@records_actor
@transaction.atomic
def rota_accept(*, actor: User | None, plan: RotaPlan) -> RotaPlan:
    plan = _draft(plan)
    plan.status, plan.accepted_by, plan.accepted_at = RotaPlan.Status.ACCEPTED, actor, timezone.now()
    plan.save(update_fields=["status", "accepted_by", "accepted_at"])
    return plan
