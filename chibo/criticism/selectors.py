"""Scope of criticism records: Perm.SEE_SENSITIVE on the cell (the cell committee and above), nothing else.
A plain member, a viewer or a supervisor gets 404 everywhere, their own records included."""

from django.db.models import QuerySet
from django.http import Http404

from chibo.accounts.scope import AnyUser, Perm, has_perm_on, orgs_with
from chibo.criticism.models import CriticismRecord
from chibo.meetings.models import Meeting

SEE = Perm.SEE_SENSITIVE


def records_with(user: AnyUser) -> QuerySet[CriticismRecord]:
    return CriticismRecord.objects.filter(org__in=orgs_with(user, SEE))


def may_see_any(user: AnyUser) -> bool:
    return orgs_with(user, SEE).exists()


def get_record_for_user(user: AnyUser, pk: int | str, *, write: bool = False) -> CriticismRecord:
    """The record or 404; with `write`, also 404 (not 403) for anyone who may not record: its very
    existence is not to be told."""
    try:
        record = records_with(user).select_related("org", "meeting", "member", "turn", "turn__member").get(pk=pk)
    except (CriticismRecord.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if write and not has_perm_on(user, record.org, Perm.RUN_MEETINGS):
        raise Http404
    return record


def get_meeting_to_record(user: AnyUser, pk: int | str) -> Meeting:
    """A meeting where the user may record criticism: sensitive scope and running the cell's meetings."""
    try:
        meeting = Meeting.objects.filter(org__in=orgs_with(user, SEE)).select_related("org").get(pk=pk)
    except (Meeting.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not has_perm_on(user, meeting.org, Perm.RUN_MEETINGS):
        raise Http404
    return meeting


def records_of_meeting(meeting: Meeting) -> QuerySet[CriticismRecord]:
    return CriticismRecord.objects.filter(meeting=meeting).select_related("member", "turn").order_by("pk")
