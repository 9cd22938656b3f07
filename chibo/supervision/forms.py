"""Forms of the supervision pages: they only validate input; chibo.supervision.services decides and writes."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from chibo.accounts.models import User
from chibo.core.forms import DateField, ServiceForm
from chibo.members.models import Member
from chibo.organizations.models import Organization
from chibo.supervision.models import Assignment


class UsernameField(forms.CharField):
    """A cadre named by their account (tên đăng nhập): the committee knows it; a list of every user would not do."""

    def clean(self, value: Any) -> User:
        username = super().clean(value).strip()
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("Không có tài khoản đang hoạt động tên %(u)s.") % {"u": username})
        return user


class AssignmentForm(ServiceForm):
    cadre = UsernameField(label=_("Tài khoản của cán bộ"), max_length=150)
    kind = forms.ChoiceField(label=_("Thành phần"), choices=Assignment.Kind.choices)
    title = forms.CharField(label=_("Chức vụ, đơn vị"), max_length=255)
    cell = forms.ModelChoiceField(label=_("Chi bộ"), queryset=Organization.objects.none())
    valid_from = DateField(label=_("Từ ngày"))
    valid_to = DateField(label=_("Đến trước ngày"), required=False)

    def __init__(self, *args: Any, cells: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if cells is not None:
            self.fields["cell"].queryset = cells  # type: ignore[attr-defined]


class EndForm(ServiceForm):
    ended_on = DateField(label=_("Kết thúc từ ngày"))


class RemarkFlagForm(forms.Form):
    asks_action = forms.BooleanField(required=False)


class ReplyForm(ServiceForm):
    reply = forms.CharField(label=_("Chi bộ trả lời"), widget=forms.Textarea(attrs={"rows": 3}))


class RemarkTaskForm(ServiceForm):
    description = forms.CharField(label=_("Nội dung nhiệm vụ"), widget=forms.Textarea(attrs={"rows": 2}))
    assignees: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        label=_("Đảng viên thực hiện"), queryset=Member.objects.none()
    )
    due_on = DateField(label=_("Hạn hoàn thành"))

    def __init__(self, *args: Any, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignees"].queryset = members  # type: ignore[attr-defined]


class RotaForm(ServiceForm):
    starts_on = DateField(label=_("Từ ngày (ngày đầu tháng)"))
    months = forms.IntegerField(label=_("Số tháng"), min_value=1, max_value=12, initial=3)
    max_per_month = forms.IntegerField(
        label=_("Mỗi cán bộ tối đa (buổi/tháng)"),
        min_value=1,
        max_value=31,
        required=False,
        help_text=_("Để trống: theo bộ quy định."),
    )


class VisitForm(ServiceForm):
    cadre = UsernameField(label=_("Tài khoản của cán bộ"), max_length=150)
    cell = forms.ModelChoiceField(label=_("Chi bộ"), queryset=Organization.objects.none())
    month = forms.ChoiceField(label=_("Tháng"))

    def __init__(self, *args: Any, cells: Any, months: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cell"].queryset = cells  # type: ignore[attr-defined]
        self.fields["month"].choices = months  # type: ignore[attr-defined]
