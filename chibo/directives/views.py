"""Directives pages (C12): a committee's register with each directive's compliance, one directive's compliance
per committee and per cell, its file, and the meeting's one-action dissemination."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chibo.accounts.models import User
from chibo.accounts.scope import Perm, has_perm_on
from chibo.core.errors import ChiboError
from chibo.core.pagination import paginate
from chibo.directives import selectors, services
from chibo.directives.forms import DirectiveForm, DisseminationForm
from chibo.directives.models import Directive
from chibo.meetings.selectors import get_meeting_for_user
from chibo.members.models import Member
from chibo.supervision.selectors import committees_of, get_committee_for_user


def _actor(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _committee(request: HttpRequest):  # type: ignore[no-untyped-def]
    pk = request.GET.get("org")
    if pk:
        return get_committee_for_user(request.user, pk)
    first = committees_of(request.user).first()
    if first is None:
        raise Http404
    return first


@login_required
def directive_list(request: HttpRequest) -> HttpResponse:
    committee = _committee(request)
    can_register = has_perm_on(request.user, committee, Perm.SUPERVISE)
    form = DirectiveForm(request.POST or None, request.FILES or None) if can_register else None
    status = 200
    if request.method == "POST":
        if form is None:
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied(_("Chỉ cán bộ tổ chức của cấp ủy được vào sổ văn bản."))
        if form.is_valid():
            try:
                directive = services.directive_register(actor=_actor(request), target=committee, **form.cleaned_data)
            except ChiboError as err:
                form.add_service_error(err)
            else:
                messages.success(
                    request,
                    _("Đã vào sổ %(label)s cho %(n)s chi bộ.")
                    % {"label": directive.label, "n": directive.targets.count()},
                )
                return redirect(f"{reverse('directives:detail', args=[directive.pk])}?org={committee.pk}")
        status = 400
    page = paginate(request, selectors.directives_for_committee(committee), per_page=20)
    summaries = selectors.committee_compliance(committee, page.object_list)  # type: ignore[arg-type]
    context = {"committee": committee, "page": page, "summaries": summaries, "form": form}
    return render(request, "directives/list.html", context, status=status)


def _directive_for_user(request: HttpRequest, pk: int) -> Directive:
    try:
        return selectors.directives_visible_to(request.user).select_related("target").get(pk=pk)
    except (Directive.DoesNotExist, ValueError):
        raise Http404 from None


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    directive = _directive_for_user(request, pk)
    within = get_committee_for_user(request.user, request.GET["org"]) if request.GET.get("org") else None
    report = selectors.compliance(directive, within=within)
    only_late = request.GET.get("late") == "1"
    cells = [c for c in report.cells if c.status != selectors.ON_TIME] if only_late else report.cells
    context = {"directive": directive, "report": report, "cells_page": paginate(request, cells), "within": within}
    return render(request, "directives/detail.html", context)


@login_required
def file(request: HttpRequest, pk: int) -> FileResponse:
    directive = _directive_for_user(request, pk)
    if not directive.file:
        raise Http404
    return FileResponse(
        directive.file.open("rb"),
        as_attachment=True,
        filename=f"{directive.number.replace('/', '-')}{directive.extension}",
        content_type=directive.content_type,
    )


@login_required
@require_POST
def disseminate(request: HttpRequest, pk: int) -> HttpResponse:
    """One action: the directive, who presented it, and the members present (from the attendance)."""
    meeting = get_meeting_for_user(request.user, pk, action="change")
    form = DisseminationForm(request.POST)
    try:
        if not form.is_valid():
            raise ChiboError(_("Chọn văn bản đã quán triệt."), field="directive")
        directive = Directive.objects.filter(pk=form.cleaned_data["directive"]).first()
        if directive is None:
            raise ChiboError(_("Chọn văn bản đã quán triệt."), field="directive")
        presenter = None
        if form.cleaned_data.get("presenter"):
            presenter = Member.objects.filter(pk=form.cleaned_data["presenter"], org=meeting.org).first()
        services.dissemination_record(actor=_actor(request), directive=directive, meeting=meeting, presenter=presenter)
    except ChiboError as err:
        messages.error(request, err.message)
    else:
        messages.success(request, _("Đã ghi nhận chi bộ quán triệt %(label)s.") % {"label": directive.label})
    return redirect("meetings:live" if meeting.is_open else "meetings:detail", meeting.pk)
