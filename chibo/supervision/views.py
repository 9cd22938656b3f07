"""Supervision pages (C11): coverage of a committee's cells, its assignments, the rota; the remark panel's
actions (a cadre's flag, the cell's answer). Thin views: scope (chibo.accounts.scope via the selectors) →
form → service → redirect."""

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chibo.accounts.models import User
from chibo.accounts.scope import Perm, has_perm_on
from chibo.core.dates import today
from chibo.core.errors import ChiboError
from chibo.core.pagination import paginate
from chibo.meetings.models import SupervisorRemark
from chibo.meetings.selectors import get_meeting_for_user
from chibo.members.models import Member
from chibo.organizations.models import Organization
from chibo.organizations.selectors import subtree_rows_on
from chibo.supervision import selectors, services
from chibo.supervision.forms import (
    AssignmentForm,
    EndForm,
    RemarkFlagForm,
    RemarkTaskForm,
    ReplyForm,
    RotaForm,
    VisitForm,
)
from chibo.supervision.models import Assignment, RotaPlan, RotaVisit


def _actor(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _committee(request: HttpRequest, perm: Perm = Perm.VIEW_ORG) -> Organization:
    pk = request.GET.get("org") or request.POST.get("org")
    if pk:
        return selectors.get_committee_for_user(request.user, pk, perm)
    first = selectors.committees_of(request.user).first()
    if first is None:
        raise Http404
    if perm != Perm.VIEW_ORG and not has_perm_on(request.user, first, perm):
        raise PermissionDenied
    return first


def _require(request: HttpRequest, org: Organization, perm: Perm) -> None:
    if not has_perm_on(request.user, org, perm):
        raise PermissionDenied(_("Chỉ cán bộ tổ chức của cấp ủy được phân công, lập lịch."))


def _cells(committee: Organization, day: date) -> list[Organization]:
    ids = [
        org_id for org_id, _parent, kind in subtree_rows_on(committee, day, "kind") if kind in Organization.CELL_KINDS
    ]
    return Organization.objects.filter(pk__in=ids).order_by("name")  # type: ignore[return-value]


@login_required
def coverage(request: HttpRequest) -> HttpResponse:
    committee = _committee(request)
    start, end = selectors.parse_quarter(request.GET.get("period"), today())
    report = selectors.coverage(committee, start, end)
    only_overdue = request.GET.get("overdue") == "1"
    cells = report.overdue_cells if only_overdue else report.cells
    context = {
        "committee": committee,
        "committees": selectors.committees_of(request.user),
        "report": report,
        "cells_page": paginate(request, cells),
        "cadres": report.cadres[:200],
        "period": selectors.quarter_label(start),
        "previous": selectors.quarter_label(selectors.quarter_of(start - timedelta(days=1))[0]),
        "next": selectors.quarter_label(end),
        "only_overdue": only_overdue,
        "can_supervise": has_perm_on(request.user, committee, Perm.SUPERVISE),
    }
    return render(request, "supervision/coverage.html", context)


@login_required
def assignments(request: HttpRequest) -> HttpResponse:
    committee = _committee(request)
    can_edit = has_perm_on(request.user, committee, Perm.SUPERVISE)
    form = None
    if can_edit:
        day = today()
        form = AssignmentForm(
            request.POST or None,
            cells=_cells(committee, day),
            initial={"valid_from": day, "kind": Assignment.Kind.COMMITTEE},
        )
    status = 200
    if request.method == "POST":
        _require(request, committee, Perm.SUPERVISE)
        assert form is not None
        if form.is_valid():
            try:
                a = services.assignment_create(actor=_actor(request), committee=committee, **form.cleaned_data)
            except ChiboError as err:
                form.add_service_error(err)
            else:
                messages.success(
                    request, _("Đã phân công %(name)s dự sinh hoạt %(cell)s.") % {"name": a.cadre, "cell": a.cell.name}
                )
                return redirect(f"{reverse('supervision:assignments')}?org={committee.pk}")
        status = 400
    rows = (
        Assignment.objects.filter(committee=committee)
        .select_related("cadre", "cell")
        .order_by("-valid_from", "cell__name", "id")
    )
    context = {
        "committee": committee,
        "page": paginate(request, rows),
        "form": form,
        "end_form": EndForm(initial={"ended_on": today()}) if can_edit else None,
    }
    return render(request, "supervision/assignments.html", context, status=status)


@login_required
@require_POST
def assignment_end(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = get_object_or_404(Assignment.objects.select_related("committee", "cadre"), pk=pk)
    selectors.get_committee_for_user(request.user, assignment.committee_id)  # 404 outside scope
    _require(request, assignment.committee, Perm.SUPERVISE)
    form = EndForm(request.POST)
    try:
        if not form.is_valid():
            raise ChiboError(_("Nhập ngày kết thúc theo dạng dd/mm/yyyy."), field="ended_on")
        services.assignment_end(actor=_actor(request), assignment=assignment, ended_on=form.cleaned_data["ended_on"])
    except ChiboError as err:
        messages.error(request, err.message)
    else:
        messages.success(request, _("Đã kết thúc phân công."))
    return redirect(f"{reverse('supervision:assignments')}?org={assignment.committee_id}")


# --- the rota ----------------------------------------------------------------------------------------------


@login_required
def rota_list(request: HttpRequest) -> HttpResponse:
    committee = _committee(request)
    can_edit = has_perm_on(request.user, committee, Perm.SUPERVISE)
    start, _end = selectors.quarter_of(today())
    form = RotaForm(request.POST or None, initial={"starts_on": start, "months": 3}) if can_edit else None
    status = 200
    if request.method == "POST":
        _require(request, committee, Perm.SUPERVISE)
        assert form is not None
        if form.is_valid():
            try:
                plan = services.rota_propose(actor=_actor(request), committee=committee, **form.cleaned_data)
            except ChiboError as err:
                form.add_service_error(err)
            else:
                return redirect("supervision:rota", plan.pk)
        status = 400
    plans = RotaPlan.objects.filter(committee=committee).order_by("-starts_on", "-id")
    return render(
        request,
        "supervision/rota_list.html",
        {"committee": committee, "page": paginate(request, plans), "form": form},
        status=status,
    )


def _plan_for_user(request: HttpRequest, pk: int) -> RotaPlan:
    plan = get_object_or_404(RotaPlan.objects.select_related("committee"), pk=pk)
    selectors.get_committee_for_user(request.user, plan.committee_id)
    return plan


@login_required
def rota(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan_for_user(request, pk)
    can_edit = has_perm_on(request.user, plan.committee, Perm.SUPERVISE) and plan.status == RotaPlan.Status.DRAFT
    months = [services._month(plan.starts_on, i) for i in range(plan.months)]
    form = None
    if can_edit:
        form = VisitForm(
            request.POST or None,
            cells=_cells(plan.committee, plan.starts_on),
            months=[(m.isoformat(), f"{m:%m/%Y}") for m in months],
        )
    status = 200
    if request.method == "POST":
        _require(request, plan.committee, Perm.SUPERVISE)
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.rota_visit_add(
                    actor=_actor(request),
                    plan=plan,
                    cadre=data["cadre"],
                    cell=data["cell"],
                    month=date.fromisoformat(data["month"]),
                )
            except ChiboError as err:
                form.add_service_error(err)
            else:
                return redirect("supervision:rota", plan.pk)
        status = 400
    visits = plan.visits.select_related("cadre", "cell").order_by("month", "cell__name", "cadre__first_name")
    context = {
        "plan": plan,
        "page": paginate(request, visits),
        "form": form,
        "can_edit": can_edit,
        "warnings": selectors.rota_warnings(plan),
    }
    return render(request, "supervision/rota.html", context, status=status)


@login_required
@require_POST
def rota_visit_remove(request: HttpRequest, pk: int) -> HttpResponse:
    visit = get_object_or_404(RotaVisit.objects.select_related("plan__committee"), pk=pk)
    selectors.get_committee_for_user(request.user, visit.plan.committee_id)
    _require(request, visit.plan.committee, Perm.SUPERVISE)
    try:
        services.rota_visit_remove(actor=_actor(request), visit=visit)
    except ChiboError as err:
        messages.error(request, err.message)
    return redirect("supervision:rota", visit.plan_id)


@login_required
@require_POST
def rota_accept(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan_for_user(request, pk)
    _require(request, plan.committee, Perm.SUPERVISE)
    try:
        services.rota_accept(actor=_actor(request), plan=plan)
    except ChiboError as err:
        messages.error(request, err.message)
    else:
        messages.success(request, _("Đã duyệt lịch dự sinh hoạt."))
    return redirect("supervision:rota", plan.pk)


# --- remarks: the cadre's flag, the cell's answer ---------------------------------------------------------


@login_required
@require_POST
def remark_flag(request: HttpRequest, pk: int) -> HttpResponse:
    """The attending cadre marks their remark as asking the cell to act and answer (or not)."""
    meeting = get_meeting_for_user(request.user, pk)
    remark = SupervisorRemark.objects.filter(meeting=meeting, author=_actor(request)).first()
    form = RemarkFlagForm(request.POST)
    form.is_valid()
    try:
        services.remark_record(
            actor=_actor(request),
            meeting=meeting,
            text=remark.text if remark else "",
            asks_action=form.cleaned_data.get("asks_action", False),
        )
    except ChiboError as err:
        messages.error(request, err.message)
    return redirect("meetings:live", meeting.pk)


@login_required
@require_POST
def remark_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """The cell answers a remark: a reply, or a task of the meeting's resolution."""
    remark = get_object_or_404(SupervisorRemark.objects.select_related("meeting"), pk=pk)
    meeting = get_meeting_for_user(request.user, remark.meeting_id, action="change")
    try:
        if request.POST.get("answer") == "task":
            members = Member.objects.filter(org=meeting.org, left_on__isnull=True)
            form = RemarkTaskForm(request.POST, members=members)
            if not form.is_valid():
                raise ChiboError(_("Nhập nội dung, người thực hiện và hạn (dd/mm/yyyy) của nhiệm vụ."))
            services.remark_answer_with_task(
                actor=_actor(request),
                remark=remark,
                description=form.cleaned_data["description"],
                assignees=list(form.cleaned_data["assignees"]),
                due_on=form.cleaned_data["due_on"],
            )
        else:
            reply = ReplyForm(request.POST)
            services.remark_reply(actor=_actor(request), remark=remark, reply=reply.data.get("reply", ""))
    except ChiboError as err:
        messages.error(request, err.message)
    else:
        messages.success(request, _("Đã ghi trả lời ý kiến chỉ đạo."))
    back = request.POST.get("next", "")
    return redirect(back if back.startswith("/meetings/") else meeting.get_absolute_url())
