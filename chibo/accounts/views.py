"""Sign-in, the second factor, and account management for administrators within their subtree (C3)."""

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from chibo.accounts import selectors, services
from chibo.accounts.forms import GrantForm, LoginForm, RevokeForm, SetPasswordForm, TwoFactorForm, UserCreateForm
from chibo.accounts.models import RoleGrant, User
from chibo.accounts.scope import Perm, has_perm_on, members_with, orgs_with, roles_of
from chibo.audit.selectors import changes_for_display
from chibo.core.errors import ChiboError
from chibo.core.home import sections_for
from chibo.core.pagination import paginate

# --- Signing in ---------------------------------------------------------------------------------------


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


def logout_view(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        logout(request)
    return redirect("accounts:login")


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:security")

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        messages.success(self.request, _("Đã đổi mật khẩu."))
        return super().form_valid(form)


def _safe_next(request: HttpRequest) -> str:
    nxt = request.POST.get("next") or request.GET.get("next") or "/"
    ok = url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}, require_https=request.is_secure())
    return nxt if ok else "/"


def _qr_svg(text: str) -> str:
    """The enrolment QR code drawn here as inline SVG: the secret never leaves the server for a QR service."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    return image.to_string(encoding="unicode")


def _grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _enrolment_context(device: TOTPDevice) -> dict:
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode()
    return {
        "qr_svg": mark_safe(_qr_svg(device.config_url)),  # drawn here from our own data: no user text in it
        "secret": _grouped(secret),
    }


@never_cache
@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator on first use (QR code, then backup codes shown once); afterwards ask for a
    code at every sign-in. Nothing is remembered beyond the session: each new sign-in asks again."""
    assert isinstance(request.user, User)
    user = request.user
    nxt = _safe_next(request)
    if user.is_verified():  # type: ignore[attr-defined]
        return redirect(nxt)
    device = services.confirmed_totp_device(user)
    enrolling = device is None
    if enrolling:
        device = services.second_factor_start(user=user)
    form = TwoFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if enrolling:
                codes = services.second_factor_confirm(user=user, device=device, token=form.cleaned_data["token"])
                otp_login(request, device)
                return render(request, "accounts/backup_codes.html", {"codes": codes, "next": nxt, "first": True})
            otp_login(request, services.second_factor_verify(user=user, token=form.cleaned_data["token"]))
            return redirect(nxt)
        except ChiboError as err:
            form.add_error(err.field, err.message)
    context = {"form": form, "enrolling": enrolling, "next": nxt}
    if enrolling:
        context.update(_enrolment_context(device))
    return render(request, "accounts/two_factor.html", context, status=400 if form.errors else 200)


@never_cache
@login_required
def security(request: HttpRequest) -> HttpResponse:
    """One's own sign-in settings: password, authenticator, backup codes left."""
    assert isinstance(request.user, User)
    has_device = services.confirmed_totp_device(request.user) is not None
    codes_left = StaticToken.objects.filter(device__user=request.user, device__confirmed=True).count()
    return render(request, "accounts/security.html", {"has_device": has_device, "codes_left": codes_left})


@never_cache
@login_required
@require_POST
def backup_codes(request: HttpRequest) -> HttpResponse:
    assert isinstance(request.user, User)
    try:
        codes = services.backup_codes_regenerate(user=request.user)
    except ChiboError as err:
        messages.error(request, err.message)
        return redirect("accounts:security")
    return render(request, "accounts/backup_codes.html", {"codes": codes, "next": reverse("accounts:security")})


# --- Account management (administrators, within their subtree) --------------------------------------


def _require_admin(request: HttpRequest) -> None:
    if not selectors.manageable_orgs(request.user).exists():
        raise Http404


@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    q = request.GET.get("q", "").strip()
    return render(
        request, "accounts/user_list.html", {"page": paginate(request, selectors.user_list(request.user, q)), "q": q}
    )


@login_required
def user_create(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    orgs = selectors.manageable_orgs(request.user)
    initial = {"org": request.GET.get("org")} if request.GET.get("org") else None
    form = UserCreateForm(request.POST or None, orgs=orgs, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        member = None
        if data["member_card"]:
            # Only a member the administrator can see; anyone else is "not found".
            member = members_with(request.user, Perm.LIST_MEMBERS).filter(card_number=data["member_card"]).first()
            if member is None:
                form.add_error("member_card", _("Không tìm thấy đảng viên có số thẻ này trong phạm vi của bạn."))
        if not form.errors:
            try:
                user = services.user_create(
                    actor=request.user,  # type: ignore[arg-type]
                    username=data["username"],
                    password=data["password"],
                    full_name=data["full_name"],
                    email=data["email"],
                    member=member,
                    role=data["role"],
                    org=data["org"],
                    valid_from=data["valid_from"],
                )
            except ChiboError as err:
                form.add_error(_form_field(err.field, form), err.message)
            else:
                messages.success(request, _("Đã tạo tài khoản %(name)s.") % {"name": user.username})
                return redirect("accounts:user_detail", user.pk)
    return render(request, "accounts/user_form.html", {"form": form}, status=400 if form.errors else 200)


def _form_field(field: str | None, form: object) -> str | None:
    """The form field a service error belongs to (the service says `member`, the form asks a card number)."""
    mapping = {"member": "member_card"}
    name = mapping.get(field or "", field)
    return name if name in getattr(form, "fields", {}) else None


def _user_detail_context(request: HttpRequest, user: User, **forms: object) -> dict:
    grants = list(selectors.grants_of(user))
    for g in grants:
        g.can_revoke = g.valid_to is None and has_perm_on(request.user, g.org, Perm.MANAGE_ACCOUNTS)  # type: ignore[attr-defined]
    member_visible = user.member_id is not None and members_with(request.user).filter(pk=user.member_id).exists()
    return {
        "account": user,
        "grants": grants,
        "member_visible": member_visible,
        "has_device": services.confirmed_totp_device(user) is not None,
        "events": changes_for_display(list(selectors.account_events(user)[:20])),
        "grant_form": forms.get("grant_form") or GrantForm(orgs=selectors.manageable_orgs(request.user)),
        "password_form": forms.get("password_form") or SetPasswordForm(),
    }


@login_required
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = selectors.get_user_for_admin(request.user, pk)
    return render(request, "accounts/user_detail.html", _user_detail_context(request, user))


@login_required
@require_POST
def grant_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = selectors.get_user_for_admin(request.user, pk)
    form = GrantForm(request.POST, orgs=selectors.manageable_orgs(request.user))
    if form.is_valid():
        try:
            services.role_grant(
                actor=request.user,  # type: ignore[arg-type]
                user=user,
                org=form.cleaned_data["org"],
                role=form.cleaned_data["role"],
                valid_from=form.cleaned_data["valid_from"],
            )
        except ChiboError as err:
            form.add_error(err.field if err.field in form.fields else None, err.message)
        else:
            messages.success(request, _("Đã phân quyền."))
            return redirect("accounts:user_detail", user.pk)
    context = _user_detail_context(request, user, grant_form=form)
    return render(request, "accounts/user_detail.html", context, status=400)


@login_required
@require_POST
def grant_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    grant = selectors.get_grant_for_admin(request.user, pk)
    form = RevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("accounts:user_detail", grant.user_id)
    try:
        services.role_revoke(actor=request.user, grant=grant, valid_to=form.cleaned_data["valid_to"])  # type: ignore[arg-type]
    except ChiboError as err:
        messages.error(request, err.message)
    else:
        messages.success(request, _("Đã thu hồi quyền."))
    return redirect("accounts:user_detail", grant.user_id)


def _user_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = selectors.get_user_for_admin(request.user, pk)
    actor = request.user
    assert isinstance(actor, User)
    done = {
        "deactivate": (services.user_deactivate, _("Đã khóa tài khoản.")),
        "reactivate": (services.user_reactivate, _("Đã mở khóa tài khoản.")),
        "reset_2fa": (services.user_reset_second_factor, _("Đã xóa xác thực hai lớp; người dùng sẽ đăng ký lại.")),
    }
    service, message = done[action]
    try:
        service(actor=actor, user=user)
    except ChiboError as err:
        messages.error(request, err.message)
    else:
        messages.success(request, message)
    return redirect("accounts:user_detail", user.pk)


@login_required
@require_POST
def user_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    return _user_action(request, pk, "deactivate")


@login_required
@require_POST
def user_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    return _user_action(request, pk, "reactivate")


@login_required
@require_POST
def user_reset_second_factor(request: HttpRequest, pk: int) -> HttpResponse:
    return _user_action(request, pk, "reset_2fa")


@login_required
@require_POST
def user_set_password(request: HttpRequest, pk: int) -> HttpResponse:
    user = selectors.get_user_for_admin(request.user, pk)
    form = SetPasswordForm(request.POST)
    if form.is_valid():
        try:
            services.user_set_password(actor=request.user, user=user, password=form.cleaned_data["password"])  # type: ignore[arg-type]
        except ChiboError as err:
            form.add_error("password", err.message)
        else:
            messages.success(request, _("Đã đặt lại mật khẩu."))
            return redirect("accounts:user_detail", user.pk)
    context = _user_detail_context(request, user, password_form=form)
    return render(request, "accounts/user_detail.html", context, status=400)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The starting page (core:home): what needs the person now (the apps' sections), then their roles."""
    grants = RoleGrant.objects.filter(user_id=request.user.pk or 0).select_related("org").order_by("org__path")
    return render(
        request,
        "core/home.html",
        {
            "sections": sections_for(request.user),
            "grants": grants,
            "roles": roles_of(request.user),
            "can_list_members": orgs_with(request.user, Perm.LIST_MEMBERS).exists(),
        },
    )
