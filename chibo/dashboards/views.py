"""Dashboard pages (C16): a node's figures for a period on the tree of a chosen day, drill-down from the
province to a ward, a cell and a meeting, the Excel export, and the early warnings with their
acknowledgements. Outside scope is 404 (chibo.accounts.scope)."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chibo.accounts.scope import Perm, get_org_for_user, has_perm_on
from chibo.core.dates import today
from chibo.core.errors import ChiboError
from chibo.core.pagination import paginate
from chibo.dashboards import services
from chibo.dashboards.charts import Series, bar_chart, line_chart
from chibo.dashboards.exports import dashboard_workbook
from chibo.dashboards.selectors import Dashboard, dashboard, period_for
from chibo.dashboards.warnings import warnings_for
from chibo.organizations.models import Organization

PERM = Perm.LIST_MEMBERS  # dashboards and warnings name members: those who may read the roll


def _get_org(request: HttpRequest, pk: int) -> Organization:
    return get_org_for_user(request.user, pk, PERM)


def _period(request: HttpRequest, org: Organization):  # type: ignore[no-untyped-def]
    return period_for(
        org,
        first=request.GET.get("first", ""),
        last=request.GET.get("last", ""),
        as_of=request.GET.get("as_of", ""),
    )


def _charts(dash: Dashboard) -> dict[str, str]:
    labels = [m.strftime("%m/%y") for m, _f in dash.monthly]
    figures = [f for _m, f in dash.monthly]
    return {
        "meetings": bar_chart(
            _("Buổi sinh hoạt theo tháng"),
            labels,
            [f.planned for f in figures],
            [f.held for f in figures],
            (_("Đã lên lịch"), _("Đã họp")),
        ),
        "rates": line_chart(
            _("Tỷ lệ dự họp và phát biểu (%)"),
            labels,
            [
                Series(_("Dự họp"), [f.attendance_pct for f in figures], "chart-attendance"),
                Series(_("Phát biểu"), [f.speakers_pct for f in figures], "chart-speakers"),
                Series(_("Hoàn thành nhiệm vụ"), [f.tasks_done_pct for f in figures], "chart-tasks"),
            ],
        ),
    }


@login_required
def org_dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    org = _get_org(request, pk)
    try:
        period = _period(request, org)
    except ChiboError as err:
        return render(
            request, "dashboards/dashboard.html", {"org": org, "error": err, "query": request.GET}, status=400
        )
    dash = dashboard(org, period)
    return render(
        request,
        "dashboards/dashboard.html",
        {
            "org": org,
            "dash": dash,
            "charts": _charts(dash),
            "query": request.GET,
            "export_query": request.GET.urlencode(),
        },
    )


@login_required
def org_export(request: HttpRequest, pk: int) -> HttpResponse:
    org = _get_org(request, pk)
    try:
        period = _period(request, org)
    except ChiboError as err:
        return HttpResponse(err.message, status=400, content_type="text/plain; charset=utf-8")
    dash = dashboard(org, period)
    content = dashboard_workbook(dash, warnings_for(request.user, org, min(period.as_of, today())))
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    name = f"bang-theo-doi-{org.pk}-{period.first:%Y%m}-{period.last:%Y%m}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _warnings_day(request: HttpRequest, org: Organization) -> date:
    raw = request.GET.get("as_of", "")
    try:
        day = date.fromisoformat(raw) if raw else today()
    except ValueError:
        raise Http404 from None
    return min(day, today())


@login_required
def org_warnings(request: HttpRequest, pk: int) -> HttpResponse:
    org = _get_org(request, pk)
    day = _warnings_day(request, org)
    found = warnings_for(request.user, org, day)
    kind = request.GET.get("kind", "")
    if kind:
        found = [w for w in found if w.kind == kind]
    return render(
        request,
        "dashboards/warnings.html",
        {"org": org, "day": day, "page": paginate(request, found), "total": len(found), "kind": kind},
    )


@login_required
@require_POST
def acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    """A warning of a cell, acknowledged with a note by those who run the cell's meetings (or above)."""
    cell = _get_org(request, pk)
    if not has_perm_on(request.user, cell, Perm.RUN_MEETINGS):
        raise PermissionDenied
    key = request.POST.get("key", "")
    current = {w.key: w for w in warnings_for(request.user, cell, today())}
    if key not in current:
        messages.error(request, _("Cảnh báo này không còn (số liệu đã thay đổi)."))
        return redirect("dashboards:warnings", pk=cell.pk)
    try:
        services.warning_acknowledge(
            actor=request.user,  # type: ignore[arg-type]
            key=key,
            org=cell,
            kind=current[key].kind,
            note=request.POST.get("note", ""),
        )
    except ChiboError as err:
        messages.error(request, err.message)
    else:
        messages.success(request, _("Đã ghi nhận cảnh báo."))
    back = request.POST.get("next", "")
    if back.startswith("/") and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect("dashboards:warnings", pk=cell.pk)
