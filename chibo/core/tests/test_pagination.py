"""Pagination: exact counts for short lists, PostgreSQL's estimate ("khoảng N") for long ones."""

from unittest import mock

import pytest
from django.db import connection
from django.test import RequestFactory
from django.urls import reverse

from chibo.core import pagination
from chibo.core.pagination import EstimatedCountPaginator, paginate
from chibo.members.models import Member
from chibo.testing.factories import MemberFactory

pytestmark = pytest.mark.django_db


def _page(number: int | str = 1, **kwargs):  # type: ignore[no-untyped-def]
    request = RequestFactory().get("/", {"page": number})
    return paginate(request, Member.objects.current().order_by("pk"), 5, **kwargs)


def _members(world, n: int) -> None:  # type: ignore[no-untyped-def]
    MemberFactory.create_batch(n, org=world.anhoa)


def test_a_short_list_is_counted_exactly(world, settings):
    settings.CHIBO_COUNT_ESTIMATE_THRESHOLD = 50
    _members(world, 10)  # 12 with the world's two
    page = _page(estimate=True)
    assert page.paginator.count == 12
    assert not page.paginator.estimated
    assert page.paginator.num_pages == 3


def test_sqlite_always_counts_exactly(world, settings):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    settings.CHIBO_COUNT_ESTIMATE_THRESHOLD = 3
    _members(world, 10)
    page = _page(estimate=True)
    assert page.paginator.count == 12 and not page.paginator.estimated


def test_the_estimate_is_off_unless_asked_for(world, settings):
    settings.CHIBO_COUNT_ESTIMATE_THRESHOLD = 3
    _members(world, 10)
    page = _page()
    assert page.paginator.count == 12
    assert not isinstance(page.paginator, EstimatedCountPaginator)


def _analyze() -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE members_member")


@pytest.mark.postgres
def test_a_long_list_shows_the_planners_estimate(world, settings):
    settings.CHIBO_COUNT_ESTIMATE_THRESHOLD = 8
    _members(world, 38)  # 40 with the world's two
    _analyze()
    page = _page(estimate=True)
    assert page.paginator.estimated
    # The planner's figure after ANALYZE, rounded to two digits; never below the threshold.
    assert 8 <= page.paginator.count <= 80
    assert [m.pk for m in page] == list(Member.objects.order_by("pk").values_list("pk", flat=True)[:5])
    assert page.has_next() and not page.has_previous()


@pytest.mark.postgres
def test_next_is_exact_when_the_estimate_falls_short(world, settings):
    settings.CHIBO_COUNT_ESTIMATE_THRESHOLD = 8
    _members(world, 38)
    with mock.patch.object(pagination, "_planner_rows", return_value=10):
        page = _page(3, estimate=True)  # the estimate says 2 pages of 5; there are 8
        assert page.paginator.estimated and page.number == 3
        assert page.has_next() and page.next_page_number() == 4
        last = _page(8, estimate=True)
    assert not last.has_next() and len(last) == 5
    # Reaching the end tells the exact count.
    assert last.paginator.count == 40 and not last.paginator.estimated
    assert last.end_index() == 40


@pytest.mark.postgres
def test_a_page_past_the_end_of_an_overestimated_list_is_empty_and_links_back(world, settings):
    settings.CHIBO_COUNT_ESTIMATE_THRESHOLD = 8
    _members(world, 38)
    with mock.patch.object(pagination, "_planner_rows", return_value=1_000_000):
        page = _page(50, estimate=True)
    assert list(page) == [] and not page.has_next() and page.has_previous()


@pytest.mark.postgres
def test_an_overestimate_of_a_short_list_is_not_believed(world, settings):
    settings.CHIBO_COUNT_ESTIMATE_THRESHOLD = 50
    _members(world, 10)
    with mock.patch.object(pagination, "_planner_rows", return_value=1_000_000) as planner:
        page = _page(estimate=True)
    assert page.paginator.count == 12 and not page.paginator.estimated
    planner.assert_not_called()


def test_large_estimates_are_rounded_to_two_significant_digits():
    assert pagination._two_digits(5_612_345) == 5_600_000
    assert pagination._two_digits(66_500) == 67_000
    assert pagination._two_digits(42) == 42


@pytest.mark.postgres
def test_the_member_list_says_about_how_many_when_it_estimates(client, world, settings):
    settings.CHIBO_COUNT_ESTIMATE_THRESHOLD = 8
    settings.CHIBO_PAGE_SIZE = 5
    _members(world, 38)
    _analyze()
    client.force_login(world.ward_officer)
    response = client.get(reverse("members:list"))
    assert response.context["page"].paginator.estimated
    html = response.content.decode()
    assert "khoảng" in html and "Trang 1/khoảng" in html
    settings.CHIBO_COUNT_ESTIMATE_THRESHOLD = 50
    html = client.get(reverse("members:list")).content.decode()
    assert "40 đảng viên" in html and "khoảng" not in html
