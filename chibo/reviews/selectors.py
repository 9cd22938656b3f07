"""Reads of the year-end review: scope (through chibo.accounts.scope), the summary sent up, the
organization's record of years and its consecutive years at the top level."""

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from chibo.accounts.scope import Action, AnyUser, Perm, has_perm_on, orgs_with
from chibo.organizations.models import Organization
from chibo.organizations.selectors import subtree_on
from chibo.reviews.models import LEVEL_ORDER, CellReview, Level, MemberReview, OrgRating


def cell_reviews_for(user: AnyUser) -> QuerySet[CellReview]:
    """The cells' years the user may read: those who list the cell's members (committee, officers, viewers)."""
    return CellReview.objects.filter(org__in=orgs_with(user, Perm.LIST_MEMBERS))


def get_cell_review_for_user(user: AnyUser, pk: int, *, action: Action = "see") -> CellReview:
    """The cell's year: 404 outside scope; for "change" (its review meeting, evidence, sending it up) 403
    for a reader who may not appraise (can_appraise)."""
    try:
        cell_review = cell_reviews_for(user).select_related("org", "ruleset", "chair", "recorder").get(pk=pk)
    except (CellReview.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if action == "change" and not can_appraise(user, cell_review):
        raise PermissionDenied(_("Chỉ chi ủy và cán bộ tổ chức cấp trên được kiểm điểm chi bộ."))
    return cell_review


def get_member_review_for_user(user: AnyUser, pk: int) -> MemberReview:
    """A member's review: the member's own, or any in a cell whose members the user may list (else 404)."""
    own = getattr(user, "member_id", None)
    q = Q(cell_review__org__in=orgs_with(user, Perm.LIST_MEMBERS))
    if own:
        q |= Q(member_id=own)
    try:
        return (
            MemberReview.objects.filter(q)
            .select_related("cell_review__org", "cell_review__ruleset", "member", "decided_by")
            .get(pk=pk)
        )
    except (MemberReview.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def can_appraise(user: AnyUser, cell_review: CellReview) -> bool:
    """The cell committee and the officers above run the cell's review meeting."""
    return has_perm_on(user, cell_review.org, Perm.EDIT_MEMBERS)


@dataclass
class LevelCounts:
    label: str
    org: Organization | None = None
    total: int = 0
    not_rated: int = 0
    counts: dict[str, int] = field(default_factory=lambda: {lvl: 0 for lvl in LEVEL_ORDER})
    # The organization's own level of the year and its years running at the top up to it (add_org_standing).
    org_level: str = ""
    top_years: int = 0

    @property
    def rated(self) -> int:
        return sum(self.counts.values())

    def share(self, level: str) -> str:
        return "—" if not self.rated else f"{self.counts[level] * 100 / self.rated:.1f}%".replace(".", ",")

    @property
    def rows(self) -> list[tuple[str, str, int, str]]:
        from chibo.reviews.models import SHORT

        return [(lvl, SHORT[lvl], self.counts[lvl], self.share(lvl)) for lvl in LEVEL_ORDER]


def self_assessments_waiting(member_id: int) -> QuerySet[MemberReview]:
    """The member's year-end self-assessments still to be submitted, in reviews that are open (one query)."""
    return (
        MemberReview.objects.filter(
            member_id=member_id, self_submitted_at__isnull=True, cell_review__status=CellReview.Status.OPEN
        )
        .select_related("cell_review__org")
        .order_by("cell_review__year", "pk")
    )


def standing_level(decided: str, cell: str, proposed: str) -> str:
    """A member's level as it stands: decided above, else the cell's, else the proposal ("" if none)."""
    return decided or cell or proposed


def level_counts(
    years: Collection[int], cell_ids: Collection[int] | None = None
) -> dict[tuple[int, int], dict[str, int]]:
    """(cell id, year) → members reviewed ("total"), not rated ("not_rated"), and per level as it stands:
    the classification figures the dashboards' summary keeps (one query)."""
    reviews = MemberReview.objects.filter(cell_review__year__in=list(years))
    if cell_ids is not None:
        reviews = reviews.filter(cell_review__org_id__in=cell_ids)
    rows = (
        reviews.values_list("cell_review__org_id", "cell_review__year", "not_rated", "decided_level", "cell_level",
                            "proposed_level")
        .annotate(n=Count("pk"))
        .order_by()
    )  # fmt: skip
    found: dict[tuple[int, int], dict[str, int]] = {}
    for org_id, year, not_rated, decided, cell, proposed, n in rows:
        counts = found.setdefault((org_id, year), {"total": 0, "not_rated": 0, **{lvl: 0 for lvl in LEVEL_ORDER}})
        counts["total"] += n
        level = standing_level(decided, cell, proposed)
        if not_rated:
            counts["not_rated"] += n
        elif level:
            counts[level] += n
    return found


def summary(org: Organization, year: int) -> tuple[list[LevelCounts], LevelCounts]:
    """Counts and shares per level for each cell under `org` (or `org` itself) and in all: the report a
    cell or a ward sends up. Levels as they stand (decided, else the cell's, else the proposal). The cells are
    those under `org` at the year's end (a ward merged since keeps its cells for its past years): one query
    per level of the tree, then two."""
    under = [v.org_id for v in subtree_on(org, date(year, 12, 31))] or [org.pk]
    reviews = MemberReview.objects.filter(cell_review__year=year, cell_review__org_id__in=under)
    rows = (
        reviews.values("cell_review__org_id", "not_rated", "decided_level", "cell_level", "proposed_level")
        .annotate(n=Count("pk"))
        .order_by()
    )
    cells = {o.pk: o for o in Organization.objects.filter(pk__in=reviews.values("cell_review__org_id"))}
    by_cell: dict[int, LevelCounts] = {}
    total = LevelCounts(label=org.name, org=org)
    for r in rows:
        cell = by_cell.setdefault(
            r["cell_review__org_id"],
            LevelCounts(label=cells[r["cell_review__org_id"]].name, org=cells[r["cell_review__org_id"]]),
        )
        for target in (cell, total):
            target.total += r["n"]
            if r["not_rated"]:
                target.not_rated += r["n"]
                continue
            level = standing_level(r["decided_level"], r["cell_level"], r["proposed_level"])
            if level:
                target.counts[level] += r["n"]
    return sorted(by_cell.values(), key=lambda c: c.label), total


def org_years(org: Organization) -> list[OrgRating]:
    return list(OrgRating.objects.filter(org=org).order_by("-year"))


def consecutive_top_years(ratings: list[OrgRating], *, up_to: int | None = None) -> int:
    """Years running at the top level (HTXSNV), counting back from the latest rated year (or `up_to`)."""
    by_year = {r.year: (r.level or "") for r in ratings}
    if not by_year:
        return 0
    year = up_to if up_to is not None else max(by_year)
    n = 0
    while by_year.get(year) == Level.EXCELLENT:
        n += 1
        year -= 1
    return n


def consecutive_top_years_for(orgs: list[Organization], *, up_to: int | None = None) -> dict[int, int]:
    """The consecutive count for many organizations in one query (report tables); `up_to` a report's year."""
    ratings: dict[int, list[OrgRating]] = {}
    for r in OrgRating.objects.filter(org__in=orgs).only("org_id", "year", "level"):
        ratings.setdefault(r.org_id, []).append(r)
    return {o.pk: consecutive_top_years(ratings.get(o.pk, []), up_to=up_to) for o in orgs}


def add_org_standing(rows: list[LevelCounts], year: int) -> None:
    """Each row's organization: its level of `year` (decided, else "") and its years running at the top up
    to `year`, for the summary page and workbook (one query)."""
    orgs = [r.org for r in rows if r.org is not None]
    ratings: dict[int, list[OrgRating]] = {}
    for rating in OrgRating.objects.filter(org__in=orgs, year__lte=year).only("org_id", "year", "level"):
        ratings.setdefault(rating.org_id, []).append(rating)
    for row in rows:
        if row.org is None:
            continue
        mine = ratings.get(row.org.pk, [])
        row.org_level = next((r.level for r in mine if r.year == year), "")
        row.top_years = consecutive_top_years(mine, up_to=year)
