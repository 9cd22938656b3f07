"""Excel pages of the members app (C2): import (upload, report, commit), the template, and the export.

Import needs EDIT_MEMBERS somewhere (else 403, as for adding one member); the import service checks each
row's cell against that scope. An import job is seen only by the person who uploaded it. The export is the member list
page as a workbook: same filters, same scope (`_filtered_members`).
"""

import tempfile
from io import BytesIO

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRefresh

from chibo.accounts.http import AuthenticatedHttpRequest
from chibo.accounts.scope import Perm, has_perm_on, holds_anywhere, orgs_with
from chibo.audit.models import AccessLog
from chibo.audit.services import record_access
from chibo.core.dates import today
from chibo.core.errors import ChiboError
from chibo.core.pagination import paginate
from chibo.members.excel import export_rows, write_members, write_template
from chibo.members.imports import import_job_commit, import_job_create, import_job_start
from chibo.members.models import ImportJob
from chibo.members.views import _filtered_members
from chibo.organizations.forms import with_parent_name
from chibo.organizations.models import Organization

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _require_import_scope(request: AuthenticatedHttpRequest) -> None:
    """Like the form that adds one member: for those who edit the members of some cell, else 403."""
    if not holds_anywhere(request.user, Perm.EDIT_MEMBERS):
        raise PermissionDenied


def _get_job_for_user(request: AuthenticatedHttpRequest, pk: int) -> ImportJob:
    """A job is its uploader's: anyone else gets 404."""
    try:
        return ImportJob.objects.select_related("default_org").get(pk=pk, created_by_id=request.user.pk)
    except ImportJob.DoesNotExist:
        raise Http404 from None


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Tệp Excel (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": f".xlsx,{XLSX}"}),
    )
    default_org = forms.CharField(
        label=gettext_lazy("Mã chi bộ mặc định"),
        required=False,
        max_length=32,
        help_text=gettext_lazy(
            "Cho các dòng không ghi mã chi bộ, ví dụ danh sách một chi bộ xuất từ CSDL đảng viên. Có thể để trống."
        ),
    )
    dry_run = forms.BooleanField(
        label=gettext_lazy("Chỉ kiểm tra (chạy thử), chưa nhập"),
        required=False,
        initial=True,
        help_text=gettext_lazy("Xem báo cáo trước; nếu không có lỗi, bấm «Nhập» để ghi vào hệ thống."),
    )


def _default_org(request: AuthenticatedHttpRequest, code: str) -> Organization | None:
    if not code:
        return None
    org = orgs_with(request.user, Perm.EDIT_MEMBERS).filter(code=code.strip()).first()
    if org is None:
        raise ChiboError(
            _("Không có chi bộ mã «%(code)s» trong phạm vi bạn được nhập đảng viên.") % {"code": code},
            field="default_org",
        )
    return org


def _initial_default_org(request: AuthenticatedHttpRequest) -> str:
    """Coming from a cell's list (?org=…), that cell is the default."""
    try:
        org = Organization.objects.get(pk=request.GET.get("org") or 0)
    except (Organization.DoesNotExist, ValueError):
        return ""
    return org.code if org.is_cell and has_perm_on(request.user, org, Perm.EDIT_MEMBERS) else ""


@login_required
def member_import(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_import_scope(request)
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                job = import_job_create(
                    actor=request.user,
                    upload=form.cleaned_data["file"],
                    dry_run=form.cleaned_data["dry_run"],
                    default_org=_default_org(request, form.cleaned_data["default_org"]),
                )
            except ChiboError as err:
                form.add_error(err.field if err.field in form.fields else None, err.message)
            else:
                import_job_start(job=job)
                return redirect(job)
    else:
        form = ImportForm(initial={"default_org": _initial_default_org(request)})
    # The reports stay out of the list: one may be large (up to MAX_REPORTED_ERRORS rows).
    jobs = (
        ImportJob.objects.filter(created_by_id=request.user.pk)
        .select_related("default_org")
        .defer("errors", "ignored_columns")
    )
    status = 400 if form.errors else 200
    return render(request, "members/import.html", {"form": form, "page": paginate(request, jobs, 10)}, status=status)


@login_required
def import_job_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    job = _get_job_for_user(request, pk)
    if getattr(request, "htmx", False):
        # The page polls while the job runs; once it is done, the whole page reloads with the report.
        if job.is_finished:
            return HttpResponseClientRefresh()
        return render(request, "members/import_progress.html", {"job": job})
    return render(request, "members/import_job.html", {"job": job, "page": paginate(request, job.errors)})


@login_required
@require_POST
def import_job_commit_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    job = _get_job_for_user(request, pk)
    try:
        job = import_job_commit(actor=request.user, job=job)
    except ChiboError as err:
        messages.error(request, err.message)
        return redirect(job)
    import_job_start(job=job)
    return redirect(job)


@login_required
def import_template(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_import_scope(request)
    cells = with_parent_name(
        orgs_with(request.user, Perm.EDIT_MEMBERS).filter(kind__in=Organization.CELL_KINDS, dissolved_on__isnull=True)
    )
    out = BytesIO()
    write_template(out, cells=list(cells))
    response = HttpResponse(out.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="mau-nhap-dang-vien.xlsx"'
    return response


@login_required
def member_export(request: AuthenticatedHttpRequest) -> FileResponse:
    """The member list as a workbook, with the list page's filters and scope; re-imports as it is."""
    qs, org = _filtered_members(request)
    user = request.user
    sensitive = holds_anywhere(user, Perm.SEE_SENSITIVE)
    out = tempfile.TemporaryFile()  # FileResponse closes it once sent
    sensitive_paths: dict[str, bool] = {}

    def may_see_sensitive(org_path: str) -> bool:
        if org_path not in sensitive_paths:
            sensitive_paths[org_path] = has_perm_on(user, Organization(path=org_path), Perm.SEE_SENSITIVE)
        return sensitive_paths[org_path]

    rows = export_rows(qs, with_sensitive_columns=sensitive).iterator(chunk_size=2000)
    count = write_members(rows, out, with_sensitive_columns=sensitive, may_see_sensitive=may_see_sensitive)
    _record_export(request, org, count)
    out.seek(0)
    name = f"dang-vien-{org.code + '-' if org else ''}{today():%Y%m%d}.xlsx"
    return FileResponse(out, as_attachment=True, filename=name, content_type=XLSX)


def _record_export(request: AuthenticatedHttpRequest, org: Organization | None, count: int) -> None:
    """C19: an export reads many members' personal data; it goes in the access log."""
    record_access(user=request.user, action=AccessLog.Action.EXPORT, org=org, detail="members.xlsx", row_count=count)
