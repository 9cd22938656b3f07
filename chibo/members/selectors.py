"""Reads of members worth naming: Vietnamese name order on each database."""

from collections import Counter
from collections.abc import Iterable

from django.db import connection
from django.db.models import Count, F, QuerySet
from django.db.models.functions import Collate

from chibo.accounts.scope import AnyUser, Perm, members_with
from chibo.members.models import Member, MemberQuerySet
from chibo.organizations.models import Organization

# PostgreSQL sorts with ICU's Vietnamese rules; SQLite has no ICU, so it sorts by the precomputed key
# (chibo.core.vietnamese.name_sort_key), which gives the same order.
PG_VI_COLLATION = "vi-x-icu"


def vietnamese_order(prefix: str = "") -> list:
    """Order-by expressions: given name, then the rest of the name as written (family name, then middle
    names), Vietnamese alphabet (DOMAIN.md: "Hồ Văn Thành" before "Trần Quốc Thành")."""
    if connection.vendor == "postgresql":
        return [
            Collate(F(f"{prefix}given_name"), PG_VI_COLLATION),
            Collate(F(f"{prefix}family_name"), PG_VI_COLLATION),
            Collate(F(f"{prefix}middle_name"), PG_VI_COLLATION),
            F(f"{prefix}id"),
        ]
    return [F(f"{prefix}name_sort_key"), F(f"{prefix}id")]


def in_name_order(qs: QuerySet[Member]) -> QuerySet[Member]:
    return qs.order_by(*vietnamese_order())


def shared_names(members: "QuerySet[Member] | Iterable[Member]") -> set[str]:
    """Full names borne by more than one of `members` (namesakes): one query for a queryset, none for a list."""
    if isinstance(members, QuerySet):
        return set(
            members.order_by()
            .values("full_name")
            .annotate(n=Count("id"))
            .filter(n__gt=1)
            .values_list("full_name", flat=True)
        )
    counts = Counter(m.full_name for m in members)
    return {name for name, n in counts.items() if n > 1}


def member_label(member: Member, namesakes: set[str]) -> str:
    """The member's name, with the year of birth when a namesake is in the same list ("Nguyễn Văn An (1970)")."""
    if member.full_name in namesakes:
        return f"{member.full_name} ({member.birth_date.year})"
    return member.full_name


def member_roll(
    user: AnyUser,
    *,
    org: Organization | None = None,
    search: str = "",
    status: str | None = None,
) -> MemberQuerySet:
    """Current members the user may list, under `org` if given, in Vietnamese name order: the list behind
    the member page, its Excel export and the API."""
    qs = members_with(user, Perm.LIST_MEMBERS).current()
    if org is not None:
        qs = qs.filter(org__path__startswith=org.path)
    if search.strip():
        qs = qs.search(search)
    if status in Member.Status.values:
        qs = qs.filter(status=status)
    # The org is needed for each row's sensitive-field check (its path), hence select_related.
    return in_name_order(qs.select_related("org"))  # type: ignore[return-value]
