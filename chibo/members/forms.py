"""Forms of the member pages. They only validate input; `chibo.members.services` decides and writes."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from chibo.core.forms import DateField, ServiceForm
from chibo.members.models import Exemption, LifeEvent, Member, Membership, Position
from chibo.members.selectors import member_label, shared_names
from chibo.members.services import EDITABLE_FIELDS
from chibo.organizations.forms import OrgChoiceField
from chibo.organizations.models import Organization

# The fields of MemberForm that member_update() accepts, in the order of the form.
PROFILE_FIELDS = EDITABLE_FIELDS
SENSITIVE_FIELDS = ("strengths", "aspirations")
DECIDED_LEAVING = (Member.LeftReason.REMOVED, Member.LeftReason.EXPELLED)


class MemberForm(ServiceForm):
    full_name = forms.CharField(label=_("Họ và tên"), max_length=120)
    gender = forms.ChoiceField(label=_("Giới tính"), choices=Member.Gender.choices, widget=forms.RadioSelect)
    birth_date = DateField(label=_("Ngày sinh"))
    card_number = forms.CharField(label=_("Số thẻ đảng viên"), max_length=20, required=False)
    joined_on = DateField(label=_("Ngày vào Đảng"))
    official_on = DateField(
        label=_("Ngày chính thức"), required=False, help_text=_("Để trống nếu còn là đảng viên dự bị.")
    )
    residence_address = forms.CharField(label=_("Nơi cư trú"), max_length=255, required=False)
    phone = forms.CharField(
        label=_("Điện thoại"), max_length=20, required=False, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )
    email = forms.EmailField(
        label=_("Thư điện tử"), required=False, error_messages={"invalid": _("Nhập một địa chỉ thư điện tử hợp lệ.")}
    )
    occupation = forms.CharField(label=_("Nghề nghiệp"), max_length=120, required=False)
    strengths = forms.CharField(
        label=_("Sở trường"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Chỉ chi ủy và cấp trên xem được."),
    )
    aspirations = forms.CharField(
        label=_("Tâm tư, nguyện vọng"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Chỉ chi ủy và cấp trên xem được."),
    )

    def __init__(self, *args: Any, sensitive: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not sensitive:
            for name in SENSITIVE_FIELDS:
                del self.fields[name]

    def profile(self) -> dict[str, Any]:
        """The cleaned values for member_create()/member_update(), without the name."""
        return {name: self.cleaned_data[name] for name in PROFILE_FIELDS if name in self.cleaned_data}

    @staticmethod
    def initial_for(member: Member) -> dict[str, Any]:
        return {"full_name": member.full_name} | {name: getattr(member, name) for name in PROFILE_FIELDS}


class MemberCreateForm(MemberForm):
    org = OrgChoiceField(label=_("Chi bộ"), queryset=Organization.objects.none())
    roll_started_on = DateField(
        label=_("Ngày bắt đầu sinh hoạt tại chi bộ"),
        required=False,
        help_text=_("Để trống nếu sinh hoạt tại chi bộ này từ ngày vào Đảng."),
    )

    field_order = ["org", "full_name"]

    def __init__(self, *args: Any, cells: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = cells  # type: ignore[attr-defined]


class TransferForm(ServiceForm):
    to_org = OrgChoiceField(label=_("Chuyển đến chi bộ"), queryset=Organization.objects.none())
    kind = forms.ChoiceField(
        label=_("Hình thức"),
        choices=Membership.Kind.choices,
        initial=Membership.Kind.OFFICIAL,
        widget=forms.RadioSelect,
        help_text=_("Chính thức: chuyển hẳn danh sách. Tạm thời: sinh hoạt ở chi bộ khác, danh sách vẫn ở chi bộ cũ."),
    )
    effective_on = DateField(label=_("Ngày chuyển"))
    reason = forms.CharField(label=_("Lý do"), max_length=255, required=False)

    def __init__(self, *args: Any, cells: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_org"].queryset = cells  # type: ignore[attr-defined]


class ExemptionForm(ServiceForm):
    reason = forms.ChoiceField(label=_("Lý do"), choices=Exemption.Reason.choices)
    scope = forms.ChoiceField(
        label=_("Phạm vi"),
        choices=Exemption.Scope.choices,
        initial=Exemption.Scope.WORK_AND_MEETINGS,
        widget=forms.RadioSelect,
    )
    started_on = DateField(label=_("Từ ngày"))
    ended_on = DateField(
        label=_("Đến trước ngày"), required=False, help_text=_("Để trống nếu chưa xác định (trừ khi đi làm ăn xa).")
    )
    note = forms.CharField(
        label=_("Ghi chú"), max_length=255, required=False, help_text=_("Ví dụ: số nghị quyết của chi bộ.")
    )
    wants_notices = forms.BooleanField(label=_("Vẫn nhận thông báo sinh hoạt"), required=False)


class EndExemptionForm(ServiceForm):
    ended_on = DateField(label=_("Kết thúc miễn từ ngày"))


class PositionForm(ServiceForm):
    title = forms.ChoiceField(label=_("Chức vụ"), choices=Position.Title.choices)
    started_on = DateField(
        label=_("Từ ngày"), help_text=_("Bí thư, phó bí thư mới thay người đang giữ chức từ ngày này.")
    )


class LeaveForm(ServiceForm):
    # Removal (xóa tên) and expulsion (khai trừ) are decisions with a number: their own forms record them.
    reason = forms.ChoiceField(
        label=_("Lý do"),
        choices=[
            ("", _("— Chọn —")),
            *[(v, label) for v, label in Member.LeftReason.choices if v not in DECIDED_LEAVING],
        ],
    )
    left_on = DateField(label=_("Ngày ra khỏi danh sách"))


class DecisionForm(ServiceForm):
    """The fields every decision about a member carries (number, date, issuing body)."""

    decided_on = DateField(label=_("Ngày quyết định"))
    decision_number = forms.CharField(
        label=_("Số quyết định"), max_length=60, help_text=_("Ví dụ: 15-QĐ/ĐU."), required=False
    )
    issued_by = forms.CharField(
        label=_("Cơ quan ra quyết định"),
        max_length=160,
        required=False,
        help_text=_("Ví dụ: Đảng ủy phường Bình Thạnh."),
    )


class DisciplineForm(DecisionForm):
    discipline = forms.ChoiceField(label=_("Hình thức kỷ luật"), choices=LifeEvent.Discipline.choices)
    reason = forms.CharField(label=_("Nội dung vi phạm"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    field_order = ["discipline", "decided_on", "decision_number", "issued_by", "reason"]


class SuspensionForm(DecisionForm):
    ends_on = DateField(label=_("Đến trước ngày"), required=False, help_text=_("Để trống nếu chưa xác định."))
    reason = forms.CharField(label=_("Lý do"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class RemovalForm(DecisionForm):
    reason = forms.CharField(label=_("Lý do xóa tên"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class OfficialForm(DecisionForm):
    pass


class _NamesakesApart:
    """Choices labelled by name, with the year of birth for namesakes in the same list."""

    queryset: Any
    _namesakes: tuple[int, set[str]] | None = None

    def label_from_instance(self, obj: Member) -> str:
        if self._namesakes is None or self._namesakes[0] != id(self.queryset):
            self._namesakes = (id(self.queryset), shared_names(self.queryset))
        return member_label(obj, self._namesakes[1])


class MemberChoiceField(_NamesakesApart, forms.ModelChoiceField):
    pass


class MembersChoiceField(_NamesakesApart, forms.ModelMultipleChoiceField):
    pass
