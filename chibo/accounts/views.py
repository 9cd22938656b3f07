"""Sign-in, sign-out and the second factor for officers."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from chibo.accounts.forms import LoginForm, TwoFactorForm


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


def logout_view(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        from django.contrib.auth import logout

        logout(request)
    return redirect("accounts:login")


def _safe_next(request: HttpRequest) -> str:
    nxt = request.POST.get("next") or request.GET.get("next") or "/"
    return nxt if url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}) else "/"


@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    """Enrol a TOTP device on first use, then ask for a code at every sign-in."""
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    enrolling = device is None
    if enrolling:
        device, _created = TOTPDevice.objects.get_or_create(
            user=request.user, confirmed=False, defaults={"name": "Ứng dụng xác thực"}
        )
    form = TwoFactorForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        if enrolling:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
        otp_login(request, device)
        messages.success(request, _("Đã xác thực hai lớp."))
        return redirect(_safe_next(request))
    return render(
        request,
        "accounts/two_factor.html",
        {"form": form, "enrolling": enrolling, "device": device, "next": _safe_next(request)},
    )
