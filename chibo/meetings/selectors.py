"""Reads of meetings worth naming: scope, the live totals the minutes report, and readiness (C5)."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chibo.accounts.scope import Action, AnyUser, Perm, has_perm_on, orgs_with
from chibo.meetings.models import AgendaItem, Attachment, Attendance, Meeting, Preparation, SpeakingTurn
from chibo.members.selectors import vietnamese_order
from chibo.organizations.models import Organization
from chibo.rules.models import RuleSetVersion

# --- scope -------------------------------------------------------------------------------------------


def meetings_with(user: AnyUser, perm: Perm = Perm.ATTEND_MEETINGS) -> QuerySet[Meeting]:
    """Meetings of the cells in which the user holds `perm` (chibo.accounts.scope decides which)."""
    return Meeting.objects.filter(org__in=orgs_with(user, perm))


def get_meeting_for_user(
    user: AnyUser, pk: int | str, perm: Perm = Perm.ATTEND_MEETINGS, *, action: Action = "see"
) -> Meeting:
    """The meeting with its cell and rule set: 404 when it is outside the user's scope for `perm`; for
    `action="change"` (record or change it, Perm.RUN_MEETINGS) 403 (PermissionDenied) for someone who may
    see the meeting but not run it — a member, viewer, supervisor.

    One query for the meeting; scope is then a prefix test of the cell's path against the request's grants
    (chibo.accounts.scope.has_perm_on), with no subquery."""
    try:
        meeting = Meeting.objects.select_related("org", "ruleset", "chair", "recorder").get(pk=pk)
    except (Meeting.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not has_perm_on(user, meeting.org, perm):
        raise Http404
    if action == "change" and not has_perm_on(user, meeting.org, Perm.RUN_MEETINGS):
        raise PermissionDenied(_("Chỉ chi ủy và cán bộ tổ chức được ghi nhận buổi sinh hoạt."))
    return meeting


# --- live totals ---------------------------------------------------------------------------------------


def _pct(part: int, whole: int) -> float | None:
    return None if whole == 0 else round(part * 100 / whole, 1)


def _display(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}".replace(".", ",")


@dataclass(frozen=True)
class LiveTotals:
    """The one count of a meeting (DOMAIN.md "Validity, attendance and speaking"): the live page, the API,
    the minutes and the score all read it, so they never disagree.

    - `required`: members on the roll not exempt (miễn sinh hoạt); `present`, `excused`, `unexcused` count
      only them, and the attendance rate is present / required. Exempt members who come are
      `exempt_present`, shown apart and counted in neither figure.
    - `speakers`: distinct members required to attend who spoke; their share is of `present` (the same
      denominator the minutes print). Exempt members who spoke are `exempt_speakers`, shown apart.
    - `voters`: official members present (only they vote); `official_required` is the base of the pass
      rule "more than half of the official members required to attend".
    - The attendance threshold is a quality criterion: `attendance_met` warns and scores, it never stops
      a vote (the pass rule alone decides a resolution)."""

    on_roll: int
    official: int
    probationary: int
    exempt: int
    required: int
    present: int
    late: int
    excused: int
    unexcused: int
    unmarked: int
    exempt_present: int
    voters: int
    official_required: int
    speakers: int
    exempt_speakers: int
    attendance_threshold_pct: int
    speakers_threshold_pct: int
    vote_pass_rule: str

    @property
    def present_total(self) -> int:
        """Everyone from the roll in the room, exempt members who came included."""
        return self.present + self.exempt_present

    @property
    def absent(self) -> int:
        return self.excused + self.unexcused

    @property
    def attendance_rate(self) -> float | None:
        return _pct(self.present, self.required)

    @property
    def attendance_rate_display(self) -> str:
        return _display(self.attendance_rate)

    @property
    def attendance_met(self) -> bool:
        return self.required > 0 and self.present * 100 >= self.attendance_threshold_pct * self.required

    @property
    def attendance_needed(self) -> int:
        """The fewest members present that meet the attendance criterion (ceil of pct × required)."""
        return -(-self.attendance_threshold_pct * self.required // 100)

    @property
    def speakers_rate(self) -> float | None:
        return _pct(self.speakers, self.present)

    @property
    def speakers_rate_display(self) -> str:
        return _display(self.speakers_rate)

    @property
    def speakers_needed(self) -> int:
        """The fewest distinct speakers that meet the rule (ceil of pct × present)."""
        return -(-self.speakers_threshold_pct * self.present // 100)

    @property
    def speakers_met(self) -> bool:
        return self.present > 0 and self.speakers >= self.speakers_needed

    @property
    def votes_needed(self) -> int | None:
        """The fewest votes for that pass a resolution under the meeting's pass rule, with the members now
        present; None when no vote can pass (nobody may vote)."""
        return votes_needed(self.vote_pass_rule, voters=self.voters, official_required=self.official_required)

    @property
    def vote_possible(self) -> bool:
        """Whether the official members present are enough for the pass rule to be reachable at all."""
        needed = self.votes_needed
        return needed is not None and needed <= self.voters


def vote_passes(rule: str, *, votes_for: int, voters_present: int, official_required: int) -> bool:
    """The pass rule of the meeting's rule set (C20) — the only thing that decides a resolution."""
    R = RuleSetVersion.VotePassRule
    if rule == R.MAJORITY_OF_VOTERS:
        return votes_for * 2 > official_required
    if rule == R.MAJORITY_OF_PRESENT:
        return votes_for * 2 > voters_present
    if rule == R.TWO_THIRDS_OF_PRESENT:
        return votes_for * 3 >= voters_present * 2 and voters_present > 0
    raise ValueError(rule)


def votes_needed(rule: str, *, voters: int, official_required: int) -> int | None:
    """The smallest number of votes for that `vote_passes` accepts (None: no number does)."""
    for n in range(0, max(voters, official_required) + 2):
        if vote_passes(rule, votes_for=n, voters_present=voters, official_required=official_required):
            return n
    return None


def live_totals(meeting: Meeting) -> LiveTotals:
    """One query: an aggregate over the attendance rows, the speakers counted by a subquery per row."""
    present = Q(status__in=Attendance.PRESENT_STATUSES)
    req = Q(is_exempt=False)
    spoke = Q(
        Exists(
            SpeakingTurn.objects.filter(
                meeting=meeting, member=OuterRef("member"), status__in=SpeakingTurn.SPOKEN_STATUSES
            )
        )
    )
    c = Attendance.objects.filter(meeting=meeting).aggregate(
        on_roll=Count("pk"),
        official=Count("pk", filter=Q(is_official=True)),
        exempt=Count("pk", filter=Q(is_exempt=True)),
        required=Count("pk", filter=req),
        present=Count("pk", filter=req & present),
        late=Count("pk", filter=req & Q(status=Attendance.Status.LATE)),
        excused=Count("pk", filter=req & Q(status=Attendance.Status.EXCUSED)),
        unexcused=Count("pk", filter=req & Q(status=Attendance.Status.UNEXCUSED)),
        unmarked=Count("pk", filter=req & Q(status=Attendance.Status.UNMARKED)),
        exempt_present=Count("pk", filter=Q(is_exempt=True) & present),
        voters=Count("pk", filter=Q(is_official=True) & present),
        official_required=Count("pk", filter=req & Q(is_official=True)),
        speakers=Count("pk", filter=req & spoke),
        exempt_speakers=Count("pk", filter=Q(is_exempt=True) & spoke),
    )
    ruleset = meeting.ruleset
    return LiveTotals(
        probationary=c["on_roll"] - c["official"],
        attendance_threshold_pct=ruleset.attendance_threshold_pct,
        speakers_threshold_pct=ruleset.speakers_threshold_pct,
        vote_pass_rule=ruleset.vote_pass_rule,
        **c,
    )


def attendance_rows(meeting: Meeting) -> QuerySet[Attendance]:
    """The attendance list in Vietnamese name order, exempt members last."""
    return (
        Attendance.objects.filter(meeting=meeting)
        .select_related("member")
        .order_by("is_exempt", *vietnamese_order("member__"))
    )


def roll_row(meeting: Meeting, member_id: int | str) -> QuerySet[Attendance]:
    """One member's row on the meeting's roll with what a tap's answer shows: the member, whether another
    member on the roll bears the same name (`namesake`) and whether they are on the list of speakers now
    (`busy`). One query."""
    same_name = Attendance.objects.filter(
        meeting=OuterRef("meeting"), member__full_name=OuterRef("member__full_name")
    ).exclude(member=OuterRef("member"))
    on_list = SpeakingTurn.objects.filter(
        meeting=OuterRef("meeting"), member=OuterRef("member"), status__in=SpeakingTurn.BUSY_STATUSES
    )
    return (
        Attendance.objects.filter(meeting=meeting, member_id=member_id)
        .select_related("member")
        .annotate(namesake=Exists(same_name), busy=Exists(on_list))
    )


def absentees(meeting: Meeting) -> QuerySet[Attendance]:
    """Each absentee named with reason, as the minutes must (required members only)."""
    return attendance_rows(meeting).filter(
        is_exempt=False, status__in=[Attendance.Status.EXCUSED, Attendance.Status.UNEXCUSED]
    )


def turns(meeting: Meeting) -> QuerySet[SpeakingTurn]:
    return SpeakingTurn.objects.filter(meeting=meeting).select_related("member").order_by("position")


def turns_named(meeting: Meeting) -> QuerySet[SpeakingTurn]:
    """The list of speakers, each turn marked `namesake` when another member on the meeting's roll bears the
    same full name (then the page adds the year of birth): the list and its names in one query."""
    same_name = Attendance.objects.filter(
        meeting=OuterRef("meeting"), member__full_name=OuterRef("member__full_name")
    ).exclude(member=OuterRef("member"))
    return turns(meeting).annotate(namesake=Exists(same_name))


# --- readiness (C5) ------------------------------------------------------------------------------------


def with_readiness(qs: QuerySet[Meeting]) -> QuerySet[Meeting]:
    """Annotate what the readiness checklist reads, in the same query as the meetings themselves."""
    docs = Attachment.objects.filter(meeting=OuterRef("pk"))
    extra = {}
    if apps.is_installed("chibo.notices"):
        # The notices app (C4) sends the upper-level committee member who follows the cell a notice of
        # the meeting; it depends on this app, so it is looked up by name rather than imported.
        notice = apps.get_model("notices", "Notice")
        extra["supervisor_notified"] = Exists(notice.objects.filter(meeting=OuterRef("pk"), audience="supervisor"))
    return qs.select_related("org", "ruleset").annotate(
        **extra,
        has_preparation=Exists(Preparation.objects.filter(meeting=OuterRef("pk"))),
        has_agenda=Exists(AgendaItem.objects.filter(meeting=OuterRef("pk"))),
        has_draft_file=Exists(docs.filter(kind=Attachment.Kind.DRAFT_RESOLUTION)),
        first_document_at=Subquery(docs.order_by("uploaded_at").values("uploaded_at")[:1]),
        intro_paper_ready=Exists(
            AgendaItem.objects.filter(
                meeting=OuterRef("pk"),
                kind=AgendaItem.Kind.INTRO_PAPER,
                presenter__isnull=False,
                approved_on__isnull=False,
            )
        ),
    )


@dataclass(frozen=True)
class Check:
    key: str
    label: str
    ok: bool | None  # None: cannot be told yet (e.g. the deadline for documents has not passed)
    detail: str = ""


def documents_deadline(meeting: Meeting) -> date:
    """Documents must be available at least `notice_lead_days` before the meeting (HD 42: 1 day)."""
    return meeting.scheduled_date - timedelta(days=meeting.ruleset.notice_lead_days)


def checklist(meeting: Meeting) -> list[Check]:
    """The readiness checklist of a meeting annotated by `with_readiness` (no query of its own)."""
    deadline = documents_deadline(meeting)
    first_doc = meeting.first_document_at  # type: ignore[attr-defined]
    if first_doc is not None and timezone.localdate(first_doc) <= deadline:
        docs_ok: bool | None = True
        docs_detail = _("Có tài liệu từ %(d)s") % {"d": timezone.localdate(first_doc).strftime("%d/%m/%Y")}
    elif first_doc is None and timezone.localdate() <= deadline:
        docs_ok, docs_detail = None, _("Hạn gửi tài liệu: %(d)s") % {"d": deadline.strftime("%d/%m/%Y")}
    else:
        docs_ok, docs_detail = False, _("Không có tài liệu trước %(d)s") % {"d": deadline.strftime("%d/%m/%Y")}
    checks = [
        Check("preparation", str(_("Chi ủy đã họp chuẩn bị")), meeting.has_preparation),  # type: ignore[attr-defined]
        Check("agenda", str(_("Đã có chương trình")), meeting.has_agenda),  # type: ignore[attr-defined]
        Check(
            "draft_resolution",
            str(_("Có dự thảo nghị quyết")),
            bool(meeting.draft_resolution.strip()) or meeting.has_draft_file,  # type: ignore[attr-defined]
        ),
        Check("documents", str(_("Tài liệu gửi trước")), docs_ok, str(docs_detail)),
    ]
    if meeting.is_thematic:
        checks.append(
            Check("intro_paper", str(_("Đề dẫn có người viết và được chi ủy duyệt")), meeting.intro_paper_ready)  # type: ignore[attr-defined]
        )
    notified = supervisor_notified(meeting)
    checks.append(Check("supervisor_notified", str(_("Đã báo cấp ủy viên phụ trách")), notified))
    return checks


def supervisor_notified(meeting: Meeting) -> bool | None:
    """Whether the upper-level committee member who follows the cell was notified (a notice of the
    meeting to a supervisor, annotated by `with_readiness`); None when the notices app is not installed."""
    value = getattr(meeting, "supervisor_notified", None)
    return value if isinstance(value, bool) else None


def readiness_board(user: AnyUser, root: Organization, *, days: int) -> QuerySet[Meeting]:
    """Planned meetings in the coming `days` of every cell under `root` the user may watch."""
    start = timezone.localdate()
    return with_readiness(
        meetings_with(user, Perm.VIEW_ORG).filter(
            org__path__startswith=root.path,
            status=Meeting.Status.PLANNED,
            scheduled_date__gte=start,
            scheduled_date__lte=start + timedelta(days=days),
        )
    ).order_by("scheduled_date", "scheduled_time", "org__name", "pk")


# --- closing (C6): what falls short --------------------------------------------------------------------


@dataclass(frozen=True)
class Shortfall:
    """One thing the meeting falls short of at its close; a quality matter, never a block."""

    key: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"key": self.key, "message": self.message}


def elapsed_minutes(meeting: Meeting, at: datetime | None = None) -> int:
    """Whole minutes since the opening, until `at` (default: the close, else now)."""
    if meeting.started_at is None:
        return 0
    end = at or meeting.ended_at or timezone.now()
    return max(0, int((end - meeting.started_at).total_seconds() // 60))


def _tasks_given(meeting: Meeting) -> int | None:
    # The tasks app (C8) is built on this one: looked up by name, so imports keep pointing down.
    if not apps.is_installed("chibo.tasks"):
        return None
    task = apps.get_model("tasks", "Task")
    return task.objects.filter(meeting=meeting, assignments__isnull=False).distinct().count()


def criticism_held(meeting: Meeting) -> bool:
    """Self-criticism or criticism took place: a turn of that kind, or a record of the criticism app."""
    kinds = (SpeakingTurn.Kind.CRITICISM, SpeakingTurn.Kind.SELF_CRITICISM)
    if meeting.turns.filter(kind__in=kinds, status__in=SpeakingTurn.SPOKEN_STATUSES).exists():
        return True
    if apps.is_installed("chibo.criticism"):
        return apps.get_model("criticism", "CriticismRecord").objects.filter(meeting=meeting).exists()
    return False


def closing_shortfalls(
    meeting: Meeting, at: datetime | None = None, totals: LiveTotals | None = None
) -> list[Shortfall]:
    """What the closing page shows before asking for confirmation, and the record keeps: duration against
    the rule set's minimum, attendance, speakers' share, agenda points not reached, no task assigned, no
    vote, no self-criticism or criticism. Nothing here refuses the close."""
    totals = totals or live_totals(meeting)
    found: list[Shortfall] = []
    minutes, minimum = elapsed_minutes(meeting, at), meeting.min_duration_minutes
    if minutes < minimum:
        found.append(
            Shortfall(
                "duration",
                str(_("Thời lượng %(m)s phút, chưa đủ tối thiểu %(min)s phút (thiếu %(gap)s phút)."))
                % {"m": minutes, "min": minimum, "gap": minimum - minutes},
            )
        )
    if not totals.attendance_met:
        found.append(
            Shortfall(
                "attendance",
                str(_("Tỷ lệ dự họp %(r)s%% (%(p)s/%(q)s), dưới %(t)s%%."))
                % {
                    "r": totals.attendance_rate_display,
                    "p": totals.present,
                    "q": totals.required,
                    "t": totals.attendance_threshold_pct,
                },
            )
        )
    if not totals.speakers_met:
        found.append(
            Shortfall(
                "speakers",
                str(_("%(s)s/%(p)s đảng viên phát biểu (%(r)s%%), cần ít nhất %(n)s (%(t)s%%)."))
                % {
                    "s": totals.speakers,
                    "p": totals.present,
                    "r": totals.speakers_rate_display,
                    "n": totals.speakers_needed,
                    "t": totals.speakers_threshold_pct,
                },
            )
        )
    missed = list(
        meeting.agenda_items.filter(started_at__isnull=True).order_by("position").values_list("title", flat=True)
    )
    if missed:
        found.append(Shortfall("agenda", str(_("Chưa tiến hành: %(items)s.")) % {"items": "; ".join(missed)}))
    if _tasks_given(meeting) == 0:
        found.append(Shortfall("tasks", str(_("Chưa giao nhiệm vụ cho đảng viên nào."))))
    if not meeting.votes.exists():
        found.append(Shortfall("vote", str(_("Chưa biểu quyết nghị quyết."))))
    if not criticism_held(meeting):
        found.append(Shortfall("criticism", str(_("Chưa có tự phê bình, phê bình."))))
    return found


@dataclass(frozen=True)
class DurationState:
    elapsed: int
    minimum: int

    @property
    def met(self) -> bool:
        return self.elapsed >= self.minimum


def duration_state(meeting: Meeting) -> DurationState:
    """Elapsed minutes against the rule set's minimum (90; 120 with a thematic meeting in the session)."""
    return DurationState(elapsed=elapsed_minutes(meeting), minimum=meeting.min_duration_minutes)
