"""Every list is paginated (a rule of the house); one helper so that pages agree on how."""

from collections.abc import Sequence

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest


def paginate(request: HttpRequest, queryset: QuerySet | Sequence, per_page: int | None = None) -> Page:
    paginator = Paginator(queryset, per_page or settings.CHIBO_PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))
