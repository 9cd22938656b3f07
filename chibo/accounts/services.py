"""Writes to accounts (C3): users, role grants, deactivation, the second factor. Every change is audited.

Administrators act within their subtree only: a service refuses a node, a member or a user outside it,
whichever page, API call or command calls it. `actor=None` is the system (commands, data loads).
"""

from datetime import date

from auditlog.models import LogEntry
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from chibo.accounts.models import ApiToken, Role, RoleGrant, User
from chibo.accounts.scope import Perm, forget_grants, has_perm_on, members_with
from chibo.audit.context import acting_as
from chibo.core.dates import today
from chibo.core.errors import ChiboError
from chibo.core.history import records_actor
from chibo.core.vietnamese import normalize_name, split_full_name
from chibo.members.models import Member
from chibo.organizations.models import Organization

BACKUP_CODE_COUNT = 10
TOTP_DEVICE_NAME = "Ứng dụng xác thực"
BACKUP_DEVICE_NAME = "Mã dự phòng"


# --- Checks -------------------------------------------------------------------------------------------


def _check_manages(actor: User | None, org: Organization, field: str = "org") -> None:
    if actor is not None and not has_perm_on(actor, org, Perm.MANAGE_ACCOUNTS):
        raise ChiboError(_("Bạn không được quản lý tài khoản tại tổ chức này."), field=field)


def _check_user_manageable(actor: User | None, user: User) -> None:
    """An administrator manages a user only if every role the user holds lies inside their subtree:
    a ward administrator must not lock out the town's officer who also happens to be a ward member."""
    if actor is None:
        return
    if user.pk == actor.pk:
        raise ChiboError(_("Bạn không thể tự thay đổi tài khoản của chính mình ở đây."))
    if user.is_superuser and not actor.is_superuser:
        raise ChiboError(_("Chỉ quản trị hệ thống mới thay đổi được tài khoản này."))
    current_or_future = Q(valid_to__isnull=True) | Q(valid_to__gt=today())
    for grant in RoleGrant.objects.filter(current_or_future, user=user).select_related("org"):
        if not has_perm_on(actor, grant.org, Perm.MANAGE_ACCOUNTS):
            raise ChiboError(
                _(
                    "Tài khoản này có vai trò tại %(org)s, ngoài phạm vi quản lý của bạn. "
                    "Hãy đề nghị cấp trên thực hiện."
                )
                % {"org": grant.org.name}
            )


def _check_password(password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except ValidationError as err:
        raise ChiboError(" ".join(err.messages), field="password") from None


def _log_account_event(*, actor: User | None, user: User, what: str, old: str, new: str) -> None:
    """A change auditlog cannot see (devices hold secrets and are not registered): written by hand."""
    LogEntry.objects.log_create(
        user, action=LogEntry.Action.UPDATE, changes={what: [old, new]}, force_log=True, actor=actor
    )


# --- Users --------------------------------------------------------------------------------------------


@records_actor
@transaction.atomic
def user_create(
    *,
    actor: User | None,
    username: str,
    password: str,
    full_name: str = "",
    email: str = "",
    member: Member | None = None,
    role: str | None = None,
    org: Organization | None = None,
    valid_from: date | None = None,
) -> User:
    """A new account, optionally linked to a member, with its first role.

    An administrator must give the first role: users are listed by where their roles are, so an account
    without one would be lost to the administrator who made it.
    """
    username = username.strip()
    if not username:
        raise ChiboError(_("Tên đăng nhập không được để trống."), field="username")
    try:
        User.username_validator(username)
    except ValidationError:
        raise ChiboError(
            _("Tên đăng nhập chỉ gồm chữ không dấu, số và các ký tự @ . + - _."), field="username"
        ) from None
    if User.objects.filter(username__iexact=username).exists():
        raise ChiboError(_("Tên đăng nhập %(username)s đã có người dùng.") % {"username": username}, field="username")
    if actor is not None and (role is None or org is None):
        raise ChiboError(_("Hãy chọn vai trò và tổ chức cho tài khoản mới."), field="role")
    if member is not None:
        if actor is not None and not members_with(actor, Perm.LIST_MEMBERS).filter(pk=member.pk).exists():
            raise ChiboError(_("Không tìm thấy đảng viên này trong phạm vi của bạn."), field="member")
        if User.objects.filter(member=member).exists():
            raise ChiboError(_("Đảng viên %(member)s đã có tài khoản.") % {"member": member.full_name}, field="member")
    full_name = normalize_name(full_name or (member.full_name if member else ""))
    family, middle, given = split_full_name(full_name)
    # Django's get_full_name() is "first last"; Vietnamese order puts the family and middle names first.
    user = User(
        username=username,
        first_name=" ".join(p for p in (family, middle) if p),
        last_name=given,
        email=email.strip(),
        member=member,
    )
    _check_password(password, user)
    user.set_password(password)
    with acting_as(actor):
        user.save()
        if role is not None and org is not None:
            role_grant(actor=actor, user=user, org=org, role=role, valid_from=valid_from)
    return user


@records_actor
@transaction.atomic
def user_set_password(*, actor: User | None, user: User, password: str) -> User:
    _check_user_manageable(actor, user)
    _check_password(password, user)
    user.set_password(password)
    with acting_as(actor):
        user.save(update_fields=["password"])
        _log_account_event(actor=actor, user=user, what="mật khẩu", old="", new="đặt lại")
    return user


@records_actor
@transaction.atomic
def user_deactivate(*, actor: User | None, user: User) -> User:
    """Lock the account: sessions end at the next request (Django refuses inactive users), tokens are revoked.
    Role grants stay as they were, for the history."""
    _check_user_manageable(actor, user)
    if not user.is_active:
        raise ChiboError(_("Tài khoản này đã bị khóa."))
    user.is_active = False
    with acting_as(actor):
        user.save(update_fields=["is_active"])
    ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    return user


@records_actor
@transaction.atomic
def user_reactivate(*, actor: User | None, user: User) -> User:
    _check_user_manageable(actor, user)
    if user.is_active:
        raise ChiboError(_("Tài khoản này đang hoạt động."))
    user.is_active = True
    with acting_as(actor):
        user.save(update_fields=["is_active"])
    return user


# --- Role grants --------------------------------------------------------------------------------------


@records_actor
@transaction.atomic
def role_grant(
    *, actor: User | None, user: User, org: Organization, role: str, valid_from: date | None = None
) -> RoleGrant:
    """Give `user` the role at `org` (and so over its subtree) from `valid_from` (default today)."""
    if role not in Role.values:
        raise ChiboError(_("Vai trò không hợp lệ."), field="role")
    _check_manages(actor, org)
    if actor is not None and user.pk == actor.pk:
        raise ChiboError(_("Bạn không thể tự phân quyền cho chính mình."), field="role")
    if not user.is_active:
        raise ChiboError(_("Tài khoản này đã bị khóa; hãy mở khóa trước khi phân quyền."))
    if not org.is_active:
        raise ChiboError(_("%(org)s đã giải thể.") % {"org": org.name}, field="org")
    valid_from = valid_from or today()
    if valid_from < today():
        raise ChiboError(_("Ngày bắt đầu không được ở quá khứ."), field="valid_from")
    # One open grant per user, node and role (a database constraint too); lock to serialise two admins.
    open_grants = RoleGrant.objects.select_for_update().filter(user=user, org=org, role=role, valid_to__isnull=True)
    if open_grants.exists():
        raise ChiboError(_("Tài khoản đã có vai trò này tại %(org)s.") % {"org": org.name}, field="role")
    with acting_as(actor):
        grant = RoleGrant.objects.create(user=user, org=org, role=role, valid_from=valid_from, granted_by=actor)
    forget_grants(user)
    return grant


@records_actor
@transaction.atomic
def role_revoke(*, actor: User | None, grant: RoleGrant, valid_to: date | None = None) -> RoleGrant:
    """End the grant from `valid_to` (default today); the row stays as history of who could do what when."""
    grant = RoleGrant.objects.select_for_update().select_related("org", "user").get(pk=grant.pk)
    _check_manages(actor, grant.org)
    if actor is not None and grant.user_id == actor.pk:
        raise ChiboError(_("Bạn không thể tự thu hồi quyền của chính mình."))
    if grant.valid_to is not None:
        raise ChiboError(_("Quyền này đã được thu hồi."))
    valid_to = valid_to or today()
    if valid_to < today():
        raise ChiboError(_("Không thể thu hồi quyền từ một ngày trong quá khứ."), field="valid_to")
    # A grant not yet in force ends where it starts: an empty period, still on record.
    grant.valid_to = max(valid_to, grant.valid_from)
    with acting_as(actor):
        grant.save(update_fields=["valid_to"])
    forget_grants(grant.user)
    return grant


# --- The second factor --------------------------------------------------------------------------------


def confirmed_totp_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


@transaction.atomic
def second_factor_start(*, user: User) -> TOTPDevice:
    """The (unconfirmed) authenticator to enrol; the same one until confirmed, so a reload shows one key."""
    device, _created = TOTPDevice.objects.get_or_create(user=user, confirmed=False, defaults={"name": TOTP_DEVICE_NAME})
    return device


def _new_backup_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=BACKUP_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def second_factor_confirm(*, user: User, device: TOTPDevice, token: str) -> list[str]:
    """Confirm the authenticator with its first code; returns the backup codes, to be shown once."""
    if device.user_id != user.pk or device.confirmed:
        raise ChiboError(_("Thiết bị xác thực không hợp lệ."), field="token")
    if not device.verify_token(token):
        raise ChiboError(_("Mã xác thực không đúng hoặc đã hết hạn."), field="token")
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    codes = _new_backup_codes(user)
    _log_account_event(actor=user, user=user, what="xác thực hai lớp", old="", new="đã đăng ký")
    return codes


def second_factor_verify(*, user: User, token: str) -> TOTPDevice | StaticDevice:
    """The device that accepts `token`: six digits are an authenticator code, anything else a backup code.

    Not atomic on purpose: a wrong code must count against the device's throttle even though it fails.
    """
    token = token.strip().replace(" ", "").lower()
    device: TOTPDevice | StaticDevice | None
    if token.isdigit() and len(token) == 6:
        device = confirmed_totp_device(user)
    else:
        device = StaticDevice.objects.filter(user=user, confirmed=True).first()
    if device is None or not device.verify_token(token):
        raise ChiboError(_("Mã xác thực không đúng hoặc đã hết hạn."), field="token")
    return device


@transaction.atomic
def backup_codes_regenerate(*, user: User) -> list[str]:
    if confirmed_totp_device(user) is None:
        raise ChiboError(_("Bạn chưa đăng ký xác thực hai lớp."))
    codes = _new_backup_codes(user)
    _log_account_event(actor=user, user=user, what="mã dự phòng", old="", new="tạo mới")
    return codes


@records_actor
@transaction.atomic
def user_reset_second_factor(*, actor: User | None, user: User) -> int:
    """Remove the user's authenticator and backup codes (a lost phone): they enrol again at next sign-in,
    and any session verified with the old device stops being verified."""
    _check_user_manageable(actor, user)
    devices = [TOTPDevice.objects.filter(user=user), StaticDevice.objects.filter(user=user)]
    removed = sum(qs.count() for qs in devices)
    for qs in devices:
        qs.delete()
    _log_account_event(actor=actor, user=user, what="xác thực hai lớp", old="", new="đã xóa, đăng ký lại")
    return removed
