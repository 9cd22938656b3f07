"""Every list is paginated (a rule of the house); one helper so that pages agree on how."""

import json
import math
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db import connections
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.functional import cached_property


def paginate(
    request: HttpRequest, queryset: QuerySet | Sequence, per_page: int | None = None, *, estimate: bool = False
) -> Page:
    """The requested page of the list. `estimate=True` for lists that may reach millions of rows (a
    province's or the country's members): see EstimatedCountPaginator."""
    paginator_class = EstimatedCountPaginator if estimate else Paginator
    paginator = paginator_class(queryset, per_page or settings.CHIBO_PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))


class EstimatedCountPaginator(Paginator):
    """Counts exactly up to CHIBO_COUNT_ESTIMATE_THRESHOLD rows, and above that takes PostgreSQL's estimate.

    An exact `COUNT(*)` reads every row of the list on every page view: ~50 ms for 500,000 members, so
    ~0.5–1 s for a country of 5.6 million (bench/README.md). Here the count stops at threshold + 1 rows
    (`SELECT count(*) FROM (… LIMIT threshold + 1)`, as many queries as an exact count); a list longer
    than that shows the planner's row estimate (`EXPLAIN (FORMAT JSON)`, no rows read) rounded to two
    significant digits, and `estimated` is true so the page can say "khoảng N". Each page then fetches
    one row more than it shows, so "next" is exact whatever the estimate; the last page, once reached,
    knows the exact count. SQLite and plain sequences always count exactly.
    """

    estimated = False

    @cached_property
    def count(self) -> int:
        qs = self.object_list
        if not isinstance(qs, QuerySet) or connections[qs.db].vendor != "postgresql":
            return super().count
        threshold = settings.CHIBO_COUNT_ESTIMATE_THRESHOLD
        bare = qs.order_by().values("pk")
        counted = bare[: threshold + 1].count()
        if counted <= threshold:
            return counted
        self.estimated = True
        return max(_two_digits(_planner_rows(bare)), threshold)

    def validate_number(self, number: Any) -> int:
        if not (self.count and self.estimated):
            return super().validate_number(number)
        # An estimate may be short of the real count: a page past it may still hold rows.
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            number = int(number)
        except (TypeError, ValueError) as exc:
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from exc
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        return number

    def page(self, number: Any) -> Page:
        number = self.validate_number(number)
        if not self.estimated:
            return super().page(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        has_next = len(rows) > self.per_page
        if not has_next and rows:
            # The last page: now the count is known.
            self.__dict__["count"] = bottom + len(rows)
            self.__dict__.pop("num_pages", None)
            self.estimated = False
        return _EstimatedPage(rows[: self.per_page], number, self, has_next=has_next)


class _EstimatedPage(Page):
    def __init__(self, object_list: list[Any], number: int, paginator: Paginator, *, has_next: bool) -> None:
        super().__init__(object_list, number, paginator)
        self._has_next = has_next

    def has_next(self) -> bool:
        return self._has_next

    def end_index(self) -> int:
        return (self.number - 1) * self.paginator.per_page + len(self.object_list)


def _planner_rows(qs: QuerySet) -> int:
    plan = json.loads(qs.explain(format="json"))
    return int(plan[0]["Plan"]["Plan Rows"])


def _two_digits(n: int) -> int:
    """5,612,345 → 5,600,000: an estimate shown to the last digit would claim a precision it lacks."""
    if n < 100:
        return n
    scale = 10 ** (int(math.log10(n)) - 1)
    return (n + scale // 2) // scale * scale
