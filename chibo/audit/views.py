"""Pages of C19: a member's change history and who viewed it, the access log, one's own data."""

import json

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from chibo.accounts.models import User
from chibo.accounts.scope import Perm, orgs_with
from chibo.audit import selectors
from chibo.audit.exports import personal_data_workbook
from chibo.audit.models import AccessLog
from chibo.audit.services import record_access
from chibo.core.pagination import paginate


@login_required
def member_history(request: HttpRequest, pk: int) -> HttpResponse:
    member = selectors.get_member_for_auditor(request.user, pk)
    page = paginate(request, selectors.member_changes(member))
    # The history shows the record's values, so reading it is itself a reading of personal data.
    record_access(user=request.user, member=member, action=AccessLog.Action.HISTORY)
    return render(
        request,
        "audit/member_history.html",
        {"member": member, "page": page, "changes": selectors.changes_for_display(list(page.object_list))},
    )


@login_required
def member_views(request: HttpRequest, pk: int) -> HttpResponse:
    member = selectors.get_member_for_auditor(request.user, pk)
    return render(
        request,
        "audit/member_views.html",
        {"member": member, "page": paginate(request, selectors.member_views(member))},
    )


@login_required
def access_log(request: HttpRequest) -> HttpResponse:
    if not request.user.is_superuser and not orgs_with(request.user, Perm.MANAGE_ACCOUNTS).exists():
        raise Http404
    qs = selectors.access_log_visible_to(request.user)
    if request.GET.get("action") in AccessLog.Action.values:
        qs = qs.filter(action=request.GET["action"])
    return render(
        request,
        "audit/access_log.html",
        {"page": paginate(request, qs), "actions": AccessLog.Action.choices, "action": request.GET.get("action", "")},
    )


@login_required
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "audit/privacy.html", {"retention_days": settings.CHIBO_ACCESS_LOG_RETENTION_DAYS})


def _own_data(request: HttpRequest) -> dict:
    assert isinstance(request.user, User)
    data = selectors.personal_data_of(request.user)
    member = request.user.member
    record_access(user=request.user, member=member, action=AccessLog.Action.OWN_DATA)
    return data


def _attachment(content: bytes | str, content_type: str, extension: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    name = f"du-lieu-ca-nhan-{timezone.localdate():%Y%m%d}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def my_data(request: HttpRequest) -> HttpResponse:
    """Everything the system holds about the signed-in person, as JSON (their own data only)."""
    data = _own_data(request)
    return _attachment(json.dumps(data, ensure_ascii=False, indent=2), "application/json; charset=utf-8", "json")


@login_required
def my_data_xlsx(request: HttpRequest) -> HttpResponse:
    data = _own_data(request)
    return _attachment(
        personal_data_workbook(data), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"
    )
