"""The score page of a meeting (C14) and a cell's levels by quarter and year. Reads through the meetings'
scope helpers (404 outside scope; 403 for an action the reader may not take); one service call each."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chibo.accounts.http import AuthenticatedHttpRequest
from chibo.accounts.scope import Perm, get_org_for_user, has_perm_on
from chibo.core.dates import today
from chibo.core.errors import ChiboError
from chibo.meetings.models import Meeting
from chibo.meetings.selectors import get_meeting_for_user
from chibo.quality import selectors, services
from chibo.quality.forms import AdjustForm, ScoreVoteForm, YearForm
from chibo.quality.models import MeetingScore


def _score_or_error(meeting: Meeting) -> MeetingScore:
    score = MeetingScore.objects.filter(meeting=meeting).first()
    if score is None:
        raise ChiboError(_("Buổi sinh hoạt chưa được chấm điểm (chỉ chấm sau khi bế mạc)."))
    return score


def _first_error(form: Any) -> ChiboError:
    for field, errors in form.errors.items():
        return ChiboError(str(errors[0]), field=None if field == "__all__" else field)
    return ChiboError(_("Dữ liệu không hợp lệ."))


def _page(
    request: AuthenticatedHttpRequest, meeting: Meeting, error: ChiboError | None = None, status: int = 200
) -> HttpResponse:
    score = selectors.score_of(meeting)
    ctx = {
        "meeting": meeting,
        "score": score,
        "can_run": has_perm_on(request.user, meeting.org, Perm.RUN_MEETINGS),
        "may_confirm": score is not None and request.user in selectors.upper_level_attendees(meeting),
        "vote_form": ScoreVoteForm(),
        "error": error,
        "amendments": list(score.amendments.select_related("author")) if score else [],
    }
    return render(request, "quality/score.html", ctx, status=status)


@login_required
def score_page(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _page(request, get_meeting_for_user(request.user, pk))


def _act(request: AuthenticatedHttpRequest, meeting: Meeting, action: Any) -> HttpResponse:
    try:
        action()
    except ChiboError as err:
        return _page(request, meeting, err, status=400)
    messages.success(request, _("Đã ghi."))
    return redirect("quality:score", meeting.pk)


@login_required
@require_POST
def propose(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk, action="change")
    return _act(request, meeting, lambda: services.score_propose(actor=request.user, meeting=meeting))


@login_required
@require_POST
def adjust(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk, action="change")
    form = AdjustForm(request.POST)

    def run() -> None:
        if not form.is_valid():
            raise _first_error(form)
        amend = request.POST.get("amend") == "1"
        write = services.score_amend if amend else services.score_adjust
        write(actor=request.user, score=_score_or_error(meeting), **form.cleaned_data)

    return _act(request, meeting, run)


@login_required
@require_POST
def vote(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk, action="change")
    form = ScoreVoteForm(request.POST)

    def run() -> None:
        if not form.is_valid():
            raise _first_error(form)
        services.score_vote_record(actor=request.user, score=_score_or_error(meeting), **form.cleaned_data)

    return _act(request, meeting, run)


@login_required
@require_POST
def confirm(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The cadre who attended from above confirms; the service refuses anyone else, at the field."""
    meeting = get_meeting_for_user(request.user, pk)
    return _act(request, meeting, lambda: services.score_confirm(actor=request.user, score=_score_or_error(meeting)))


@login_required
def cell_levels(request: AuthenticatedHttpRequest, org_pk: int) -> HttpResponse:
    """A cell's level for each quarter and for the year."""
    org = get_org_for_user(request.user, org_pk, Perm.VIEW_ORG)
    form = YearForm(request.GET or None)
    year = (form.cleaned_data.get("year") if form.is_valid() else None) or today().year
    quarters = [(q, selectors.cell_level(org, year, q)) for q in (1, 2, 3, 4)]
    return render(
        request,
        "quality/cell.html",
        {"org": org, "year": year, "quarters": quarters, "year_level": selectors.cell_level(org, year)},
    )
