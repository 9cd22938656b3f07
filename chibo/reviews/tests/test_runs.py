"""The province's job: every cell under a node opened for the year, with progress, in batches whose cost
does not grow with the cells' history."""

import pytest
from django.urls import reverse

from chibo.reviews import runs
from chibo.reviews.jobs import run_year
from chibo.reviews.models import CellReview, MemberReview, ReviewRun
from chibo.reviews.services import review_start
from chibo.reviews.tests.conftest import Cell, a_year
from chibo.testing.factories import MemberFactory

pytestmark = pytest.mark.django_db
YEAR = 2025


def test_the_job_opens_every_cell_under_the_node_and_counts_its_progress(cell: Cell):
    a_year(cell, YEAR)
    MemberFactory(org=cell.world.other_cell, full_name="Phan Văn Hai")
    run = runs.run_create(actor=cell.world.ward_officer, org=cell.world.ward, year=YEAR)
    assert (run.cells_total, run.percent) == (2, 0)
    run_year.delay(run.pk)  # inline without a broker
    run.refresh_from_db()
    assert (run.status, run.cells_done, run.members_done, run.percent) == ("done", 2, 10, 100)
    assert set(CellReview.objects.values_list("org_id", flat=True)) == {cell.org.pk, cell.world.other_cell.pk}
    mob = MemberReview.objects.get(member=cell.mobiliser)
    assert (mob.points, mob.proposed_level) == (88, "httnv")  # as when the cell opens its own year


def test_running_again_skips_the_cells_already_open(cell: Cell):
    review_start(actor=None, org=cell.org, year=YEAR)
    run = runs.run_execute(run_id=runs.run_create(actor=None, org=cell.world.ward, year=YEAR).pk)
    assert (run.cells_done, run.members_done) == (1, 1)
    assert CellReview.objects.count() == 2 and ReviewRun.objects.get().status == "done"


def test_a_batch_costs_the_same_queries_for_one_year_of_history_or_three(cell: Cell, django_assert_num_queries):
    a_year(cell, YEAR)
    run = runs.run_create(actor=None, org=cell.world.ward, year=YEAR)
    with django_assert_num_queries(22) as first:
        runs.run_execute(run_id=run.pk)
    CellReview.objects.all().delete()
    a_year(cell, YEAR - 1)
    a_year(cell, YEAR - 2, member=cell.plain)
    run = runs.run_create(actor=None, org=cell.world.ward, year=YEAR)
    with django_assert_num_queries(len(first.captured_queries)):
        runs.run_execute(run_id=run.pk)


def test_an_officer_starts_the_job_from_the_summary_and_follows_its_progress(
    cell: Cell, client, django_capture_on_commit_callbacks
):
    client.force_login(cell.world.ward_officer)
    summary = client.get(reverse("reviews:summary"), {"org": cell.world.ward.pk, "year": YEAR}).content.decode()
    assert "Mở kiểm điểm cho mọi chi bộ" in summary
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reviews:run_start", args=[cell.world.ward.pk]), {"year": YEAR})
    run = ReviewRun.objects.get()
    assert response.url == reverse("reviews:run", args=[run.pk])
    page = client.get(response.url, headers={"HX-Request": "true"}).content.decode()
    assert "Xong" in page and "2/2 chi bộ, 9 đảng viên đã có đề xuất." in page
    client.force_login(cell.world.anhoa_secretary)
    assert client.post(reverse("reviews:run_start", args=[cell.org.pk]), {"year": YEAR}).status_code == 403
