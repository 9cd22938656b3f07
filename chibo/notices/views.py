"""The in-app inbox of notices and the unread count in the navigation bar."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from chibo.accounts.http import AuthenticatedHttpRequest
from chibo.core.pagination import paginate
from chibo.notices.selectors import get_notice_for_user, notices_of, unread_count
from chibo.notices.services import notice_mark_read, notices_mark_all_read


@login_required
def inbox(request: AuthenticatedHttpRequest) -> HttpResponse:
    notices = notices_of(request.user).select_related("meeting__org").order_by("-created_at", "-id")
    return render(request, "notices/inbox.html", {"page": paginate(request, notices)})


@login_required
@require_POST
def mark_read(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    notice = get_notice_for_user(request.user, pk)
    notice_mark_read(actor=request.user, notice=notice)
    if request.htmx:
        return render(request, "notices/_notice.html", {"n": notice})
    return redirect("notices:inbox")


@login_required
@require_POST
def mark_all_read(request: AuthenticatedHttpRequest) -> HttpResponse:
    notices_mark_all_read(actor=request.user)
    return redirect("notices:inbox")


@login_required
def badge(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Loaded by htmx after the page, so that no page pays for the count in its own queries."""
    return render(request, "notices/_badge.html", {"count": unread_count(request.user)})
