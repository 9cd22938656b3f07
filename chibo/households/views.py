"""Household pages (C13). A plain member sees the households in their charge and logs what happens there;
the cell committee and the levels above see the cell's households, plan and adjust who is in charge,
import and export.

Access: a cell outside the user's LIST_MEMBERS scope, or a household outside households_visible_to(), is
404; managing (import, plan, assign, the area) needs EDIT_MEMBERS on the cell, else 403.
"""

from datetime import date
from io import BytesIO
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chibo.accounts.models import User
from chibo.accounts.scope import (
    Perm,
    get_household_for_user,
    get_org_for_user,
    households_visible_to,
    in_charge_of,
    liaison_events_visible_to,
    may_manage_households,
    orgs_with,
)
from chibo.audit.models import AccessLog
from chibo.audit.services import record_access
from chibo.core.dates import today
from chibo.core.errors import ChiboError
from chibo.core.pagination import paginate
from chibo.households import excel, selectors, services
from chibo.households.forms import (
    ApplyForm,
    AreaForm,
    AssignForm,
    EventForm,
    HomeForm,
    HouseholdForm,
    ImportForm,
    NotifiedForm,
    PlanForm,
)
from chibo.households.models import Area, Assignment, AssignmentPlan, Household, HouseholdQuerySet, LiaisonEvent
from chibo.meetings.models import Meeting
from chibo.members.models import Member
from chibo.members.services import member_set_home
from chibo.organizations.models import Organization

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _actor(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # every page here is behind @login_required
    return request.user


def _cell(request: HttpRequest, *, manage: bool = False) -> Organization:
    """The cell of `?org=` (else the user's own), which the user may see the households of: 404 outside;
    with `manage`, 403 unless they edit its members."""
    pk: str | int | None = request.GET.get("org") or request.POST.get("org")
    if not pk:
        actor = _actor(request)
        if actor.member is None:
            raise Http404
        pk = actor.member.org_id
    cell = get_org_for_user(request.user, pk, Perm.LIST_MEMBERS)  # type: ignore[arg-type]
    if not cell.is_cell:
        raise Http404
    if manage and not may_manage_households(request.user, cell):
        raise PermissionDenied
    return cell


def _household(request: HttpRequest, pk: int, *, manage: bool = False) -> Household:
    household = get_household_for_user(request.user, pk)
    if manage and not may_manage_households(request.user, household.cell):
        raise PermissionDenied
    return household


def _form_page(request: HttpRequest, form: Any, *, title: str, back: str, **extra: Any) -> HttpResponse:
    status = 400 if request.method == "POST" and form.errors else 200
    return render(request, "households/form.html", {"form": form, "title": title, "back": back, **extra}, status=status)


def _xlsx(data: bytes, name: str) -> FileResponse:
    return FileResponse(BytesIO(data), as_attachment=True, filename=name, content_type=XLSX)


# --- Lists and records ---------------------------------------------------------------------------------


@login_required
def household_list(request: HttpRequest) -> HttpResponse:
    """The cell's households for the committee and above (`?org=`); for a member, those in their charge."""
    cell = _cell(request) if request.GET.get("org") else None
    qs: HouseholdQuerySet = households_visible_to(request.user)
    if cell is not None:
        qs = qs.filter(cell=cell)
    if request.GET.get("q"):
        qs = qs.search(request.GET["q"])
    page = paginate(request, qs.select_related("cell").order_by("cell_id", "hamlet", "name_sort_key", "id"))
    in_charge = selectors.current_members(Household.objects.filter(pk__in=[h.pk for h in page]))
    names = dict(Member.objects.filter(pk__in=set(in_charge.values())).values_list("pk", "full_name"))
    for household in page:
        member_id = in_charge.get(household.pk)
        household.in_charge_name = names.get(member_id, "") if member_id else ""  # type: ignore[attr-defined]
    actor = _actor(request)
    manageable = orgs_with(request.user, Perm.EDIT_MEMBERS).filter(kind__in=Organization.CELL_KINDS)
    return render(
        request,
        "households/list.html",
        {
            "page": page,
            "cell": cell,
            "q": request.GET.get("q", ""),
            "can_manage": cell is not None and may_manage_households(request.user, cell),
            "manageable": manageable[:20] if cell is None else [],
            "follow_ups": selectors.due_follow_ups(actor.member_id, today()) if actor.member_id else [],
        },
    )


@login_required
def household_detail(request: HttpRequest, pk: int) -> HttpResponse:
    household = _household(request, pk)
    can_manage = may_manage_households(request.user, household.cell)
    assignments = household.assignments.select_related("member").order_by("-valid_from", "-id")
    events = liaison_events_visible_to(request.user).filter(household=household).select_related("member")
    form = None
    if can_manage:
        form = AssignForm(members=Member.objects.current().filter(org=household.cell), initial={"valid_from": today()})
    return render(
        request,
        "households/detail.html",
        {
            "household": household,
            "assignments": assignments,
            "events": paginate(request, events),
            "can_manage": can_manage,
            "can_log": can_manage or in_charge_of(request.user, household),
            "assign_form": form,
            "notified_form": NotifiedForm(
                initial={"notified_at": timezone.localtime().replace(second=0, microsecond=0, tzinfo=None)}
            ),
        },
    )


@login_required
def household_create(request: HttpRequest) -> HttpResponse:
    cell = _cell(request, manage=True)
    form = HouseholdForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            household = services.household_create(actor=_actor(request), cell=cell, **form.cleaned_data)
        except ChiboError as err:
            form.add_service_error(err)
        else:
            messages.success(request, _("Đã thêm hộ %(head)s.") % {"head": household.head_name})
            return redirect(household)
    return _form_page(request, form, title=_("Thêm hộ dân"), back=f"/households/?org={cell.pk}", cell=cell)


@login_required
def household_edit(request: HttpRequest, pk: int) -> HttpResponse:
    household = _household(request, pk, manage=True)
    initial = {name: getattr(household, name) for name in services.HOUSEHOLD_FIELDS}
    form = HouseholdForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.household_update(actor=_actor(request), household=household, **form.cleaned_data)
        except ChiboError as err:
            form.add_service_error(err)
        else:
            messages.success(request, _("Đã lưu."))
            return redirect(household)
    return _form_page(request, form, title=_("Sửa hộ dân"), back=household.get_absolute_url())


@login_required
@require_POST
def household_assign(request: HttpRequest, pk: int) -> HttpResponse:
    household = _household(request, pk, manage=True)
    form = AssignForm(request.POST, members=Member.objects.current().filter(org=household.cell))
    if form.is_valid():
        try:
            services.assignment_set(
                actor=_actor(request),
                household=household,
                member=form.cleaned_data["member"],
                day=form.cleaned_data["valid_from"],
            )
        except ChiboError as err:
            messages.error(request, err.message)
        else:
            messages.success(request, _("Đã đổi đảng viên phụ trách."))
    else:
        messages.error(request, _("Chọn đảng viên và ngày áp dụng."))
    return redirect(household)


# --- Liaison log -----------------------------------------------------------------------------------------


@login_required
def event_add(request: HttpRequest, pk: int) -> HttpResponse:
    household = _household(request, pk)
    if not (in_charge_of(request.user, household) or may_manage_households(request.user, household.cell)):
        raise PermissionDenied
    initial = {"occurred_on": today(), "kind": request.GET.get("kind", LiaisonEvent.Kind.ARRIVAL)}
    form = EventForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_record(
                actor=_actor(request),
                household=household,
                kind=form.cleaned_data["kind"],
                occurred_on=form.cleaned_data["occurred_on"],
                **form.event_fields(),
            )
        except ChiboError as err:
            form.add_service_error(err)
        else:
            messages.success(request, _("Đã ghi nhật ký."))
            return redirect(household)
    return _form_page(
        request,
        form,
        title=_("Ghi nhật ký hộ %(head)s") % {"head": household.head_name},
        back=household.get_absolute_url(),
    )


def _event(request: HttpRequest, pk: int) -> LiaisonEvent:
    try:
        return liaison_events_visible_to(request.user).select_related("household__cell").get(pk=pk)
    except (LiaisonEvent.DoesNotExist, ValueError):
        raise Http404 from None


@login_required
@require_POST
def event_notified(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    if not (in_charge_of(request.user, event.household) or may_manage_households(request.user, event.household.cell)):
        raise PermissionDenied
    form = NotifiedForm(request.POST)
    if form.is_valid():
        try:
            services.event_mark_notified(
                actor=_actor(request),
                event=event,
                notified=form.cleaned_data["notified"],
                contact=form.cleaned_data["notified_contact"],
                at=form.cleaned_data["notified_at"],
            )
        except ChiboError as err:
            messages.error(request, err.message)
        else:
            messages.success(request, _("Đã ghi việc báo tin."))
    else:
        messages.error(request, _("Chọn nơi đã báo và lúc báo."))
    return redirect(event.household)


@login_required
@require_POST
def event_done(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    if not (in_charge_of(request.user, event.household) or may_manage_households(request.user, event.household.cell)):
        raise PermissionDenied
    services.follow_up_done(actor=_actor(request), event=event)
    messages.success(request, _("Đã theo dõi xong."))
    return redirect(event.household)


# --- The cell: area, members' homes, plans ----------------------------------------------------------------


@login_required
def area_edit(request: HttpRequest) -> HttpResponse:
    cell = _cell(request, manage=True)
    area = Area.objects.filter(cell=cell).first()
    initial = (
        {
            "ward": area.ward,
            "hamlets": "\n".join(area.hamlets),
            "centre_lat": area.centre_lat,
            "centre_lon": area.centre_lon,
            "radius_m": area.radius_m,
        }
        if area
        else {"radius_m": 3000}
    )
    form = AreaForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.area_set(
                actor=_actor(request),
                cell=cell,
                ward=data["ward"],
                hamlets=data["hamlets"].splitlines(),
                centre_lat=data["centre_lat"],
                centre_lon=data["centre_lon"],
                radius_m=data["radius_m"],
            )
        except ChiboError as err:
            form.add_service_error(err)
        else:
            messages.success(request, _("Đã lưu địa bàn."))
            return redirect(f"/households/homes/?org={cell.pk}")
    return _form_page(request, form, title=_("Địa bàn chi bộ"), back=f"/households/?org={cell.pk}", cell=cell)


@login_required
def homes(request: HttpRequest) -> HttpResponse:
    """Where each member lives: the planner's other half."""
    cell = _cell(request, manage=True)
    members = list(Member.objects.current().filter(org=cell).order_by("name_sort_key", "id"))
    errors: dict[int, str] = {}
    if request.method == "POST":
        member = next((m for m in members if str(m.pk) == request.POST.get("member")), None)
        if member is None:
            raise Http404
        form = HomeForm(request.POST)
        if form.is_valid():
            try:
                member_set_home(
                    actor=_actor(request),
                    member=member,
                    hamlet=form.cleaned_data["hamlet"],
                    lat=form.cleaned_data["lat"],
                    lon=form.cleaned_data["lon"],
                )
            except ChiboError as err:
                errors[member.pk] = err.message
            else:
                messages.success(request, _("Đã lưu nơi ở của %(name)s.") % {"name": member.full_name})
                return redirect(f"/households/homes/?org={cell.pk}")
        else:
            errors[member.pk] = _("Tọa độ phải là số, ví dụ 9.681234.")
    loads = selectors.loads(cell)
    rows = [(m, loads.get(m.pk, 0), errors.get(m.pk, "")) for m in members]
    return render(request, "households/homes.html", {"cell": cell, "rows": rows}, status=400 if errors else 200)


@login_required
def plan_new(request: HttpRequest) -> HttpResponse:
    cell = _cell(request, manage=True)
    households = Household.objects.filter(cell=cell).count()
    takers = max(1, Member.objects.current().filter(org=cell).count())
    initial = {"min_load": max(0, households // takers - 3), "max_load": -(-households // takers) + 3}
    form = PlanForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_propose(actor=_actor(request), cell=cell, **form.cleaned_data)
        except ChiboError as err:
            form.add_service_error(err)
        else:
            return redirect(plan)
    plans = AssignmentPlan.objects.filter(cell=cell).order_by("-created_at")[:10]
    return _form_page(
        request,
        form,
        title=_("Lập phương án phân công phụ trách hộ"),
        back=f"/households/?org={cell.pk}",
        cell=cell,
        plans=plans,
        households=households,
    )


def _plan(request: HttpRequest, pk: int) -> AssignmentPlan:
    try:
        plan = AssignmentPlan.objects.select_related("cell").get(
            pk=pk, cell__in=orgs_with(request.user, Perm.LIST_MEMBERS)
        )
    except (AssignmentPlan.DoesNotExist, ValueError):
        raise Http404 from None
    if not may_manage_households(request.user, plan.cell):
        raise PermissionDenied
    return plan


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    members = {m.pk: m for m in Member.objects.filter(pk__in=[int(k) for k in plan.loads])}
    counts: dict[int, int] = {}
    for _h, m in plan.pairs:
        counts[m] = counts.get(m, 0) + 1
    current = dict(
        Assignment.objects.current().filter(household__cell=plan.cell).values_list("household_id", "member_id")
    )
    changes = sum(1 for h, m in plan.pairs if current.get(h) != m)
    rows = sorted(
        ((members[int(k)], counts.get(int(k), 0), bounds) for k, bounds in plan.loads.items()),
        key=lambda r: (r[0].name_sort_key, r[0].pk),
    )
    meetings = Meeting.objects.filter(org=plan.cell, status=Meeting.Status.PLANNED).order_by("scheduled_date")
    form = ApplyForm(initial={"valid_from": today()}, meetings=meetings)
    return render(request, "households/plan.html", {"plan": plan, "rows": rows, "changes": changes, "form": form})


@login_required
@require_POST
def plan_apply(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    meetings = Meeting.objects.filter(org=plan.cell, status=Meeting.Status.PLANNED)
    form = ApplyForm(request.POST, meetings=meetings)
    if not form.is_valid():
        messages.error(request, _("Nhập ngày áp dụng theo dạng dd/mm/yyyy."))
        return redirect(plan)
    try:
        changed = services.plan_apply(
            actor=_actor(request), plan=plan, day=form.cleaned_data["valid_from"], meeting=form.cleaned_data["meeting"]
        )
    except ChiboError as err:
        messages.error(request, err.message)
        return redirect(plan)
    messages.success(request, _("Đã áp dụng phương án: %(n)s hộ đổi đảng viên phụ trách.") % {"n": changed})
    return redirect(f"/households/?org={plan.cell_id}")


# --- Map ------------------------------------------------------------------------------------------------


@login_required
def household_map(request: HttpRequest) -> HttpResponse:
    """An SVG drawn here from the coordinates: no tile server, no CDN; works offline."""
    cell = _cell(request) if request.GET.get("org") else None
    qs = households_visible_to(request.user)
    if cell is not None:
        qs = qs.filter(cell=cell)
    return render(request, "households/map.html", {"cell": cell, "map": selectors.household_map(qs)})


# --- Excel ----------------------------------------------------------------------------------------------


@login_required
def import_page(request: HttpRequest) -> HttpResponse:
    cell = _cell(request, manage=True)
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    status = 200
    if request.method == "POST" and form.is_valid():
        from chibo.members.imports import check_upload

        try:
            area = services.area_of(cell)
            upload = form.cleaned_data["file"]
            check_upload(upload)
            report = excel.import_households(
                actor=_actor(request), cell=cell, area=area, source=upload, dry_run=form.cleaned_data["dry_run"]
            )
        except ChiboError as err:
            form.add_service_error(err)
            status = 400
        else:
            if report.imported:
                messages.success(request, _("Đã nhập %(n)s hộ.") % {"n": report.imported})
                return redirect(f"/households/?org={cell.pk}")
            status = 200 if report.ok else 400
    elif request.method == "POST":
        status = 400
    return render(request, "households/import.html", {"cell": cell, "form": form, "report": report}, status=status)


@login_required
def template_download(request: HttpRequest) -> HttpResponse | FileResponse:
    cell = _cell(request, manage=True)
    try:
        area = services.area_of(cell)
    except ChiboError as err:
        messages.error(request, err.message)
        return redirect(f"/households/area/?org={cell.pk}")
    out = BytesIO()
    excel.write_template(out, area=area)
    return _xlsx(out.getvalue(), "mau-ho-dan.xlsx")


@login_required
def export(request: HttpRequest) -> FileResponse:
    cell = _cell(request)
    households = list(households_visible_to(request.user).filter(cell=cell).order_by("hamlet", "name_sort_key", "id"))
    out = BytesIO()
    count = excel.write_households(households, out)
    record_access(
        user=request.user, action=AccessLog.Action.EXPORT, org=cell, detail=_("Danh sách hộ dân"), row_count=count
    )
    return _xlsx(out.getvalue(), f"ho-dan-{cell.code or cell.pk}.xlsx")


def _month(request: HttpRequest) -> date:
    text = request.GET.get("month", "")
    try:
        year, month = (int(p) for p in text.split("-")) if text else (today().year, today().month)
        return date(year, month, 1)
    except ValueError:
        raise Http404 from None


@login_required
def health_export(request: HttpRequest) -> FileResponse:
    """The month's arrivals and notifications for the health station: only what the health sector needs."""
    cell = _cell(request)
    month = _month(request)
    events = list(selectors.health_events(cell, month))
    out = BytesIO()
    title = f"{cell.name} — người từ tỉnh khác về và việc báo trạm y tế, công an, tháng {month:%m/%Y}"
    count = excel.write_health(events, out, title=title)
    record_access(
        user=request.user,
        action=AccessLog.Action.EXPORT,
        org=cell,
        detail=_("Danh sách báo trạm y tế tháng %(month)s") % {"month": f"{month:%m/%Y}"},
        row_count=count,
    )
    return _xlsx(out.getvalue(), f"bao-tram-y-te-{month:%Y-%m}.xlsx")


@login_required
def health_page(request: HttpRequest) -> HttpResponse:
    """The month's list on screen, beside its Excel export."""
    cell = _cell(request)
    month = _month(request)
    events = selectors.health_events(cell, month)
    return render(
        request, "households/health.html", {"cell": cell, "month": month, "events": paginate(request, events)}
    )
