"""Member pages: the list (scoped, searchable, in Vietnamese name order), the member's record, and the
forms that change it (create, edit, transfer, exempt, position, take off the roll).

Access rule for the forms: a member outside the user's read scope is 404; a member the user may see but
not edit (no EDIT_MEMBERS on the member's cell: a plain member looking at their own record, a viewer) is 403.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo.accounts.http import AuthenticatedHttpRequest
from chibo.accounts.scope import (
    Perm,
    can_see_sensitive,
    get_member_for_user,
    get_org_for_user,
    has_perm_on,
    orgs_with,
)
from chibo.audit.models import AccessLog
from chibo.audit.services import record_access
from chibo.core.dates import today
from chibo.core.errors import ChiboError
from chibo.core.forms import ServiceForm
from chibo.core.pagination import paginate
from chibo.members import services
from chibo.members.forms import (
    DisciplineForm,
    EndExemptionForm,
    ExemptionForm,
    LeaveForm,
    MemberCreateForm,
    MemberForm,
    OfficialForm,
    PositionForm,
    RemovalForm,
    SuspensionForm,
    TransferForm,
)
from chibo.members.models import Exemption, Member
from chibo.members.selectors import member_roll
from chibo.organizations.forms import with_parent_name
from chibo.organizations.models import Organization


def _filtered_members(request: AuthenticatedHttpRequest):
    """The list behind the page and its Excel export: scope, then the filters in the query string."""
    org = None
    if request.GET.get("org"):
        org = get_org_for_user(request.user, request.GET["org"], Perm.LIST_MEMBERS)  # type: ignore[arg-type]
    qs = member_roll(request.user, org=org, search=request.GET.get("q", ""), status=request.GET.get("status"))
    return qs, org


def _editable_cells(request: AuthenticatedHttpRequest) -> QuerySet[Organization]:
    """Active cells whose members the user may edit: where a member can be put or transferred to."""
    cells = orgs_with(request.user, Perm.EDIT_MEMBERS).filter(
        kind__in=Organization.CELL_KINDS, dissolved_on__isnull=True
    )
    return with_parent_name(cells)


def _form_page(
    request: AuthenticatedHttpRequest,
    form: ServiceForm,
    *,
    title: str,
    submit: str,
    member: Member | None = None,
    **extra: Any,
) -> HttpResponse:
    """Render a member form; an invalid submission answers 400 with the messages beside the fields."""
    status = 400 if request.method == "POST" and form.errors else 200
    context = {"form": form, "title": title, "submit": submit, "member": member, **extra}
    return render(request, "members/form.html", context, status=status)


@login_required
def member_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    qs, org = _filtered_members(request)
    if org is not None:
        can_add = org.is_active and has_perm_on(request.user, org, Perm.EDIT_MEMBERS)
    else:
        can_add = orgs_with(request.user, Perm.EDIT_MEMBERS).exists()
    return render(
        request,
        "members/list.html",
        {
            "page": paginate(request, qs, estimate=True),
            "org": org,
            "q": request.GET.get("q", ""),
            "statuses": Member.Status.choices,
            "can_add": can_add,
        },
    )


@login_required
def member_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    member = get_member_for_user(request.user, pk)
    # C19: who viewed which member's personal record.
    record_access(user=request.user, member=member, action=AccessLog.Action.VIEW)
    can_edit = has_perm_on(request.user, member.org, Perm.EDIT_MEMBERS)
    return render(
        request,
        "members/detail.html",
        {
            "member": member,
            "sensitive": can_see_sensitive(request.user, member),
            "memberships": member.memberships.select_related("org").order_by("-started_on"),
            "positions": member.positions.select_related("org").order_by("-started_on"),
            "exemptions": member.exemptions.order_by("-started_on"),
            "life_events": member.life_events.all(),
            "can_edit": can_edit,
            "can_act": can_edit and member.is_active,
            "today": today(),
        },
    )


@login_required
def member_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    cells = _editable_cells(request)
    first_two = list(cells[:2])
    if not first_two:
        raise PermissionDenied  # the user may not put a member on any cell's roll
    initial: dict[str, Any] = {}
    wanted = request.GET.get("org", "")
    if wanted.isdigit():
        initial["org"] = cells.filter(pk=wanted).first()
    elif len(first_two) == 1:
        initial["org"] = first_two[0]  # a secretary's only cell
    form = MemberCreateForm(request.POST or None, cells=cells, sensitive=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            member = services.member_create(
                actor=request.user,
                full_name=data["full_name"],
                org=data["org"],
                roll_started_on=data["roll_started_on"],
                **form.profile(),
            )
        except ChiboError as err:
            form.add_service_error(err)
        else:
            messages.success(request, _("Đã thêm đảng viên %(name)s.") % {"name": member.full_name})
            return redirect(member)
    return _form_page(request, form, title=_("Thêm đảng viên"), submit=_("Thêm"))


@login_required
def member_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    member = get_member_for_user(request.user, pk, action="change")
    sensitive = can_see_sensitive(request.user, member)
    form = MemberForm(request.POST or None, sensitive=sensitive, initial=MemberForm.initial_for(member))
    if request.method == "POST" and form.is_valid():
        try:
            services.member_update(
                actor=request.user, member=member, full_name=form.cleaned_data["full_name"], **form.profile()
            )
        except ChiboError as err:
            form.add_service_error(err)
        else:
            messages.success(request, _("Đã lưu."))
            return redirect(member)
    return _form_page(request, form, title=_("Sửa hồ sơ"), submit=_("Lưu"), member=member)


@login_required
def member_transfer(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    member = get_member_for_user(request.user, pk, action="change")
    cells = _editable_cells(request).exclude(pk=member.org_id)
    form = TransferForm(request.POST or None, cells=cells, initial={"effective_on": today()})
    if request.method == "POST" and form.is_valid():
        try:
            services.member_transfer(actor=request.user, member=member, **form.cleaned_data)
        except ChiboError as err:
            form.add_service_error(err)
        else:
            messages.success(request, _("Đã chuyển sinh hoạt."))
            return redirect(member)
    return _form_page(
        request,
        form,
        title=_("Chuyển sinh hoạt đảng"),
        submit=_("Chuyển"),
        member=member,
        empty_choice=not cells.exists(),
    )


@login_required
def member_exempt(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    member = get_member_for_user(request.user, pk, action="change")
    form = ExemptionForm(request.POST or None, initial={"started_on": today()})
    if request.method == "POST" and form.is_valid():
        try:
            services.member_exempt(actor=request.user, member=member, **form.cleaned_data)
        except ChiboError as err:
            form.add_service_error(err)
        else:
            messages.success(request, _("Đã ghi nhận miễn sinh hoạt."))
            return redirect(member)
    return _form_page(request, form, title=_("Miễn công tác và sinh hoạt đảng"), submit=_("Ghi nhận"), member=member)


@login_required
def member_end_exemption(request: AuthenticatedHttpRequest, pk: int, exemption_pk: int) -> HttpResponse:
    member = get_member_for_user(request.user, pk, action="change")
    try:
        exemption = member.exemptions.get(pk=exemption_pk)
    except Exemption.DoesNotExist:
        raise Http404 from None
    form = EndExemptionForm(request.POST or None, initial={"ended_on": exemption.ended_on or today()})
    if request.method == "POST" and form.is_valid():
        try:
            services.member_end_exemption(actor=request.user, exemption=exemption, **form.cleaned_data)
        except ChiboError as err:
            form.add_service_error(err)
        else:
            messages.success(request, _("Đã kết thúc miễn sinh hoạt."))
            return redirect(member)
    return _form_page(
        request, form, title=_("Kết thúc miễn sinh hoạt"), submit=_("Kết thúc"), member=member, exemption=exemption
    )


@login_required
def member_assign_position(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    member = get_member_for_user(request.user, pk, action="change")
    form = PositionForm(request.POST or None, initial={"started_on": today()})
    if request.method == "POST" and form.is_valid():
        try:
            position = services.position_assign(actor=request.user, member=member, **form.cleaned_data)
        except ChiboError as err:
            form.add_service_error(err)
        else:
            messages.success(request, _("Đã giao chức vụ %(title)s.") % {"title": position.get_title_display()})
            return redirect(member)
    return _form_page(request, form, title=_("Giao chức vụ trong chi bộ"), submit=_("Giao"), member=member)


@login_required
def member_leave(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    member = get_member_for_user(request.user, pk, action="change")
    form = LeaveForm(request.POST or None, initial={"left_on": today()})
    if request.method == "POST" and form.is_valid():
        try:
            services.member_leave(actor=request.user, member=member, **form.cleaned_data)
        except ChiboError as err:
            form.add_service_error(err)
        else:
            messages.success(request, _("Đã đưa %(name)s ra khỏi danh sách.") % {"name": member.full_name})
            return redirect(member)
    return _form_page(request, form, title=_("Ra khỏi danh sách"), submit=_("Xác nhận"), member=member)


# The four decisions of C15's life cycle: (form, service, page title, submit, message when recorded).
DECISIONS: dict[str, tuple[type[ServiceForm], Any, Any, Any]] = {
    "discipline": (
        DisciplineForm,
        services.member_discipline,
        gettext_lazy("Kỷ luật đảng viên"),
        gettext_lazy("Đã ghi nhận kỷ luật."),
    ),
    "suspension": (
        SuspensionForm,
        services.member_suspend,
        gettext_lazy("Đình chỉ sinh hoạt đảng"),
        gettext_lazy("Đã ghi nhận đình chỉ sinh hoạt."),
    ),
    "official": (
        OfficialForm,
        services.member_recognize_official,
        gettext_lazy("Công nhận đảng viên chính thức"),
        gettext_lazy("Đã công nhận đảng viên chính thức."),
    ),
    "removal": (
        RemovalForm,
        services.member_remove_from_rolls,
        gettext_lazy("Xóa tên khỏi danh sách đảng viên"),
        gettext_lazy("Đã xóa tên khỏi danh sách."),
    ),
}


@login_required
def member_decision(request: AuthenticatedHttpRequest, pk: int, kind: str) -> HttpResponse:
    """Record a decision about the member: discipline, suspension, recognition as official, removal."""
    if kind not in DECISIONS:
        raise Http404
    member = get_member_for_user(request.user, pk, action="change")
    form_class, service, title, done = DECISIONS[kind]
    form = form_class(request.POST or None, initial={"decided_on": today()})
    if request.method == "POST" and form.is_valid():
        try:
            service(actor=request.user, member=member, **form.cleaned_data)
        except ChiboError as err:
            form.add_service_error(err)
        else:
            messages.success(request, str(done))
            return redirect(member)
    return _form_page(request, form, title=str(title), submit=_("Ghi nhận"), member=member)
