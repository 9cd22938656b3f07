"""Building blocks every app's `api.py` uses: pagination, date parameters, errors. (The bearer-token
authentication is chibo.accounts.tokens.TokenAuth: core imports no app.)

They live apart from chibo/api.py (the NinjaAPI root) so that an app's router can import them while the
root imports the routers, without a circular import.
"""

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.pagination import LimitOffsetPagination
from ninja.renderers import JSONRenderer
from pydantic import Field

from chibo.core.errors import ChiboError

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
MAX_OFFSET = 10_000_000


class Utf8JSONRenderer(JSONRenderer):
    """Vietnamese text as UTF-8, readable in logs and curl, rather than \\u escapes."""

    json_dumps_params = {"ensure_ascii": False}


class Pagination(LimitOffsetPagination):
    """`?limit=&offset=` answered as {"items": [...], "count": N}; out of bounds is a 422 with a message."""

    class Input(Schema):
        limit: int = Field(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description=f"Số mục mỗi trang (1–{MAX_PAGE_SIZE}).")
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Bỏ qua bao nhiêu mục đầu.")

    def __init__(self, **kwargs: object) -> None:
        super().__init__(max_limit=MAX_PAGE_SIZE, **kwargs)  # type: ignore[arg-type]


class ErrorOut(Schema):
    detail: str


class ChiboErrorOut(Schema):
    detail: str
    field: str | None = None


def parse_day(value: str | date | None, *, param: str = "as_of") -> date | None:
    """A YYYY-MM-DD query parameter; anything else is refused with 422 in Vietnamese."""
    if not value:
        return None
    if isinstance(value, date):
        return value
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

    @api.exception_handler(PermissionDenied)
    def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        """The one 403 of the API: the get_<thing>_for_user helpers answer 404 for what the user may not see
        and raise PermissionDenied for what they see but may not change; operations do not catch it."""
        detail = str(exc) or _("Tài khoản không có quyền thực hiện thao tác này.")
        return api.create_response(request, {"detail": detail}, status=403)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        detail = _("Cần mã truy cập hợp lệ trong tiêu đề Authorization: Bearer <mã>.")
        response = api.create_response(request, {"detail": detail}, status=401)
        response["WWW-Authenticate"] = "Bearer"
        return response

    @api.exception_handler(ChiboError)
    def refused(request: HttpRequest, exc: ChiboError) -> HttpResponse:
        return api.create_response(request, {"detail": exc.message, "field": exc.field}, status=422)

    @api.exception_handler(ValidationError)
    def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        """Bad parameters or body: 422 with the first problem in Vietnamese, shaped like every other 422."""
        detail, field = validation_message(exc.errors)
        return api.create_response(request, {"detail": detail, "field": field}, status=422)


def validation_message(errors: list[dict[str, Any]]) -> tuple[str, str | None]:
    """The first of pydantic's errors as (message, field)."""
    if not errors:
        return _("Dữ liệu gửi lên không hợp lệ."), None
    error = errors[0]
    location = [str(part) for part in error.get("loc", ()) if part not in ("query", "path", "body", "payload")]
    field = location[-1] if location else None
    ctx = error.get("ctx") or {}
    name = field or _("dữ liệu")
    kind = error.get("type", "")
    if kind == "missing":
        message = _("Thiếu %(field)s.") % {"field": name}
    elif kind in ("less_than_equal", "less_than"):
        message = _("%(field)s phải không lớn hơn %(limit)s.") % {"field": name, "limit": ctx.get("le", ctx.get("lt"))}
    elif kind in ("greater_than_equal", "greater_than"):
        message = _("%(field)s phải không nhỏ hơn %(limit)s.") % {"field": name, "limit": ctx.get("ge", ctx.get("gt"))}
    elif kind.startswith("int_"):
        message = _("%(field)s phải là số nguyên.") % {"field": name}
    elif kind.startswith(("datetime", "time")):
        message = _("%(field)s không phải ngày giờ hợp lệ (dạng ISO 8601).") % {"field": name}
    elif kind.startswith("date"):
        message = _("Tham số %(param)s không phải ngày hợp lệ: dùng dạng YYYY-MM-DD, ví dụ 2025-07-01.") % {
            "param": name
        }
    elif kind == "enum" or kind == "literal_error":
        message = _("%(field)s phải là một trong: %(expected)s.") % {"field": name, "expected": ctx.get("expected", "")}
    else:
        message = _("%(field)s không hợp lệ.") % {"field": name}
    return message, field


def qualify_choice_names() -> None:
    """Name each model's choices after the model (Member.Status → MemberStatus), so that the OpenAPI
    document's enum components do not collide: otherwise a member's status is checked against the
    commitments' enum. Only the classes' names change; Django stores the values."""
    from django.apps import apps
    from django.db.models import Choices

    for model in apps.get_models():
        if not model.__module__.startswith("chibo."):
            continue
        for name, value in list(vars(model).items()):
            if isinstance(value, type) and issubclass(value, Choices) and value.__name__ == name:
                value.__name__ = value.__qualname__ = f"{model.__name__}{name}"


def document_common_responses(schema: dict[str, Any]) -> dict[str, Any]:
    """Every operation lists the answers it may give whatever its own code does: 422 (parameters or body
    refused, ChiboErrorOut) and, behind a token, 401 (ErrorOut)."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components.setdefault("ChiboErrorOut", ChiboErrorOut.model_json_schema())
    components.setdefault("ErrorOut", ErrorOut.model_json_schema())

    def answer(description: str, ref: str) -> dict[str, Any]:
        return {"description": description, "content": {"application/json": {"schema": {"$ref": ref}}}}

    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            for code in list(responses):
                responses[str(code)] = responses.pop(code)
            responses.setdefault("422", answer("Dữ liệu không hợp lệ", "#/components/schemas/ChiboErrorOut"))
            if operation.get("security"):
                responses.setdefault("401", answer("Thiếu hoặc sai mã truy cập", "#/components/schemas/ErrorOut"))
    return schema
