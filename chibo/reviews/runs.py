"""Opening a year for every cell under a node (C15 at scale): the background job behind chibo.reviews.jobs.

Cells are taken in batches (`CELLS_PER_BATCH`); for each batch: the cells' rolls at the year's end (one
query), the evidence of all their members (chibo.reviews.evidence.gather: ten aggregate queries filtered by
the rolls as a subquery), one insert of the cells' years and one COPY of the members' reviews
(chibo.core.bulk; bulk_create on SQLite). So a cell costs a fixed share of a dozen queries
whatever its history, and progress is saved after each batch (its own transaction: a failure keeps the
batches done, and running again skips the cells already open).
"""

from datetime import date

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from chibo.accounts.models import User
from chibo.core.bulk import bulk_insert
from chibo.members.models import Membership
from chibo.organizations.models import Organization
from chibo.reviews.evidence import gather
from chibo.reviews.models import CellReview, MemberReview, ReviewRun
from chibo.reviews.services import build_member_reviews, year_end
from chibo.rules.selectors import RulesetResolver

CELLS_PER_BATCH = 200


def run_create(*, actor: User | None, org: Organization, year: int) -> ReviewRun:
    cells = Organization.objects.filter(path__startswith=org.path, kind__in=Organization.CELL_KINDS).count()
    return ReviewRun.objects.create(org=org, year=year, cells_total=cells, created_by=actor)


def _on_rolls(cell_ids: list[int], day: date) -> QuerySet[Membership]:
    return Membership.objects.filter(
        Q(org_id__in=cell_ids, kind=Membership.Kind.OFFICIAL, started_on__lte=day)
        & (Q(ended_on__isnull=True) | Q(ended_on__gt=day))
    )


def _rolls(cell_ids: list[int], day: date) -> dict[int, list[int]]:
    by_cell: dict[int, list[int]] = {}
    for org_id, member_id in _on_rolls(cell_ids, day).values_list("org_id", "member_id"):
        by_cell.setdefault(org_id, []).append(member_id)
    return by_cell


def _batch(run: ReviewRun, cells: list[Organization], resolver: RulesetResolver) -> int:
    """One batch of cells: their rolls, the evidence of all their members (each source aggregated per member
    in the database, filtered by the rolls as a subquery), the proposals, one COPY of the reviews."""
    day = year_end(run.year)
    cell_ids = [c.pk for c in cells]
    rolls = _rolls(cell_ids, day)
    ids = [m for members in rolls.values() for m in members]
    evidence = gather(ids, run.year, as_of=day, within=_on_rolls(cell_ids, day).values("member_id"))
    years = CellReview.objects.bulk_create(
        [
            CellReview(
                org=c, year=run.year, ruleset=resolver.for_org(c, date(run.year, 12, 31)), created_by=run.created_by
            )
            for c in cells
        ]
    )
    reviews: list[MemberReview] = []
    for cell_review in years:
        reviews += build_member_reviews(cell_review, rolls.get(cell_review.org_id, []), evidence)
    return bulk_insert(MemberReview, reviews)


def run_execute(*, run_id: int) -> ReviewRun:
    run = ReviewRun.objects.select_related("org").get(pk=run_id)
    run.status, run.started_at = ReviewRun.Status.RUNNING, timezone.now()
    run.save(update_fields=["status", "started_at"])
    opened = CellReview.objects.filter(year=run.year).values("org_id")
    cells = list(
        Organization.objects.filter(path__startswith=run.org.path, kind__in=Organization.CELL_KINDS)
        .exclude(pk__in=opened)
        .order_by("path")
    )
    resolver = RulesetResolver([run.org])
    try:
        for start in range(0, len(cells), CELLS_PER_BATCH):
            _save_batch(run, cells[start : start + CELLS_PER_BATCH], resolver)
    except Exception:
        ReviewRun.objects.filter(pk=run.pk).update(status=ReviewRun.Status.FAILED, finished_at=timezone.now())
        raise
    run.status, run.finished_at = ReviewRun.Status.DONE, timezone.now()
    run.save(update_fields=["status", "finished_at"])
    return run


def _save_batch(run: ReviewRun, cells: list[Organization], resolver: RulesetResolver) -> None:
    with transaction.atomic():
        members = _batch(run, cells, resolver)
        run.cells_done += len(cells)
        run.members_done += members
        run.save(update_fields=["cells_done", "members_done"])
