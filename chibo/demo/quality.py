"""Meeting quality in the demo (C14): every held meeting's score measured again from the whole record (the
tasks and reviews of chibo.demo.follow_up come after the closes that first proposed them), the article's
meeting of 05/04/2021 voted by its members and confirmed by the cadre who attended from above, under the
rule set of its day (HD 12-HD/BTCTW, 2018). Runs before the minutes are signed: a score locks with them.

A meeting closed short is shown as it happened: its warning at the close kept with the record, and the
points it lost on the score page (`closed_short`)."""

from datetime import timedelta

from django.db.models import QuerySet

from chibo.demo.builder import ARTICLE_DAY, Demo
from chibo.demo.replay import VN, Clock
from chibo.meetings.models import Meeting
from chibo.meetings.selectors import live_totals
from chibo.quality import services as quality_services
from chibo.quality.models import MeetingScore


def add_quality(demo: Demo) -> None:
    held = Meeting.objects.filter(
        org_id__in=[c.pk for c in demo.cells.values()], status=Meeting.Status.CLOSED
    ).select_related("ruleset")
    _tasks_given_after_the_close(held)
    clock = Clock()
    with clock.running():
        for meeting in held.order_by("started_at"):
            clock.now = (meeting.ended_at or clock.now).astimezone(VN) + timedelta(minutes=1)
            quality_services.score_propose(actor=None, meeting=meeting)
        article = held.filter(org=demo.cells["anhoa"], scheduled_date=ARTICLE_DAY, kind=Meeting.Kind.REGULAR).first()
        if article is not None:  # absent when the meeting steps are left out
            _vote_and_confirm(demo, clock, article)


def _tasks_given_after_the_close(held: QuerySet[Meeting]) -> None:
    """The demo records each resolution's tasks after its meeting closed (chibo.demo.follow_up), where in
    life they are given during the meeting from the live page: the warning "no task assigned" that the
    close kept is not the meeting's, so it is taken off where tasks were given."""
    for meeting in held.filter(tasks__isnull=False).distinct():
        kept = [s for s in meeting.closing_shortfalls if s.get("key") != "tasks"]
        if kept != meeting.closing_shortfalls:
            Meeting.objects.filter(pk=meeting.pk).update(closing_shortfalls=kept)


def _vote_and_confirm(demo: Demo, clock: Clock, meeting: Meeting) -> MeetingScore:
    """At the close of the article's meeting: every official member present votes for the proposed score;
    the ward committee member who attended (canbo.duhop) confirms it the same evening."""
    clock.at(ARTICLE_DAY, 21, 20)
    score = MeetingScore.objects.get(meeting=meeting)
    voters = live_totals(meeting).voters
    quality_services.score_vote_record(
        actor=demo.users["bithu.anhoa"], score=score, votes_for=voters, votes_against=0, votes_abstain=0
    )
    clock.at(ARTICLE_DAY, 21, 25)
    return quality_services.score_confirm(actor=demo.users["canbo.duhop"], score=score)


def closed_short(demo: Demo) -> Meeting | None:
    """The demo's meeting closed short that the walkthrough points at: the latest of An Hòa's with a warning."""
    return (
        Meeting.objects.filter(org=demo.cells["anhoa"], status=Meeting.Status.CLOSED)
        .exclude(closing_shortfalls=[])
        .order_by("-scheduled_date")
        .first()
    )
