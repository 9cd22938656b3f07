"""Writes of the audit app: the personal-data access log and its retention (C19)."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from chibo.accounts.models import User
from chibo.accounts.scope import AnyUser, Perm, _active_grants, _paths_with
from chibo.audit.models import AccessLog
from chibo.members.models import Member
from chibo.organizations.models import Organization


def record_access(
    *,
    user: AnyUser,
    action: str,
    member: Member | None = None,
    org: Organization | None = None,
    detail: str = "",
    row_count: int | None = None,
) -> AccessLog | None:
    """Note that `user` read personal data: one member's record, or a list (an export) of `org`'s members.

    Called by the member page, the API's member detail, the Excel exports and the own-data download.
    An export with no node of its own is put at the root of the exporter's scope when there is a single one.
    A member reading their own record is not noted (it tells nobody anything); an anonymous caller
    cannot have read anything, so neither is noted.
    """
    if not isinstance(user, User) or not user.is_authenticated:
        return None
    if action != AccessLog.Action.OWN_DATA and member is not None and member.pk == user.member_id:
        return None
    if org is None and member is not None:
        org = member.org
    elif org is None and action == AccessLog.Action.EXPORT:
        org = _scope_root(user)
    return AccessLog.objects.create(
        user=user,
        member=member,
        org=org,
        action=action,
        detail=detail[:255],
        row_count=row_count,
    )


def _scope_root(user: User) -> Organization | None:
    """The one node whose subtree holds every member the user may list, if there is one: an export of
    "all my members" then belongs to that node's access log (and is seen by its administrators).

    Read from the grants the scope module already holds for this request, so it costs no query.
    """
    # scope.py could offer this as a public `scope_roots(user, perm)`; until it does, this reaches inside.
    paths = _paths_with(user, Perm.LIST_MEMBERS)
    if paths is None or len(paths) != 1:
        return None
    return next((g.org for g in _active_grants(user) if g.org.path == paths[0]), None)


@transaction.atomic
def purge_access_logs(*, older_than_days: int | None = None) -> int:
    """Delete access-log rows past the retention period; returns how many went.

    Successful sign-ins that django-axes keeps (username, address, browser) are personal data with the
    same purpose and go with them.
    """
    from axes.models import AccessLog as SignInLog

    days = settings.CHIBO_ACCESS_LOG_RETENTION_DAYS if older_than_days is None else older_than_days
    cutoff = timezone.now() - timedelta(days=days)
    deleted, _ = AccessLog.objects.filter(at__lt=cutoff).delete()
    SignInLog.objects.filter(attempt_time__lt=cutoff).delete()
    return deleted
