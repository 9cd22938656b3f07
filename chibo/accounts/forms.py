from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from chibo.accounts.models import Role
from chibo.core.dates import today
from chibo.organizations.models import Organization


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("Tên đăng nhập hoặc mật khẩu không đúng."),
        "inactive": _("Tài khoản này đã bị khóa."),
    }

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Tên đăng nhập")
        self.fields["password"].label = _("Mật khẩu")
        self.fields["username"].error_messages["required"] = _("Hãy nhập tên đăng nhập.")
        self.fields["password"].error_messages["required"] = _("Hãy nhập mật khẩu.")


class TwoFactorForm(forms.Form):
    """A six-digit code from the authenticator, or one of the backup codes (eight letters and digits)."""

    token = forms.CharField(
        label=_("Mã xác thực"),
        max_length=16,
        help_text=_("Mã 6 số trong ứng dụng xác thực, hoặc một mã dự phòng."),
        widget=forms.TextInput(attrs={"inputmode": "text", "autocomplete": "one-time-code", "autofocus": True}),
        error_messages={"required": _("Hãy nhập mã xác thực.")},
    )

    def clean_token(self) -> str:
        token = self.cleaned_data["token"].strip().replace(" ", "")
        if len(token) < 6:
            raise forms.ValidationError(_("Mã xác thực không đúng hoặc đã hết hạn."))
        return token


class _OrgChoiceField(forms.ModelChoiceField):
    """Nodes shown indented by depth, so a subtree reads as a tree in a plain select."""

    def label_from_instance(self, obj: Organization) -> str:  # type: ignore[override]
        return "— " * max(obj.depth - 1, 0) + obj.name


class GrantForm(forms.Form):
    role = forms.ChoiceField(label=_("Vai trò"), choices=Role.choices)
    org = _OrgChoiceField(label=_("Tại tổ chức"), queryset=Organization.objects.none())
    valid_from = forms.DateField(label=_("Từ ngày"), required=False, help_text=_("dd/mm/yyyy; để trống là hôm nay."))

    def __init__(self, *args, orgs: QuerySet[Organization], **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs  # type: ignore[attr-defined]


class UserCreateForm(GrantForm):
    username = forms.CharField(label=_("Tên đăng nhập"), max_length=150)
    full_name = forms.CharField(
        label=_("Họ và tên"), max_length=150, required=False, help_text=_("Để trống để lấy theo hồ sơ đảng viên.")
    )
    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    member_card = forms.CharField(
        label=_("Số thẻ đảng viên"),
        max_length=20,
        required=False,
        help_text=_("Gắn tài khoản với hồ sơ đảng viên (không bắt buộc)."),
    )
    password = forms.CharField(label=_("Mật khẩu ban đầu"), widget=forms.PasswordInput(render_value=False))
    password2 = forms.CharField(label=_("Nhập lại mật khẩu"), widget=forms.PasswordInput(render_value=False))

    field_order = [
        "username",
        "full_name",
        "email",
        "member_card",
        "password",
        "password2",
        "role",
        "org",
        "valid_from",
    ]

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("password") and data.get("password2") and data["password"] != data["password2"]:
            self.add_error("password2", _("Hai mật khẩu không khớp."))
        return data


class RevokeForm(forms.Form):
    valid_to = forms.DateField(
        label=_("Thu hồi từ ngày"), required=False, help_text=_("dd/mm/yyyy; để trống là hôm nay.")
    )

    def clean_valid_to(self):  # type: ignore[no-untyped-def]
        return self.cleaned_data.get("valid_to") or today()


class SetPasswordForm(forms.Form):
    password = forms.CharField(label=_("Mật khẩu mới"), widget=forms.PasswordInput(render_value=False))
    password2 = forms.CharField(label=_("Nhập lại mật khẩu"), widget=forms.PasswordInput(render_value=False))

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("password") and data.get("password2") and data["password"] != data["password2"]:
            self.add_error("password2", _("Hai mật khẩu không khớp."))
        return data
