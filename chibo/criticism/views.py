"""Criticism pages: the cell's records, recording one at a meeting, a record with its follow-ups. Only the
cell committee and above (Perm.SEE_SENSITIVE) ever get anything but 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chibo.accounts.http import AuthenticatedHttpRequest
from chibo.accounts.scope import Perm, get_org_for_user
from chibo.core.errors import ChiboError
from chibo.core.pagination import paginate
from chibo.criticism import selectors, services
from chibo.criticism.forms import FollowUpForm, RecordForm
from chibo.criticism.models import CriticismRecord
from chibo.meetings.models import Meeting, SpeakingTurn
from chibo.members.models import Member
from chibo.members.selectors import in_name_order


@login_required
def record_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not selectors.may_see_any(request.user):
        raise Http404
    qs = selectors.records_with(request.user).select_related("member", "meeting", "org")
    org = None
    if request.GET.get("org"):
        org = get_org_for_user(request.user, request.GET["org"], Perm.SEE_SENSITIVE)  # type: ignore[arg-type]
        qs = qs.filter(org__path__startswith=org.path)
    if request.GET.get("status") in CriticismRecord.Status.values:
        qs = qs.filter(status=request.GET["status"])
    return render(request, "criticism/list.html", {"page": paginate(request, qs), "org": org,
                                                   "statuses": CriticismRecord.Status.choices})  # fmt: skip


def _record_form(meeting: Meeting, data: object = None, initial: dict[str, object] | None = None) -> RecordForm:
    return RecordForm(
        data,
        initial=initial,
        members=in_name_order(Member.objects.filter(org=meeting.org_id).current()),
        turns=SpeakingTurn.objects.filter(
            meeting=meeting, kind__in=[SpeakingTurn.Kind.CRITICISM, SpeakingTurn.Kind.SELF_CRITICISM]
        ).select_related("member"),
    )


def _from_turn(meeting: Meeting, turn_pk: str | None) -> dict[str, object] | None:
    """The form filled from a criticism or self-criticism turn of the live meeting (the live page offers it in
    one tap): the member, the kind, the turn and what was said; the commitment is left to write."""
    if not (turn_pk or "").isdigit():
        return None
    turn = SpeakingTurn.objects.filter(
        meeting=meeting, pk=int(turn_pk or 0), kind__in=[SpeakingTurn.Kind.CRITICISM, SpeakingTurn.Kind.SELF_CRITICISM]
    ).first()
    if turn is None:
        return None
    kind = (
        CriticismRecord.Kind.SELF_CRITICISM
        if turn.kind == SpeakingTurn.Kind.SELF_CRITICISM
        else CriticismRecord.Kind.CRITICISM
    )
    return {"member": turn.member_id, "kind": kind, "turn": turn.pk, "content": turn.summary}


@login_required
def record_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.get_meeting_to_record(request.user, pk)
    form = _record_form(meeting, request.POST or None, initial=_from_turn(meeting, request.GET.get("turn")))
    if request.method == "POST" and form.is_valid():
        try:
            record = services.criticism_record(actor=request.user, meeting=meeting, **form.cleaned_data)
        except ChiboError as err:
            form.add_service_error(err)
        else:
            messages.success(request, _("Đã ghi nhận."))
            return redirect(record)
    status = 400 if request.method == "POST" else 200
    existing = selectors.records_of_meeting(meeting)
    return render(
        request, "criticism/create.html", {"meeting": meeting, "form": form, "existing": existing}, status=status
    )


def _follow_up_form(record: CriticismRecord, data: object = None) -> FollowUpForm:
    later = Meeting.objects.filter(
        org_id=record.org_id,
        scheduled_date__gt=record.meeting.scheduled_date,
        status__in=[Meeting.Status.OPEN, Meeting.Status.CLOSED],
    ).order_by("-scheduled_date")
    return FollowUpForm(data, meetings=later)


def _detail(
    request: AuthenticatedHttpRequest, record: CriticismRecord, form: FollowUpForm | None = None, status: int = 200
) -> HttpResponse:
    from chibo.accounts.scope import has_perm_on

    can_write = has_perm_on(request.user, record.org, Perm.RUN_MEETINGS)
    context = {
        "record": record,
        "follow_ups": record.follow_ups.select_related("meeting").order_by("meeting__scheduled_date"),
        "form": (form or _follow_up_form(record)) if can_write else None,
    }
    return render(request, "criticism/detail.html", context, status=status)


@login_required
def record_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.get_record_for_user(request.user, pk))


@login_required
@require_POST
def follow_up(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    record = selectors.get_record_for_user(request.user, pk, write=True)
    form = _follow_up_form(record, request.POST)
    if form.is_valid():
        try:
            services.follow_up_record(actor=request.user, record=record, **form.cleaned_data)
        except ChiboError as err:
            form.add_service_error(err)
        else:
            messages.success(request, _("Đã ghi kết quả theo dõi."))
            return redirect(record)
    return _detail(request, record, form, status=400)
