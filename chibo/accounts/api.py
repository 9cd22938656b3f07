"""API sign-in (C17): exchange a username and password for a bearer token; list and revoke one's tokens."""

from datetime import datetime

from django.conf import settings
from django.contrib.auth import authenticate, user_logged_in
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import devices_for_user
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from chibo.accounts.models import ApiToken, User
from chibo.accounts.scope import is_officer
from chibo.accounts.tokens import get_token_for_user, token_issue, token_revoke, tokens_of
from chibo.core.api_tools import ErrorOut, Pagination

router = Router(tags=["Tài khoản"])

WRONG_CREDENTIALS = gettext_lazy("Tên đăng nhập hoặc mật khẩu không đúng.")
NEEDS_SECOND_FACTOR = gettext_lazy(
    "Cán bộ tổ chức phải nhập mã xác thực hai lớp (otp) từ ứng dụng xác thực đã đăng ký trên trang web."
)


def _locked_out_message() -> str:
    minutes = round(float(settings.AXES_COOLOFF_TIME) * 60)
    return _("Bạn đã nhập sai quá nhiều lần. Vui lòng thử lại sau %(minutes)s phút hoặc liên hệ quản trị viên.") % {
        "minutes": minutes
    }


class TokenIn(Schema):
    username: str
    password: str
    otp: str = ""
    label: str = ""


class TokenOut(Schema):
    token: str


class TokenInfo(Schema):
    id: int
    label: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


def _second_factor_passed(user: User, code: str) -> bool:
    """Officers sign in with a second factor on the API as on the pages (C3)."""
    code = code.strip()
    # An authenticator app's code or one of the printed backup codes; each device throttles its own retries.
    return bool(code) and any(device.verify_token(code) for device in devices_for_user(user, confirmed=True))


@router.post("/token", auth=None, response={200: TokenOut, 401: ErrorOut, 429: ErrorOut})
def token_create(request: HttpRequest, payload: TokenIn) -> Status:
    """Đăng nhập: trả về mã truy cập, gửi kèm mỗi yêu cầu dưới dạng `Authorization: Bearer <mã>`."""
    # Through django.contrib.auth with the request, so that django-axes counts the failures and the
    # lockout is shared with the sign-in page.
    user = authenticate(request, username=payload.username, password=payload.password)
    if getattr(request, "axes_locked_out", False):
        # AxesMiddleware would swap this answer for the HTML lockout page; the API answers in JSON.
        request.axes_locked_out = False  # type: ignore[attr-defined]
        return Status(429, {"detail": _locked_out_message()})
    if not isinstance(user, User):
        return Status(401, {"detail": str(WRONG_CREDENTIALS)})
    required = settings.CHIBO_REQUIRE_OFFICER_2FA and is_officer(user)
    # Verified when required, or when given: a token issued with a second factor keeps working if the
    # account later needs one.
    two_factor = _second_factor_passed(user, payload.otp) if (required or payload.otp.strip()) else False
    if required and not two_factor:
        return Status(401, {"detail": str(NEEDS_SECOND_FACTOR)})
    _token, raw = token_issue(user=user, label=payload.label, two_factor=two_factor)
    # A token is a sign-in: django-axes clears the failures, Django records last_login.
    user_logged_in.send(sender=User, request=request, user=user)
    return Status(200, {"token": raw})


@router.delete("/token", response={204: None})
def token_delete_current(request: HttpRequest) -> Status:
    """Thu hồi mã truy cập đang dùng (đăng xuất)."""
    token: ApiToken = request.auth  # type: ignore[attr-defined]
    token_revoke(actor=token.user, token=token)
    return Status(204, None)


@router.get("/tokens", response=list[TokenInfo])
@paginate(Pagination)
def token_list(request: HttpRequest) -> QuerySet[ApiToken]:
    """Các mã truy cập của chính mình, mới nhất trước."""
    return tokens_of(request.user)  # type: ignore[arg-type]


@router.delete("/tokens/{token_id}", response={204: None, 404: ErrorOut})
def token_delete(request: HttpRequest, token_id: int) -> Status:
    """Thu hồi một mã truy cập của chính mình (ví dụ khi mất điện thoại)."""
    user: User = request.user  # type: ignore[assignment]
    token_revoke(actor=user, token=get_token_for_user(user, token_id))
    return Status(204, None)
