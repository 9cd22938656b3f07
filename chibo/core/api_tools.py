"""Building blocks every app's `api.py` uses: pagination, date parameters, errors. (The bearer-token
authentication is chibo.accounts.tokens.TokenAuth: core imports no app.)

They live apart from chibo/api.py (the NinjaAPI root) so that an app's router can import them while the
root imports the routers, without a circular import.
"""

from datetime import date

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.pagination import LimitOffsetPagination
from ninja.renderers import JSONRenderer
from pydantic import Field

from chibo.core.errors import ChiboError

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


class Utf8JSONRenderer(JSONRenderer):
    """Vietnamese text as UTF-8, readable in logs and curl, rather than \\u escapes."""

    json_dumps_params = {"ensure_ascii": False}


class Pagination(LimitOffsetPagination):
    """`?limit=&offset=` answered as {"items": [...], "count": N}; a limit above 200 is cut to 200."""

    class Input(Schema):
        limit: int = Field(PAGE_SIZE, ge=1, description=f"Số mục mỗi trang (tối đa {MAX_PAGE_SIZE}).")
        offset: int = Field(0, ge=0, description="Bỏ qua bao nhiêu mục đầu.")

    def __init__(self, **kwargs: object) -> None:
        super().__init__(max_limit=MAX_PAGE_SIZE, **kwargs)  # type: ignore[arg-type]


class ErrorOut(Schema):
    detail: str


class ChiboErrorOut(Schema):
    detail: str
    field: str | None = None


def parse_day(value: str | None, *, param: str = "as_of") -> date | None:
    """A YYYY-MM-DD query parameter; anything else is refused with 422 in Vietnamese."""
    if not value:
        return None
    try:
        day = parse_date(value)
    except ValueError:
        day = None
    if day is None:
        raise HttpError(
            422,
            _("Tham số %(param)s không phải ngày hợp lệ: dùng dạng YYYY-MM-DD, ví dụ 2025-07-01.") % {"param": param},
        )
    return day


def install_error_handlers(api: NinjaAPI) -> None:
    """Errors answered as {"detail": "<Vietnamese message>"}, like every other refusal of the API."""

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return api.create_response(request, {"detail": _("Không tìm thấy.")}, status=404)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        detail = _("Cần mã truy cập hợp lệ trong tiêu đề Authorization: Bearer <mã>.")
        response = api.create_response(request, {"detail": detail}, status=401)
        response["WWW-Authenticate"] = "Bearer"
        return response

    @api.exception_handler(ChiboError)
    def refused(request: HttpRequest, exc: ChiboError) -> HttpResponse:
        return api.create_response(request, {"detail": exc.message, "field": exc.field}, status=422)
