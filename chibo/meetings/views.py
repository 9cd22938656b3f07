"""Meeting pages: the list, a meeting's page, its preparation (C5), the upper level's readiness board, and
the live page (C6) with its htmx actions.

Every view reads top to bottom: the meeting through `get_meeting_for_user` (404 outside scope; actions that
change a meeting ask for Perm.RUN_MEETINGS, which members, viewers and supervisors lack), then a form,
then one service call. Under htmx an action answers the section it changed (plus the live totals
out-of-band); without JavaScript it redirects back to the page, so every form also works as plain HTML.
"""

import hashlib
import re
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chibo.accounts.models import User
from chibo.accounts.scope import Perm, get_org_for_user, has_perm_on
from chibo.core.errors import ChiboError
from chibo.core.pagination import paginate
from chibo.meetings import polling, selectors, services
from chibo.meetings.forms import (
    AgendaAddForm,
    AgendaItemForm,
    AttachmentForm,
    AttendanceForm,
    DraftForm,
    GuestForm,
    OpenForm,
    PreparationForm,
    ReadinessForm,
    RemarkForm,
    SpeakerForm,
    TurnForm,
    VoteForm,
)
from chibo.meetings.models import AgendaItem, Attachment, Attendance, Guest, Meeting, SpeakingTurn
from chibo.members.models import Member
from chibo.members.selectors import in_name_order, shared_names
from chibo.organizations.models import Organization
from chibo.organizations.selectors import highest_visible

RUN = Perm.RUN_MEETINGS


def _actor(request: HttpRequest) -> User:
    """The signed-in user (every view here is behind @login_required)."""
    assert isinstance(request.user, User)
    return request.user


def _cell_members(meeting: Meeting) -> Any:
    return in_name_order(Member.objects.filter(org=meeting.org_id).current())


def _form_error(form: Any) -> ChiboError:
    """The first error of an invalid form, as a refusal to show where the action was."""
    for field, errors in form.errors.items():
        return ChiboError(str(errors[0]), field=None if field == "__all__" else field)
    return ChiboError(_("Dữ liệu không hợp lệ."))


def _back(request: HttpRequest, meeting: Meeting, error: ChiboError | None, to: str = "meetings:live") -> HttpResponse:
    """Without htmx: back to the page, with the refusal as a message."""
    if error is not None:
        messages.error(request, error.message)
    return redirect(to, meeting.pk)


# --- lists and the meeting page --------------------------------------------------------------------------


@login_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    qs = selectors.meetings_with(request.user).select_related("org")
    org = None
    if request.GET.get("org"):
        org = get_org_for_user(request.user, request.GET["org"], Perm.ATTEND_MEETINGS)  # type: ignore[arg-type]
        qs = qs.filter(org__path__startswith=org.path)
    if request.GET.get("status") in Meeting.Status.values:
        qs = qs.filter(status=request.GET["status"])
    return render(
        request,
        "meetings/list.html",
        {"page": paginate(request, qs.order_by("-scheduled_date", "-scheduled_time", "pk")), "org": org,
         "statuses": Meeting.Status.choices},
    )  # fmt: skip


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(
        selectors.with_readiness(selectors.meetings_with(request.user).filter(pk=pk)).select_related(
            "chair", "recorder"
        )
    )
    totals = selectors.live_totals(meeting) if meeting.status != Meeting.Status.PLANNED else None
    return render(
        request,
        "meetings/detail.html",
        {
            "meeting": meeting,
            "can_run": has_perm_on(request.user, meeting.org, RUN),
            "checks": selectors.checklist(meeting),
            "agenda": meeting.agenda_items.select_related("presenter").order_by("position"),
            "attachments": meeting.attachments.all(),
            "totals": totals,
            "absentees": selectors.absentees(meeting) if totals else [],
            "turns": selectors.turns(meeting).exclude(status=SpeakingTurn.Status.WITHDRAWN) if totals else [],
            "vote": meeting.votes.first(),
        },
    )


@login_required
def readiness(request: HttpRequest) -> HttpResponse:
    """The upper level's board: every cell under a committee with a meeting in the coming days."""
    form = ReadinessForm(request.GET or None)
    days = (form.cleaned_data.get("days") if form.is_valid() else None) or 7
    root: Organization | None
    if request.GET.get("org"):
        root = get_org_for_user(request.user, request.GET["org"])  # type: ignore[arg-type]
    else:  # the highest node the user watches
        root = highest_visible(request.user)
    page = None
    if root is not None:
        page = paginate(request, selectors.readiness_board(request.user, root, days=days))
        for m in page.object_list:
            m.checks = selectors.checklist(m)
            m.ready = all(c.ok is not False for c in m.checks)
    return render(request, "meetings/readiness.html", {"form": form, "root": root, "days": days, "page": page})


@login_required
def attachment_download(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    meeting = selectors.get_meeting_for_user(request.user, pk)
    attachment = get_object_or_404(Attachment, meeting=meeting, pk=attachment_pk)
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=download_name(attachment.title, attachment.extension),
        content_type=attachment.content_type,
    )
    # Always a download, never a page of this site: a PDF/HTML polyglot cannot run here even if opened.
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


_NOT_IN_NAMES = re.compile(r'[.\\/:*?"<>|\x00-\x1f]+')


def download_name(title: str, extension: str) -> str:
    """The title as a file name with exactly one extension, the one detected from the content."""
    stem = " ".join(_NOT_IN_NAMES.sub(" ", title).split())[:80] or "tai-lieu"
    return f"{stem}{extension}"


# --- preparation (C5) ------------------------------------------------------------------------------------


def _prepare_context(meeting: Meeting, **extra: Any) -> dict[str, Any]:
    members = _cell_members(meeting)
    prep = getattr(meeting, "preparation", None) if hasattr(meeting, "preparation") else None
    initial = (
        {"held_on": prep.held_on, "attendees": list(prep.attendees.all()), "preparer": prep.preparer,
         "decisions": prep.decisions}
        if prep else {"held_on": timezone.localdate()}
    )  # fmt: skip
    items = list(meeting.agenda_items.select_related("presenter").order_by("position"))
    for item in items:
        item.form = AgendaItemForm(  # type: ignore[attr-defined]
            members=members,
            prefix=f"item{item.pk}",
            initial={"title": item.title, "notes": item.notes, "presenter": item.presenter,
                     "approved_on": item.approved_on},
        )  # fmt: skip
    return {
        "meeting": meeting,
        "prep": prep,
        "prep_form": PreparationForm(members=members, initial=initial),
        "items": items,
        "add_form": AgendaAddForm(),
        "draft_form": DraftForm(initial={"text": meeting.draft_resolution}),
        "attachment_form": AttachmentForm(),
        "attachments": meeting.attachments.all(),
        "editable": meeting.status in (Meeting.Status.PLANNED, Meeting.Status.OPEN),
        **extra,
    }


@login_required
def prepare(request: HttpRequest, pk: int) -> HttpResponse:
    """The preparation page; its POST records the cell committee's preparatory meeting."""
    meeting = selectors.get_meeting_for_user(request.user, pk, action="change")
    if request.method != "POST":
        return render(request, "meetings/prepare.html", _prepare_context(meeting))
    form = PreparationForm(request.POST, members=_cell_members(meeting))
    if form.is_valid():
        try:
            services.preparation_record(actor=_actor(request), meeting=meeting, **form.cleaned_data)
            messages.success(request, _("Đã ghi cuộc họp chi ủy chuẩn bị."))
            return redirect("meetings:prepare", meeting.pk)
        except ChiboError as err:
            form.add_error(err.field if err.field in form.fields else None, err.message)
    ctx = _prepare_context(meeting)
    ctx["prep_form"] = form
    return render(request, "meetings/prepare.html", ctx, status=400)


def _agenda_action(request: HttpRequest, pk: int, action: Callable[[Meeting], object]) -> HttpResponse:
    """Run an agenda change; htmx gets the agenda section back, a plain form a redirect."""
    meeting = selectors.get_meeting_for_user(request.user, pk, action="change")
    error = None
    try:
        action(meeting)
    except ChiboError as err:
        error = err
    if request.htmx:  # type: ignore[attr-defined]
        ctx = _prepare_context(meeting, agenda_error=error)
        return render(request, "meetings/prepare/_agenda.html", ctx, status=200)
    return _back(request, meeting, error, "meetings:prepare")


@login_required
@require_POST
def agenda_template(request: HttpRequest, pk: int) -> HttpResponse:
    replace = request.POST.get("replace") == "1"
    return _agenda_action(
        request, pk, lambda m: services.agenda_from_template(actor=_actor(request), meeting=m, replace=replace)
    )


@login_required
@require_POST
def agenda_add(request: HttpRequest, pk: int) -> HttpResponse:
    form = AgendaAddForm(request.POST)

    def add(meeting: Meeting) -> None:
        if not form.is_valid():
            raise _form_error(form)
        services.agenda_item_add(actor=_actor(request), meeting=meeting, title=form.cleaned_data["title"])

    return _agenda_action(request, pk, add)


@login_required
@require_POST
def agenda_item(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    def update(meeting: Meeting) -> None:
        item = get_object_or_404(AgendaItem, meeting=meeting, pk=item_pk)
        form = AgendaItemForm(request.POST, members=_cell_members(meeting), prefix=f"item{item.pk}")
        if not form.is_valid():
            raise _form_error(form)
        services.agenda_item_update(actor=_actor(request), item=item, **form.cleaned_data)

    return _agenda_action(request, pk, update)


@login_required
@require_POST
def agenda_move(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    up = request.POST.get("direction") == "up"
    return _agenda_action(
        request,
        pk,
        lambda m: services.agenda_item_move(
            actor=_actor(request), item=get_object_or_404(AgendaItem, meeting=m, pk=item_pk), up=up
        ),
    )


@login_required
@require_POST
def agenda_delete(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    return _agenda_action(
        request,
        pk,
        lambda m: services.agenda_item_delete(
            actor=_actor(request), item=get_object_or_404(AgendaItem, meeting=m, pk=item_pk)
        ),
    )


@login_required
@require_POST
def draft_save(request: HttpRequest, pk: int) -> HttpResponse:
    """Autosave of the draft resolution (htmx, on typing); answers a one-line status."""
    meeting = selectors.get_meeting_for_user(request.user, pk, action="change")
    form = DraftForm(request.POST)
    try:
        if not form.is_valid():
            raise _form_error(form)
        meeting = services.draft_resolution_save(actor=_actor(request), meeting=meeting, text=form.cleaned_data["text"])
    except ChiboError as err:
        return _saved(request, meeting, err, "meetings:prepare")
    return _saved(request, meeting, None, "meetings:prepare")


def _saved(request: HttpRequest, meeting: Meeting, error: ChiboError | None, to: str) -> HttpResponse:
    if request.htmx:  # type: ignore[attr-defined]
        # 200 either way: htmx swaps only 2xx answers, and the refusal must be seen where it was typed.
        return render(request, "meetings/_saved.html", {"error": error, "at": timezone.localtime()})
    return _back(request, meeting, error, to)


@login_required
@require_POST
def attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.get_meeting_for_user(request.user, pk, action="change")
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attachment_add(
                actor=_actor(request),
                meeting=meeting,
                upload=form.cleaned_data["file"],
                title=form.cleaned_data["title"],
                kind=form.cleaned_data["kind"],
            )
            messages.success(request, _("Đã đính kèm tài liệu."))
            return redirect("meetings:prepare", meeting.pk)
        except ChiboError as err:
            form.add_error(err.field if err.field in form.fields else None, err.message)
    return render(request, "meetings/prepare.html", _prepare_context(meeting, attachment_form=form), status=400)


@login_required
@require_POST
def attachment_delete(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    meeting = selectors.get_meeting_for_user(request.user, pk, action="change")
    attachment = get_object_or_404(Attachment, meeting=meeting, pk=attachment_pk)
    error = None
    try:
        services.attachment_delete(actor=_actor(request), attachment=attachment)
    except ChiboError as err:
        error = err
    return _back(request, meeting, error, "meetings:prepare")


# --- the live meeting (C6) -------------------------------------------------------------------------------


def _my_row(request: HttpRequest, meeting: Meeting) -> Attendance | None:
    """The viewer's own row on the meeting's roll, if they are on it."""
    member_id = getattr(request.user, "member_id", None)
    if not member_id or meeting.status == Meeting.Status.PLANNED:
        return None
    return Attendance.objects.filter(meeting=meeting, member_id=member_id).first()


def _turns_context(request: HttpRequest, meeting: Meeting, mine: Attendance | None) -> dict[str, Any]:
    """The list of speakers as the viewer sees it: one query (the turns, their names, namesakes marked)."""
    turns = list(selectors.turns_named(meeting))
    can_run = has_perm_on(request.user, meeting.org, RUN)
    waiting = mine is not None and any(
        t.member_id == mine.member_id and t.status == SpeakingTurn.Status.QUEUED for t in turns
    )
    return {
        "can_run": can_run,
        "my_row": mine,
        "from_above": mine is None and meeting.status != Meeting.Status.PLANNED,
        "meeting": meeting,
        "turns": [t for t in turns if t.status != SpeakingTurn.Status.WITHDRAWN],
        "busy": {t.member_id for t in turns if t.status in SpeakingTurn.BUSY_STATUSES},
        "namesakes": {t.member.full_name for t in turns if t.namesake},  # type: ignore[attr-defined]
        # Changes when the list does: the secretary's page fetches the list and swaps it only then.
        "turns_version": hashlib.sha1(  # noqa: S324 - a change marker, not security
            ",".join(f"{t.pk}:{t.status}" for t in turns).encode()
        ).hexdigest()[:12],
        "criticism_kinds": (SpeakingTurn.Kind.CRITICISM, SpeakingTurn.Kind.SELF_CRITICISM),
        # The secretary puts themself on the list like anyone else; the button is for the members' phones.
        "can_request": meeting.is_open and mine is not None and mine.is_present and not waiting and not can_run,
        "waiting": waiting,
        "kinds": SpeakingTurn.Kind.choices,
        # Once the minutes are signed and locked, turns are shown, not offered for editing.
        "turns_editable": can_run and services.record_is_editable(meeting),
    }


def _speakers_context(request: HttpRequest, meeting: Meeting, rows: list[Attendance] | None = None) -> dict[str, Any]:
    """The list of speakers with, for whoever runs the meeting, the names present to add to it."""
    rows = rows if rows is not None else list(selectors.attendance_rows(meeting))
    member_id = getattr(request.user, "member_id", None)
    mine = next((r for r in rows if r.member_id == member_id), None) if member_id else None
    ctx = _turns_context(request, meeting, mine)
    present_rows = [r for r in rows if r.is_present]
    ctx.update(
        present_rows=present_rows,
        # One tap on a name puts them on the list (not those already waiting or speaking); a slot for every
        # member on the roll, so that a tap can swap one member's slot alone.
        chips=[(r, r.is_present and r.member_id not in ctx["busy"]) for r in rows],
        namesakes=shared_names([r.member for r in rows]),
    )
    return ctx


def _officers_initial(request: HttpRequest, meeting: Meeting) -> dict[str, int | None]:
    """Who chairs and who records, offered before opening: the one opening the meeting (usually the
    secretary) chairs; the recorder of the cell's previous meeting records again. Both can be changed."""
    previous = (
        Meeting.objects.filter(org_id=meeting.org_id, status=Meeting.Status.CLOSED, recorder__isnull=False)
        .order_by("-scheduled_date")
        .values_list("recorder_id", flat=True)
        .first()
    )
    return {
        "chair": meeting.chair_id or getattr(request.user, "member_id", None),
        "recorder": meeting.recorder_id or previous,
    }


def _live_context(request: HttpRequest, meeting: Meeting) -> dict[str, Any]:
    rows = list(selectors.attendance_rows(meeting))
    ctx = _speakers_context(request, meeting, rows)
    remarks = list(meeting.remarks.select_related("author"))
    ctx.update(
        rows=rows,
        duration=selectors.duration_state(meeting),
        totals=selectors.live_totals(meeting) if meeting.status != Meeting.Status.PLANNED else None,
        agenda=list(meeting.agenda_items.order_by("position")),
        guests=list(meeting.guests.all()),
        vote=meeting.votes.first(),
        vote_form=VoteForm(),
        guest_form=GuestForm(),
        remarks=remarks,
        my_remark=next((r for r in remarks if r.author_id == request.user.pk), None),
        statuses=Attendance.Status,
    )
    agenda = ctx["agenda"]
    ctx["current_item"] = next((i for i in agenda if i.is_current), None)
    ctx["next_item"] = next((i for i in agenda if i.started_at is None), None)
    if meeting.status == Meeting.Status.PLANNED and ctx["can_run"]:
        ctx["open_form"] = OpenForm(members=_cell_members(meeting), initial=_officers_initial(request, meeting))
    ctx["checked_in"] = any(g.user_id == request.user.pk for g in ctx["guests"])
    return ctx


@login_required
def live(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.get_meeting_for_user(request.user, pk)
    return render(request, "meetings/live.html", _live_context(request, meeting))


@login_required
def live_speakers(request: HttpRequest, pk: int) -> HttpResponse:
    """The list of speakers alone: what the secretary's page fetches (static/meetings/live.js) to show a
    member's request made from their phone, without a reload. Sent with an ETag (chibo.meetings.polling):
    while the meeting does not change, the next fetch is answered 304 before any of this runs."""
    meeting = selectors.get_meeting_for_user(request.user, pk)
    tag = polling.etag_for(request, "speakers", meeting)
    return polling.mark(render(request, "meetings/live/_speakers.html", _speakers_context(request, meeting)), tag)


@login_required
def live_panel(request: HttpRequest, pk: int) -> HttpResponse:
    """What a member's or supervisor's phone polls every 15 s: the totals, the agenda and the list of
    speakers, and nothing else. Sent with an ETag (chibo.meetings.polling): while the meeting does not
    change, the next poll is answered 304 from its version, before any of this runs."""
    meeting = selectors.get_meeting_for_user(request.user, pk)
    tag = polling.etag_for(request, "panel", meeting)
    ctx = _turns_context(request, meeting, _my_row(request, meeting))
    agenda = list(meeting.agenda_items.order_by("position")) if meeting.status != Meeting.Status.PLANNED else []
    ctx.update(
        totals=selectors.live_totals(meeting) if meeting.status != Meeting.Status.PLANNED else None,
        agenda=agenda,
    )
    return polling.mark(render(request, "meetings/live/_panel.html", ctx), tag)


def _live_action(
    request: HttpRequest,
    pk: int,
    perm: Perm,
    section: str,
    action: Callable[[Meeting], object],
    *,
    counts: bool = True,
) -> HttpResponse:
    """Run one live action and answer its section (htmx) or redirect (plain form). A speaker action leaves
    the meeting's state as it was read (no re-read) and sends the totals only when it may change them
    (`counts`: giving the floor adds a speaker; adding, asking, finishing or withdrawing a turn does not)."""
    meeting = (
        selectors.get_meeting_for_user(request.user, pk, action="change")
        if perm == RUN
        else selectors.get_meeting_for_user(request.user, pk, perm)
    )
    error = None
    try:
        action(meeting)
    except ChiboError as err:
        error = err
    if not request.htmx:  # type: ignore[attr-defined]
        return _back(request, meeting, error)
    if section == "speakers":
        ctx = _speakers_context(request, meeting)
        ctx["totals"] = selectors.live_totals(meeting) if counts else None
    else:
        meeting.refresh_from_db(fields=["status", "started_at", "ended_at", "chair", "recorder"])
        ctx = _live_context(request, meeting)
    ctx["error"] = error
    ctx["oob_extras"] = True  # the answer also refreshes the sticky bar (and, for attendance, the totals)
    return render(request, f"meetings/live/_{section}.html", ctx)


@login_required
@require_POST
def meeting_open(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.get_meeting_for_user(request.user, pk, action="change")
    form = OpenForm(request.POST, members=_cell_members(meeting))
    valid = form.is_valid()
    try:
        if not valid and meeting.status == Meeting.Status.PLANNED:
            raise _form_error(form)
        # An invalid form on a meeting already open still goes to the service, which says why first.
        officers = {name: form.cleaned_data.get(name) for name in ("chair", "recorder")}
        services.meeting_open(actor=_actor(request), meeting=meeting, **officers)
        return redirect("meetings:live", meeting.pk)
    except ChiboError as err:
        if meeting.status != Meeting.Status.PLANNED:
            return _back(request, meeting, err)
        if valid:
            form.add_error(err.field if err.field in form.fields else None, err.message)
    # Refused: the page again with the choices made, each refusal beside its field.
    ctx = _live_context(request, meeting)
    ctx["open_form"] = form
    return render(request, "meetings/live.html", ctx, status=400)


@login_required
@require_POST
def officers(request: HttpRequest, pk: int) -> HttpResponse:
    def change(meeting: Meeting) -> None:
        form = OpenForm(request.POST, members=_cell_members(meeting))
        if not form.is_valid():
            raise _form_error(form)
        services.meeting_officers_set(actor=_actor(request), meeting=meeting, **form.cleaned_data)

    return _live_action(request, pk, RUN, "header", change)


@login_required
@require_POST
def attendance(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    """One tap: the member's row comes back, and out of band only what the tap changes (the totals, read
    once, and what follows from them; this member's name among those who can be added as speakers).
    Eight queries: session, user, grants, meeting, the row, the lock, the mark, the totals."""
    meeting = selectors.get_meeting_for_user(request.user, pk, action="change")
    row = get_object_or_404(selectors.roll_row(meeting, member_pk))
    form = AttendanceForm(request.POST)
    error = None
    try:
        if not form.is_valid():
            raise _form_error(form)
        row = services.attendance_record(
            actor=_actor(request), meeting=meeting, member=row.member, row=row, **form.cleaned_data
        )
    except ChiboError as err:
        error = err
    if not request.htmx:  # type: ignore[attr-defined]
        return _back(request, meeting, error)
    return render(
        request,
        "meetings/live/_attendance_answer.html",
        {"meeting": meeting, "row": row, "error": error, "can_run": True, "statuses": Attendance.Status,
         "totals": selectors.live_totals(meeting), "addable": row.is_present and not row.busy,  # type: ignore[attr-defined]
         "namesakes": {row.member.full_name} if row.namesake else set()},  # type: ignore[attr-defined]
    )  # fmt: skip


@login_required
@require_POST
def attendance_all_present(request: HttpRequest, pk: int) -> HttpResponse:
    """One tap: everyone not yet marked is present; the attendance section comes back folded with its totals."""
    return _live_action(
        request,
        pk,
        RUN,
        "attendance",
        lambda m: services.attendance_mark_rest_present(actor=_actor(request), meeting=m),
    )


@login_required
@require_POST
def guest_add(request: HttpRequest, pk: int) -> HttpResponse:
    def add(meeting: Meeting) -> None:
        form = GuestForm(request.POST)
        if not form.is_valid():
            raise _form_error(form)
        services.guest_add(actor=_actor(request), meeting=meeting, **form.cleaned_data)

    return _live_action(request, pk, RUN, "guests", add)


@login_required
@require_POST
def guest_remove(request: HttpRequest, pk: int, guest_pk: int) -> HttpResponse:
    return _live_action(
        request,
        pk,
        RUN,
        "guests",
        lambda m: services.guest_remove(actor=_actor(request), guest=get_object_or_404(Guest, meeting=m, pk=guest_pk)),
    )


@login_required
@require_POST
def checkin(request: HttpRequest, pk: int) -> HttpResponse:
    """The upper-level cadre marks themselves present (dự sinh hoạt) from their phone."""
    return _live_action(
        request,
        pk,
        Perm.ATTEND_MEETINGS,
        "guests",
        lambda m: services.guest_add(
            actor=_actor(request),
            meeting=m,
            user=_actor(request),
            is_supervisor=True,
            role=request.POST.get("role", ""),
        ),
    )


@login_required
@require_POST
def agenda_advance(request: HttpRequest, pk: int) -> HttpResponse:
    return _live_action(request, pk, RUN, "agenda", lambda m: services.agenda_advance(actor=_actor(request), meeting=m))


@login_required
@require_POST
def speaker_request(request: HttpRequest, pk: int) -> HttpResponse:
    """A member asks for the floor from their own phone."""
    return _live_action(
        request,
        pk,
        Perm.ATTEND_MEETINGS,
        "speakers",
        lambda m: services.speaker_request(actor=_actor(request), meeting=m),
        counts=False,
    )


@login_required
@require_POST
def speaker_add(request: HttpRequest, pk: int) -> HttpResponse:
    def add(meeting: Meeting) -> None:
        present = Member.objects.filter(
            attendances__meeting=meeting, attendances__status__in=Attendance.PRESENT_STATUSES
        )
        form = SpeakerForm(request.POST, members=present)
        if not form.is_valid():
            raise _form_error(form)
        services.speaker_add(actor=_actor(request), meeting=meeting, **form.cleaned_data)

    return _live_action(request, pk, RUN, "speakers", add, counts=False)


def _turn_action(
    request: HttpRequest, pk: int, turn_pk: int, act: Callable[[SpeakingTurn], object], *, counts: bool = False
) -> HttpResponse:
    def run(meeting: Meeting) -> None:
        act(get_object_or_404(SpeakingTurn.objects.select_related("meeting"), meeting=meeting, pk=turn_pk))

    return _live_action(request, pk, RUN, "speakers", run, counts=counts)


def _turn_text(request: HttpRequest) -> dict[str, str | None]:
    form = TurnForm(request.POST)
    if not form.is_valid():
        raise _form_error(form)
    return {
        "kind": form.cleaned_data["kind"] or None,
        "summary": form.cleaned_data["summary"] if "summary" in request.POST else None,
    }


@login_required
@require_POST
def turn_start(request: HttpRequest, pk: int, turn_pk: int) -> HttpResponse:
    return _turn_action(request, pk, turn_pk, lambda t: services.turn_start(actor=_actor(request), turn=t), counts=True)


@login_required
@require_POST
def turn_finish(request: HttpRequest, pk: int, turn_pk: int) -> HttpResponse:
    return _turn_action(
        request,
        pk,
        turn_pk,
        lambda t: services.turn_finish(actor=_actor(request), turn=t, **_turn_text(request)),
    )


@login_required
@require_POST
def turn_withdraw(request: HttpRequest, pk: int, turn_pk: int) -> HttpResponse:
    return _turn_action(request, pk, turn_pk, lambda t: services.turn_withdraw(actor=_actor(request), turn=t))


@login_required
@require_POST
def turn_save(request: HttpRequest, pk: int, turn_pk: int) -> HttpResponse:
    """Autosave of a turn's kind and summary; answers a one-line status, never the whole list (the
    recorder is typing in it)."""
    meeting = selectors.get_meeting_for_user(request.user, pk, action="change")
    turn = get_object_or_404(SpeakingTurn.objects.select_related("meeting"), meeting=meeting, pk=turn_pk)
    try:
        services.turn_update(actor=_actor(request), turn=turn, **_turn_text(request))
    except ChiboError as err:
        return _saved(request, meeting, err, "meetings:live")
    return _saved(request, meeting, None, "meetings:live")


@login_required
@require_POST
def vote(request: HttpRequest, pk: int) -> HttpResponse:
    """The vote recorded: its section comes back, with the sticky bar out of band (its next action follows
    the vote). Eight queries: session, user, grants, meeting, the lock, the totals (read once, by the
    service, which decides on them), the vote, the agenda."""
    meeting = selectors.get_meeting_for_user(request.user, pk, action="change")
    form = VoteForm(request.POST)
    error, recorded = None, None
    try:
        if not form.is_valid():
            raise _form_error(form)
        recorded = services.vote_record(actor=_actor(request), meeting=meeting, **form.cleaned_data)
    except ChiboError as err:
        error = err
    if not request.htmx:  # type: ignore[attr-defined]
        return _back(request, meeting, error)
    agenda = list(meeting.agenda_items.order_by("position"))
    return render(
        request,
        "meetings/live/_vote_answer.html",
        {"meeting": meeting, "error": error, "can_run": True, "vote": recorded or meeting.votes.first(),
         "totals": recorded.totals if recorded else selectors.live_totals(meeting),  # type: ignore[attr-defined]
         "agenda": agenda, "current_item": next((i for i in agenda if i.is_current), None),
         "next_item": next((i for i in agenda if i.started_at is None), None)},
    )  # fmt: skip


@login_required
@require_POST
def remark_save(request: HttpRequest, pk: int) -> HttpResponse:
    """The supervisor's remark, autosaved as it is typed."""
    meeting = selectors.get_meeting_for_user(request.user, pk)
    form = RemarkForm(request.POST)
    try:
        if not form.is_valid():
            raise _form_error(form)
        services.remark_save(actor=_actor(request), meeting=meeting, text=form.cleaned_data["text"])
    except ChiboError as err:
        return _saved(request, meeting, err, "meetings:live")
    return _saved(request, meeting, None, "meetings:live")


@login_required
def meeting_close(request: HttpRequest, pk: int) -> HttpResponse:
    """GET shows what falls short (selectors.closing_shortfalls); POST with confirm=1 closes. A POST
    without the confirmation shows the same page again: the person closing has seen what is short."""
    meeting = selectors.get_meeting_for_user(request.user, pk, action="change")
    if not meeting.is_open:
        return redirect("meetings:detail", meeting.pk)
    if request.method == "POST" and request.POST.get("confirm") == "1":
        try:
            services.meeting_close(actor=_actor(request), meeting=meeting)
        except ChiboError as err:
            return _closing_page(request, meeting, err, status=400)
        messages.success(request, _("Đã bế mạc buổi sinh hoạt."))
        return redirect("meetings:detail", meeting.pk)
    return _closing_page(request, meeting, None, status=200)


def _closing_page(request: HttpRequest, meeting: Meeting, error: ChiboError | None, *, status: int) -> HttpResponse:
    ctx = {
        "meeting": meeting,
        "shortfalls": selectors.closing_shortfalls(meeting),
        "duration": selectors.duration_state(meeting),
        "error": error,
    }
    return render(request, "meetings/close.html", ctx, status=status)
