"""Scope in one place (C3). Every page, export and API operation asks this module what a user may see.

A role granted at a node applies to the node's whole subtree. A committee's assignment of a cadre to a cell
(chibo.supervision, cấp ủy viên phụ trách) is carried as a SUPERVISOR grant at that cell for the assignment's
period, written and ended by the supervision services only: the cadre then sees that cell, its meetings and
documents, and receives its notices, beyond their own scope and only for that period.

Permissions are derived from roles here and nowhere else; an object outside a user's scope is answered
with 404 by the `get_*_for_user` helpers.
"""

from enum import Enum
from functools import reduce
from operator import or_
from typing import Literal

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from chibo.accounts.models import Role, RoleGrant, User
from chibo.core.dates import today
from chibo.households.models import Assignment, Household, HouseholdQuerySet, LiaisonEvent
from chibo.members.models import Member, MemberQuerySet
from chibo.organizations.models import Organization


class Perm(Enum):
    VIEW_ORG = "view_org"  # see the node, its tree and its meetings' calendar
    LIST_MEMBERS = "list_members"  # see the roll and members' records
    SEE_SENSITIVE = "see_sensitive"  # strengths, aspirations (cell committee and above)
    EDIT_MEMBERS = "edit_members"  # create, edit, transfer, exempt, import
    EDIT_ORG = "edit_org"  # restructure the tree, rule sets
    MANAGE_ACCOUNTS = "manage_accounts"
    RUN_MEETINGS = "run_meetings"  # prepare, run and record the cell's meetings
    ATTEND_MEETINGS = "attend_meetings"  # see the meetings one attends (members, supervisors)
    SUPERVISE = "supervise"  # assign cadres to cells, plan their rota, register directives (committee officers)


ROLE_PERMS: dict[str, frozenset[Perm]] = {
    Role.ADMIN: frozenset(Perm),
    Role.OFFICER: frozenset(Perm) - {Perm.MANAGE_ACCOUNTS},
    Role.VIEWER: frozenset({Perm.VIEW_ORG, Perm.LIST_MEMBERS, Perm.ATTEND_MEETINGS}),
    Role.CELL_COMMITTEE: frozenset(
        {
            Perm.VIEW_ORG,
            Perm.LIST_MEMBERS,
            Perm.SEE_SENSITIVE,
            Perm.EDIT_MEMBERS,
            Perm.RUN_MEETINGS,
            Perm.ATTEND_MEETINGS,
        }
    ),
    Role.MEMBER: frozenset({Perm.VIEW_ORG, Perm.ATTEND_MEETINGS}),
    Role.SUPERVISOR: frozenset({Perm.VIEW_ORG, Perm.ATTEND_MEETINGS}),
}

OFFICER_ROLES = frozenset({Role.ADMIN, Role.OFFICER})

# What request.user may be; every function here answers "nothing" for an anonymous user.
AnyUser = User | AnonymousUser
# What a get_<thing>_for_user helper is asked for: 404 when the thing is not visible; for "change", 403
# (PermissionDenied) when it is visible but the user may not change it. The API answers PermissionDenied
# with 403 in one handler (chibo.core.api_tools.install_error_handlers); pages get Django's 403.
Action = Literal["see", "change"]


def _active_grants(user: User) -> list[RoleGrant]:
    """The user's grants in force today, read once per request (cached on the user object)."""
    cached = getattr(user, "_chibo_grants", None)
    if cached is None:
        cached = list(RoleGrant.objects.active_on(today()).filter(user=user).select_related("org"))
        user._chibo_grants = cached  # type: ignore[attr-defined]
    return cached


def forget_grants(user: User) -> None:
    if hasattr(user, "_chibo_grants"):
        del user._chibo_grants


def _is_anonymous(user: object) -> bool:
    return not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False)


def roles_of(user: AnyUser) -> set[str]:
    if _is_anonymous(user):
        return set()
    assert isinstance(user, User)
    return {g.role for g in _active_grants(user)}


def is_officer(user: AnyUser) -> bool:
    """Administrators and organization officers, who must sign in with a second factor."""
    return bool(getattr(user, "is_superuser", False)) or bool(roles_of(user) & OFFICER_ROLES)


def highest_org_seen(user: AnyUser) -> Organization | None:
    """The highest node at which the user holds a role today (the menu's way to its rule set); read from
    the request's grants, no query once they are read."""
    if _is_anonymous(user):
        return None
    assert isinstance(user, User)
    grants = [g for g in _active_grants(user) if Perm.VIEW_ORG in ROLE_PERMS[g.role]]
    return min((g.org for g in grants), key=lambda org: (org.depth, org.path), default=None)


def holds_anywhere(user: AnyUser, perm: Perm) -> bool:
    """Whether the user holds `perm` at any node (no query once the request's grants are read)."""
    if getattr(user, "is_superuser", False):
        return True
    return any(perm in ROLE_PERMS[role] for role in roles_of(user))


def _subtree_q(paths: list[str], prefix: str = "") -> Q:
    return reduce(or_, (Q(**{f"{prefix}path__startswith": p}) for p in paths), Q(pk__in=[]))


def _paths_with(user: AnyUser, perm: Perm) -> list[str] | None:
    """Tree paths whose subtrees grant `perm`; None means everything (a superuser)."""
    if _is_anonymous(user):
        return []
    assert isinstance(user, User)
    if user.is_superuser:
        return None
    paths = sorted({g.org.path for g in _active_grants(user) if perm in ROLE_PERMS[g.role]})
    # A path under another adds nothing; dropping it keeps the SQL short.
    kept: list[str] = []
    for p in paths:
        if not any(p.startswith(k) for k in kept):
            kept.append(p)
    return kept


def orgs_with(user: AnyUser, perm: Perm = Perm.VIEW_ORG) -> QuerySet[Organization]:
    """Every node (dissolved ones included, for history) in which the user holds `perm`."""
    paths = _paths_with(user, perm)
    if paths is None:
        return Organization.objects.all()
    return Organization.objects.filter(_subtree_q(paths))


def has_perm_on(user: AnyUser, org: Organization, perm: Perm) -> bool:
    paths = _paths_with(user, perm)
    return paths is None or any(org.path.startswith(p) for p in paths)


def members_with(user: AnyUser, perm: Perm = Perm.LIST_MEMBERS) -> MemberQuerySet:
    """Members whose record the user may see with `perm`; a member always sees their own record."""
    paths = _paths_with(user, perm)
    if paths is None:
        return Member.objects.all()  # type: ignore[return-value]
    q = _subtree_q(paths, prefix="org__")
    own = getattr(user, "member_id", None)
    if own and perm in (Perm.LIST_MEMBERS,):
        q |= Q(pk=own)
    return Member.objects.filter(q)  # type: ignore[return-value]


def get_org_for_user(user: AnyUser, pk: int, perm: Perm = Perm.VIEW_ORG, *, action: Action = "see") -> Organization:
    """The node, 404 outside scope; for "change" (restructure it, edit its rules) 403 without EDIT_ORG."""
    try:
        org = orgs_with(user, perm).get(pk=pk)
    except (Organization.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if action == "change" and not has_perm_on(user, org, Perm.EDIT_ORG):
        raise PermissionDenied(_("Tài khoản không có quyền sửa đơn vị này."))
    return org


def get_member_for_user(user: AnyUser, pk: int, perm: Perm = Perm.LIST_MEMBERS, *, action: Action = "see") -> Member:
    """The member, 404 outside scope; for "change" (edit the record) 403 without EDIT_MEMBERS on their cell."""
    try:
        member = members_with(user, perm).select_related("org").get(pk=pk)
    except (Member.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if action == "change" and not has_perm_on(user, member.org, Perm.EDIT_MEMBERS):
        raise PermissionDenied(_("Tài khoản không có quyền sửa hồ sơ đảng viên này."))
    return member


def can_see_sensitive(user: AnyUser, member: Member) -> bool:
    return has_perm_on(user, member.org, Perm.SEE_SENSITIVE)


# --- Households of a cell's area (C13): residents' personal data ------------------------------------------
# The cell committee and the levels above see the cell's households (LIST_MEMBERS); a member sees the
# households in their charge now, and the liaison events they recorded.


def _own_households_q(user: AnyUser) -> Q:
    own = getattr(user, "member_id", None)
    if not own:
        return Q(pk__in=[])
    return Q(pk__in=Assignment.objects.current().filter(member_id=own).values("household_id"))


def households_visible_to(user: AnyUser) -> HouseholdQuerySet:
    paths = _paths_with(user, Perm.LIST_MEMBERS)
    if paths is None:
        return Household.objects.all()  # type: ignore[return-value]
    return Household.objects.filter(  # type: ignore[return-value]
        _subtree_q(paths, prefix="cell__") | _own_households_q(user)
    )


def get_household_for_user(user: AnyUser, pk: int) -> Household:
    try:
        return households_visible_to(user).select_related("cell").get(pk=pk)
    except (Household.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def in_charge_of(user: AnyUser, household: Household) -> bool:
    """Whether the user is the member in charge of the household now."""
    own: int | None = getattr(user, "member_id", None)
    if not own:
        return False
    return Assignment.objects.current().filter(household=household, member_id=own).exists()


def may_manage_households(user: AnyUser, cell: Organization) -> bool:
    """Import, plan and assign the cell's households: those who edit its members."""
    return has_perm_on(user, cell, Perm.EDIT_MEMBERS)


def liaison_events_visible_to(user: AnyUser) -> QuerySet[LiaisonEvent]:
    paths = _paths_with(user, Perm.LIST_MEMBERS)
    if paths is None:
        return LiaisonEvent.objects.all()
    q = _subtree_q(paths, prefix="household__cell__")
    own = getattr(user, "member_id", None)
    if own:
        q |= Q(member_id=own)
    return LiaisonEvent.objects.filter(q)
