"""Who is told about a meeting, and a user's inbox."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404

from chibo.accounts.models import Role, RoleGrant, User
from chibo.meetings.models import Meeting
from chibo.members.models import Exemption, Member, Membership
from chibo.notices.models import Notice
from chibo.rules.selectors import ancestor_paths
from chibo.scheduling.models import MeetingGuest


@dataclass
class Recipient:
    key: str
    audience: str
    name: str
    email: str
    phone: str
    user: User | None = None
    member: Member | None = None
    guest: MeetingGuest | None = None


def _member_user(member: Member) -> User | None:
    return getattr(member, "user", None)  # the reverse one-to-one raises when there is no account


def members_to_notify(meeting: Meeting) -> list[Member]:
    """Members required to attend on the meeting's day: on the cell's roll (or staying in it temporarily),
    not exempt from meetings; an exempt member only if they asked to keep receiving notices."""
    day = meeting.scheduled_date
    rolls = (
        Membership.objects.filter(org_id=meeting.org_id, started_on__lte=day)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=day))
        .filter(Q(member__left_on__isnull=True) | Q(member__left_on__gt=day))
        .select_related("member__user")
        .order_by("member_id")
    )
    members = {r.member_id: r.member for r in rolls}
    exemptions: dict[int, bool] = {}
    for e in Exemption.objects.filter(
        Q(member_id__in=members, scope=Exemption.Scope.WORK_AND_MEETINGS, started_on__lte=day)
        & (Q(ended_on__isnull=True) | Q(ended_on__gt=day))
    ):
        exemptions[e.member_id] = exemptions.get(e.member_id, False) or e.wants_notices
    return [m for pk, m in members.items() if exemptions.get(pk, True)]


def supervisors_to_notify(meeting: Meeting) -> list[User]:
    """Cấp ủy viên phụ trách: users holding the supervisor role at the cell or above it on the day."""
    grants = (
        RoleGrant.objects.active_on(meeting.scheduled_date)
        .filter(role=Role.SUPERVISOR, org__path__in=ancestor_paths(meeting.org), user__is_active=True)
        .select_related("user__member")
        .order_by("user_id")
    )
    return list({g.user_id: g.user for g in grants}.values())


def meeting_recipients(meeting: Meeting) -> list[Recipient]:
    recipients: list[Recipient] = []
    member_users: set[int] = set()
    for m in members_to_notify(meeting):
        user = _member_user(m)
        if user is not None:
            member_users.add(user.pk)
        recipients.append(
            Recipient(f"m{m.pk}", Notice.Audience.MEMBER, m.full_name, m.email, m.phone, user=user, member=m)
        )
    for g in meeting.invited_guests.select_related("user").order_by("id"):
        recipients.append(Recipient(f"g{g.pk}", Notice.Audience.GUEST, g.name, g.email, g.phone, user=g.user, guest=g))
    for u in supervisors_to_notify(meeting):
        if u.pk in member_users:
            continue
        member = u.member
        recipients.append(
            Recipient(
                f"u{u.pk}",
                Notice.Audience.SUPERVISOR,
                u.get_full_name() or u.username,
                u.email or (member.email if member else ""),
                member.phone if member else "",
                user=u,
            )
        )
    return recipients


def notices_of(user: User) -> QuerySet[Notice]:
    """A user's inbox: notices addressed to their account or to their member record."""
    q = Q(user=user)
    if user.member_id:
        q |= Q(member_id=user.member_id)
    return Notice.objects.filter(q)


def unread_count(user: User) -> int:
    return notices_of(user).filter(read_at__isnull=True).count()


def get_notice_for_user(user: User, pk: int | str) -> Notice:
    """One of the user's own notices, or 404 (nobody sees another's inbox)."""
    try:
        return notices_of(user).get(pk=pk)
    except (Notice.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
