"""Calendar pages (C4): a month of a cell or of a committee's cells with its warnings; planning,
generating, moving and cancelling meetings; guests; the member's iCalendar link and the feed itself.
A node or meeting outside the user's scope is 404; one they see but may not plan (no RUN_MEETINGS) is 403."""

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from chibo.accounts.http import AuthenticatedHttpRequest
from chibo.accounts.scope import Perm, get_org_for_user, has_perm_on, orgs_with
from chibo.core.dates import today
from chibo.core.errors import ChiboError
from chibo.core.pagination import paginate
from chibo.meetings.selectors import get_meeting_for_user
from chibo.organizations.models import Organization
from chibo.organizations.selectors import highest_visible
from chibo.scheduling import services
from chibo.scheduling.calendar import month_start, next_month
from chibo.scheduling.feed import meetings_ical
from chibo.scheduling.forms import CancelForm, GenerateForm, GuestForm, PlanForm, RescheduleForm
from chibo.scheduling.models import CalendarFeed, MeetingGuest
from chibo.scheduling.selectors import feed_meetings, month_calendar

FEED_HISTORY_DAYS = 366


def _month_param(request: AuthenticatedHttpRequest) -> date:
    raw = request.GET.get("month") or ""
    try:
        year, month = (int(x) for x in raw.split("-")[:2])
        return date(year, month, 1)
    except ValueError:
        return month_start(today())


def _org_param(request: AuthenticatedHttpRequest, *, write: bool = False) -> Organization:
    """The node named by ?org= (else the user's highest visible node) if the user may see it (else 404);
    with `write`, only if they may plan its meetings (else 403)."""
    perm = Perm.RUN_MEETINGS if write else Perm.VIEW_ORG
    if request.GET.get("org"):
        org: Organization | None = get_org_for_user(request.user, request.GET["org"])  # type: ignore[arg-type]
    else:
        org = highest_visible(request.user, perm)
    if org is None:
        raise PermissionDenied if write else Http404
    if write and not has_perm_on(request.user, org, perm):
        raise PermissionDenied
    return org


def _month_url(org: Organization, first: date) -> str:
    return f"{reverse('scheduling:month')}?org={org.pk}&month={first:%Y-%m}"


@login_required
def month(request: AuthenticatedHttpRequest) -> HttpResponse:
    org = _org_param(request)
    first = _month_param(request)
    calendar = month_calendar(request.user, org, first)
    return render(
        request,
        "scheduling/month.html",
        {
            "org": org,
            "cal": calendar,
            "page": paginate(request, calendar.rows),
            "prev_month": month_start(calendar.first - timedelta(days=1)),
            "next_month": next_month(first),
            "can_plan": has_perm_on(request.user, org, Perm.RUN_MEETINGS),
            "can_edit_rules": has_perm_on(request.user, org, Perm.EDIT_ORG),
            "generate_form": GenerateForm(initial={"year": first.year, "month": first.month}),
        },
    )


@login_required
def plan(request: AuthenticatedHttpRequest) -> HttpResponse:
    org = _org_param(request, write=True)
    cells = (
        orgs_with(request.user, Perm.RUN_MEETINGS)
        .filter(path__startswith=org.path, kind__in=Organization.CELL_KINDS, dissolved_on__isnull=True)
        .order_by("name")
    )
    form = PlanForm(request.POST or None, cells=cells, initial={"org": org if org.is_cell else None})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = services.meeting_plan(actor=request.user, **data)
        except ChiboError as err:
            form.add_error(err.field if err.field in form.fields else None, err.message)
        else:
            messages.success(request, _("Đã lên lịch %(m)s.") % {"m": meeting})
            return redirect(_month_url(org, month_start(meeting.scheduled_date)))
    status = 400 if form.errors else 200
    return render(request, "scheduling/plan.html", {"org": org, "form": form}, status=status)


@login_required
@require_POST
def generate(request: AuthenticatedHttpRequest) -> HttpResponse:
    org = _org_param(request, write=True)
    form = GenerateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tháng hoặc năm không hợp lệ."))
        return redirect(_month_url(org, month_start(today())))
    year, month_no = form.cleaned_data["year"], form.cleaned_data["month"]
    try:
        created = services.regular_meetings_generate(actor=request.user, org=org, year=year, months=month_no)
    except ChiboError as err:
        messages.error(request, err.message)
    else:
        n = len(created)
        messages.success(
            request,
            ngettext("Đã tạo %(n)s buổi sinh hoạt thường kỳ.", "Đã tạo %(n)s buổi sinh hoạt thường kỳ.", n) % {"n": n},
        )
    return redirect(_month_url(org, date(year, month_no or 1, 1)))


@login_required
def reschedule(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk, Perm.VIEW_ORG, action="change")
    initial = {
        "scheduled_date": meeting.scheduled_date,
        "scheduled_time": meeting.scheduled_time,
        "place": meeting.place,
    }
    form = RescheduleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_reschedule(actor=request.user, meeting=meeting, **form.cleaned_data)
        except ChiboError as err:
            form.add_error(err.field if err.field in form.fields else None, err.message)
        else:
            messages.success(request, _("Đã dời lịch và thông báo cho người dự."))
            return redirect(_month_url(meeting.org, meeting.period or month_start(meeting.scheduled_date)))
    status = 400 if form.errors else 200
    return render(request, "scheduling/change.html", {"meeting": meeting, "form": form, "cancel": False}, status=status)


@login_required
def cancel(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk, Perm.VIEW_ORG, action="change")
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_cancel(actor=request.user, meeting=meeting, reason=form.cleaned_data["reason"])
        except ChiboError as err:
            form.add_error(err.field if err.field in form.fields else None, err.message)
        else:
            messages.success(request, _("Đã hủy buổi sinh hoạt và thông báo cho người dự."))
            return redirect(_month_url(meeting.org, meeting.period or month_start(meeting.scheduled_date)))
    status = 400 if form.errors else 200
    return render(request, "scheduling/change.html", {"meeting": meeting, "form": form, "cancel": True}, status=status)


@login_required
def guests(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk, Perm.VIEW_ORG, action="change")
    form = GuestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.guest_invite(actor=request.user, meeting=meeting, **form.cleaned_data)
        except ChiboError as err:
            form.add_error(err.field if err.field in form.fields else None, err.message)
        else:
            messages.success(request, _("Đã thêm khách mời."))
            return redirect("scheduling:guests", pk=meeting.pk)
    status = 400 if form.errors else 200
    page = paginate(request, meeting.invited_guests.order_by("id"))
    return render(request, "scheduling/guests.html", {"meeting": meeting, "form": form, "page": page}, status=status)


@login_required
@require_POST
def guest_remove(request: AuthenticatedHttpRequest, pk: int, guest_pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk, Perm.VIEW_ORG, action="change")
    guest = get_object_or_404(MeetingGuest, pk=guest_pk, meeting=meeting)
    try:
        services.guest_remove(actor=request.user, guest=guest)
    except ChiboError as err:
        messages.error(request, err.message)
    return redirect("scheduling:guests", pk=meeting.pk)


@login_required
def feed_settings(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The signed-in member's secret calendar link; POST replaces it."""
    member = getattr(request.user, "member", None)
    if member is None:
        return render(request, "scheduling/feed_settings.html", {"feed": None})
    if request.method == "POST":
        feed = services.feed_regenerate(actor=request.user, member=member)
        messages.success(request, _("Đã tạo đường dẫn mới; đường dẫn cũ không còn dùng được."))
        return redirect("scheduling:feed_settings")
    feed = services.feed_for(member)
    url = request.build_absolute_uri(reverse("scheduling:feed", args=[feed.token]))
    return render(request, "scheduling/feed_settings.html", {"feed": feed, "url": url})


def feed(request: AuthenticatedHttpRequest, token: str) -> HttpResponse:
    """No sign-in: the token is the key. A wrong or replaced token answers 404."""
    found = CalendarFeed.objects.select_related("member").filter(token=token).first()
    if found is None:
        raise Http404
    CalendarFeed.objects.filter(pk=found.pk).update(last_read_at=timezone.now())
    since = today() - timedelta(days=FEED_HISTORY_DAYS)
    body = meetings_ical(list(feed_meetings(found.member, since)), host=request.get_host().split(":")[0])
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="chibo.ics"'
    response["Cache-Control"] = "private, max-age=900"
    return response
