"""Reads of accounts for administrators: the users and grants of their subtree, built on the scope module.

A user is within an administrator's reach when they hold (or held) a role at a node of the subtree where
the administrator may manage accounts; anything else answers 404.
"""

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from chibo.accounts.models import RoleGrant, User
from chibo.accounts.scope import AnyUser, Perm, orgs_with
from chibo.core.dates import today
from chibo.organizations.models import Organization


def manageable_orgs(admin: AnyUser) -> QuerySet[Organization]:
    """Nodes at which the administrator may grant roles: their subtree, dissolved nodes left out."""
    return orgs_with(admin, Perm.MANAGE_ACCOUNTS).filter(dissolved_on__isnull=True).order_by("path")


def users_visible_to(admin: AnyUser) -> QuerySet[User]:
    if getattr(admin, "is_superuser", False) and admin.is_active:
        return User.objects.all()
    grants = RoleGrant.objects.filter(org__in=orgs_with(admin, Perm.MANAGE_ACCOUNTS))
    return User.objects.filter(pk__in=grants.values("user_id"))


def user_list(admin: AnyUser, q: str = "") -> QuerySet[User]:
    """The users page: the administrator's users with their current roles, given name first."""
    qs = users_visible_to(admin)
    for word in q.split():
        qs = qs.filter(
            Q(username__icontains=word)
            | Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(email__icontains=word)
        )
    current = RoleGrant.objects.active_on(today()).select_related("org").order_by("org__path", "role")
    return qs.prefetch_related(Prefetch("grants", queryset=current, to_attr="current_grants")).order_by(
        "last_name", "first_name", "username"
    )


def get_user_for_admin(admin: AnyUser, pk: int) -> User:
    try:
        return users_visible_to(admin).select_related("member").get(pk=pk)
    except (User.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_grant_for_admin(admin: AnyUser, pk: int) -> RoleGrant:
    try:
        return RoleGrant.objects.filter(org__in=orgs_with(admin, Perm.MANAGE_ACCOUNTS)).select_related("org").get(pk=pk)
    except (RoleGrant.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def grants_of(user: User) -> QuerySet[RoleGrant]:
    """All the user's grants, current and past, newest first: the history of what they could do."""
    return user.grants.select_related("org", "granted_by").order_by("-valid_from", "-id")


def account_events(user: User) -> QuerySet[LogEntry]:
    """The change history of the account and its grants (deactivation, second factor, roles), newest first."""
    user_type = ContentType.objects.get_for_model(User)
    grant_type = ContentType.objects.get_for_model(RoleGrant)
    return (
        LogEntry.objects.filter(
            Q(content_type=user_type, object_id=user.pk)
            | Q(content_type=grant_type, object_id__in=user.grants.values("pk"))
        )
        .select_related("actor", "content_type")
        .order_by("-timestamp", "-id")
    )
