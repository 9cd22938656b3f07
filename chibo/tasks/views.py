"""Task pages (C8, C9): "my tasks" on a phone with the progress report; the tasks a meeting's resolution
gives (with the fitting suggestions); the review at the next meeting; a task; a member's record.

Each view reads top to bottom: the object through a scoped helper (404 outside scope; 403 where the object
is seen but the action is not the user's), a form, one service call, a redirect.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Page
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chibo.accounts.http import AuthenticatedHttpRequest
from chibo.accounts.scope import Perm, can_see_sensitive, get_member_for_user, has_perm_on
from chibo.core.dates import today
from chibo.core.errors import ChiboError
from chibo.core.pagination import paginate
from chibo.meetings.models import Meeting
from chibo.meetings.selectors import get_meeting_for_user
from chibo.members.models import Member
from chibo.members.selectors import in_name_order
from chibo.tasks import fitting, selectors, services
from chibo.tasks.forms import ProgressForm, ReviewForm, TaskForm
from chibo.tasks.models import TaskAssignment, TaskReminder, TaskReview
from chibo.tasks.record import member_record


def _assignable(meeting: Meeting) -> Any:
    """Members the form offers: on the cell's roll and not exempt on the meeting day (the service checks again)."""
    day = selectors.held_on(meeting)
    return in_name_order(
        Member.objects.filter(org=meeting.org_id).current().annotate(x=selectors.exempt_now(day)).filter(x=False)
    )


# --- my tasks -------------------------------------------------------------------------------------------------


@login_required
def my_tasks(request: AuthenticatedHttpRequest) -> HttpResponse:
    member = getattr(request.user, "member", None)
    open_rows: list[tuple[TaskAssignment, ProgressForm]] = []
    done_page: Page | None = None
    reminders: list[TaskReminder] = []
    if member is not None:
        open_qs, reviewed_qs = selectors.my_open_and_recent(member)
        # One form per task, with its own ids so that labels stay tied to their task on the page.
        open_rows = [(a, ProgressForm(auto_id=f"a{a.pk}_%s")) for a in open_qs[:100]]
        done_page = paginate(request, reviewed_qs, per_page=20)
        reminders = list(TaskReminder.objects.filter(assignment__member=member).select_related("assignment__task")[:5])
    return render(
        request,
        "tasks/mine.html",
        {"member": member, "open_rows": open_rows, "page": done_page, "reminders": reminders, "today": today()},
    )


# --- a meeting's tasks (the resolution) --------------------------------------------------------------------


def _meeting_page(
    request: AuthenticatedHttpRequest, meeting: Meeting, form: TaskForm | None = None, status: int = 200
) -> HttpResponse:
    can_run = has_perm_on(request.user, meeting.org, Perm.RUN_MEETINGS)
    if can_run and form is None:
        form = TaskForm(members=_assignable(meeting))
    context = {
        "meeting": meeting,
        "page": paginate(request, selectors.tasks_of_meeting(meeting)),
        "can_run": can_run,
        "form": form if can_run else None,
        "locked": selectors.record_locked(meeting),
    }
    return render(request, "tasks/meeting.html", context, status=status)


@login_required
def meeting_tasks(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _meeting_page(request, get_meeting_for_user(request.user, pk))


@login_required
@require_POST
def task_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk, action="change")
    form = TaskForm(request.POST, members=_assignable(meeting))
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.task_create(
                actor=request.user,
                meeting=meeting,
                description=data["description"],
                assignees=data["assignees"],
                due_on=data["due_on"],
            )
        except ChiboError as err:
            form.add_service_error(err)
        else:
            messages.success(request, _("Đã giao nhiệm vụ."))
            return redirect("tasks:meeting", meeting.pk)
    return _meeting_page(request, meeting, form, status=400)


@login_required
@require_POST
def task_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    task = selectors.get_task_for_user(request.user, pk)
    get_meeting_for_user(request.user, task.meeting_id, action="change")  # 403 for those who only read it
    try:
        services.task_delete(actor=request.user, task=task)
    except ChiboError as err:
        messages.error(request, err.message)
        return redirect(task)
    messages.success(request, _("Đã xóa nhiệm vụ."))
    return redirect("tasks:meeting", task.meeting_id)


@login_required
def suggest(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The cell's members ranked for the task being typed (htmx partial; strengths are for the committee)."""
    meeting = get_meeting_for_user(request.user, pk, action="change")
    text = request.GET.get("description", "")
    fits = fitting.rank_members(org=meeting.org, text=text, day=selectors.held_on(meeting)) if text.strip() else []
    return render(request, "tasks/_suggestions.html", {"fits": fits[:10], "text": text})


# --- the review at the next meeting ----------------------------------------------------------------------


def _review_page(
    request: AuthenticatedHttpRequest, meeting: Meeting, failed: tuple[int, ReviewForm] | None = None, status: int = 200
) -> HttpResponse:
    locked = selectors.record_locked(meeting)
    rows = []
    for assignment in selectors.review_list(meeting):
        review = getattr(assignment, "review", None)
        if failed is not None and failed[0] == assignment.pk:
            form = failed[1]
        else:
            form = ReviewForm(initial=ReviewForm.initial_for(review), locked=locked, prefix=f"a{assignment.pk}")
        rows.append({"assignment": assignment, "review": review, "form": form})
    context = {
        "meeting": meeting,
        "rows": rows,
        "previous": selectors.previous_meeting(meeting),
        "counts": selectors.review_counts(meeting),
        "locked": locked,
    }
    return render(request, "tasks/review.html", context, status=status)


@login_required
def review(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _review_page(request, get_meeting_for_user(request.user, pk, action="change"))


@login_required
@require_POST
def review_save(request: AuthenticatedHttpRequest, pk: int, assignment_pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk, action="change")
    assignment = get_object_or_404(
        TaskAssignment.objects.select_related("task"), pk=assignment_pk, task__org=meeting.org_id
    )
    form = ReviewForm(request.POST, locked=selectors.record_locked(meeting), prefix=f"a{assignment.pk}")
    if form.is_valid():
        try:
            services.task_review_record(actor=request.user, meeting=meeting, assignment=assignment, **form.cleaned_data)
        except ChiboError as err:
            form.add_service_error(err)
        else:
            messages.success(
                request, _("Đã ghi kết quả kiểm điểm của %(name)s.") % {"name": assignment.member.full_name}
            )
            return redirect(reverse("tasks:review", args=[meeting.pk]) + f"#a{assignment.pk}")
    return _review_page(request, meeting, failed=(assignment.pk, form), status=400)


# --- a task ---------------------------------------------------------------------------------------------------


@login_required
def task_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    task = selectors.get_task_for_user(request.user, pk)
    assignments = list(
        task.assignments.select_related("member", "review", "review__meeting")
        .prefetch_related("reports")
        .order_by("pk")
    )
    reportable = [a for a in assignments if selectors.may_report(request.user, a) and not hasattr(a, "review")]
    return render(
        request,
        "tasks/detail.html",
        {
            "task": task,
            "assignments": assignments,
            "reportable": reportable,
            "form": ProgressForm(),
            "can_run": has_perm_on(request.user, task.org, Perm.RUN_MEETINGS),
        },
    )


@login_required
@require_POST
def report(request: AuthenticatedHttpRequest, pk: int, member_pk: int) -> HttpResponse:
    assignment = selectors.get_assignment_to_report(request.user, pk, member_pk)
    form = ProgressForm(request.POST)
    back = request.POST.get("next") or assignment.task.get_absolute_url()
    if not back.startswith("/") or back.startswith("//"):
        back = assignment.task.get_absolute_url()
    try:
        if not form.is_valid():
            field, errors = next(iter(form.errors.items()))
            raise ChiboError(str(errors[0]), field=field)
        services.progress_report(actor=request.user, assignment=assignment, **form.cleaned_data)
    except ChiboError as err:
        messages.error(request, err.message)
    else:
        messages.success(request, _("Đã gửi báo cáo tiến độ."))
    return redirect(back)


# --- a member's record (C9) ------------------------------------------------------------------------------


@login_required
def member_record_page(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    member = get_member_for_user(request.user, pk)
    sensitive = can_see_sensitive(request.user, member)
    record = member_record(member, sensitive=sensitive)
    reviews = (
        TaskReview.objects.filter(assignment__member=member)
        .select_related("assignment__task", "meeting")
        .order_by("-meeting__scheduled_date", "-pk")
    )
    return render(
        request,
        "tasks/record.html",
        {"member": member, "record": record, "page": paginate(request, reviews, per_page=20), "sensitive": sensitive},
    )
