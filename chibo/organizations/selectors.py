"""Reads of the organization tree, for today or for any past date."""

from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet

from chibo.accounts.scope import AnyUser, Perm, orgs_with
from chibo.members.models import Member, Membership
from chibo.organizations.models import Organization, OrgVersion


def highest_visible(user: AnyUser, perm: Perm = Perm.VIEW_ORG) -> Organization | None:
    """The highest node (not dissolved) where the user holds `perm`: the default root of the readiness board,
    the calendar, the year's summary and the home page's warnings."""
    return orgs_with(user, perm).filter(dissolved_on__isnull=True).order_by("depth", "path").first()


def versions_on(day: date) -> QuerySet[OrgVersion]:
    """Every node's period in force on `day` (nodes that did not exist then have none)."""
    return OrgVersion.objects.filter(Q(valid_from__lte=day) & (Q(valid_to__isnull=True) | Q(valid_to__gt=day)))


def children_on(parent: Organization | None, day: date) -> list[OrgVersion]:
    """The children of `parent` (the roots, if None) as they stood on `day`, by name."""
    versions = versions_on(day).filter(parent=parent).select_related("org")
    return sorted(versions, key=lambda v: v.name)


def version_on(org: Organization, day: date) -> OrgVersion | None:
    return versions_on(day).filter(org=org).first()


def subtree_on(root: Organization, day: date) -> list[OrgVersion]:
    """`root` and all below it as the tree stood on `day`: one query per level, not per node."""
    first = version_on(root, day)
    if first is None:
        return []
    found = [first]
    for level in _levels_below(root, day, lambda qs: list(qs.select_related("org"))):
        found.extend(level)
    return found


def subtree_rows_on(root: Organization, day: date, *fields: str) -> list[tuple[Any, ...]]:
    """The nodes below `root` on `day` (as subtree_on, root excluded) as value tuples: org id, parent id,
    then `fields` of OrgVersion ("kind", "name", "org__established_on"...). For a province's 25,000 cells,
    without a model instance per node."""
    rows: list[tuple[Any, ...]] = []
    for level in _levels_below(root, day, lambda qs: list(qs.values_list("org_id", "parent_id", *fields))):
        rows.extend(level)
    return rows


def _levels_below(
    root: Organization, day: date, fetch: Callable[[QuerySet[OrgVersion]], list[Any]]
) -> Iterator[list[Any]]:
    """The tree's walk down from `root` on `day`, one level (one query) at a time; `fetch` reads a level,
    whose rows give their node's id first (a version's `org_id`, or a tuple's first value)."""
    frontier = [root.pk]
    while frontier:
        level = fetch(versions_on(day).filter(parent_id__in=frontier))
        yield level
        frontier = [row[0] if isinstance(row, tuple) else row.org_id for row in level]


def ancestors_on(org: Organization, day: date) -> list[OrgVersion]:
    """The chain from the root down to `org`'s parent, as it stood on `day`."""
    chain: list[OrgVersion] = []
    current = version_on(org, day)
    while current is not None and current.parent_id is not None:
        parent_version = versions_on(day).filter(org_id=current.parent_id).select_related("org").first()
        if parent_version is None:
            break
        chain.append(parent_version)
        current = parent_version
    return list(reversed(chain))


def cell_of_member_on(member: Member, day: date) -> Organization | None:
    """The cell on whose roll the member was on `day`."""
    roll = (
        Membership.objects.filter(member=member, kind=Membership.Kind.OFFICIAL, started_on__lte=day)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=day))
        .select_related("org")
        .first()
    )
    return roll.org if roll else None


def member_ids_on_roll(orgs: list[int], day: date) -> QuerySet[Membership]:
    """Rolls in force on `day` in the given nodes; each member counted once (one official roll a day)."""
    return Membership.objects.filter(
        Q(org_id__in=orgs, kind=Membership.Kind.OFFICIAL, started_on__lte=day)
        & (Q(ended_on__isnull=True) | Q(ended_on__gt=day))
    )


def active_children(org: Organization) -> QuerySet[Organization]:
    return Organization.objects.filter(
        path__startswith=org.path, depth=org.depth + 1, dissolved_on__isnull=True
    ).order_by("name")


def subtree(org: Organization) -> QuerySet[Organization]:
    return Organization.objects.filter(path__startswith=org.path)
