from django import forms
from django.utils.translation import gettext_lazy as _

from chibo.core.forms import DateField
from chibo.meetings.models import Meeting
from chibo.organizations.models import Organization

TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class PlanForm(forms.Form):
    """Plan a thematic or extraordinary meeting (regular ones are generated; one can be planned too)."""

    org = forms.ModelChoiceField(label=_("Chi bộ"), queryset=Organization.objects.none())
    kind = forms.ChoiceField(label=_("Loại"), choices=Meeting.Kind.choices, initial=Meeting.Kind.THEMATIC)
    scheduled_date = DateField(label=_("Ngày họp"))
    scheduled_time = forms.TimeField(
        label=_("Giờ họp"), required=False, widget=TIME_WIDGET, help_text=_("Để trống: giờ mặc định của quy định.")
    )
    place = forms.CharField(label=_("Địa điểm"), max_length=255, required=False)
    title = forms.CharField(label=_("Tiêu đề"), max_length=255, required=False)
    thematic_topic = forms.CharField(
        label=_("Chủ đề chuyên đề"), max_length=255, required=False, help_text=_("Bắt buộc với sinh hoạt chuyên đề.")
    )
    with_thematic = forms.BooleanField(
        label=_("Buổi thường kỳ kết hợp sinh hoạt chuyên đề"),
        required=False,
        help_text=_("Thời lượng tối thiểu khi đó theo quy định cho buổi có chuyên đề."),
    )

    def __init__(self, *args, cells=None, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = cells if cells is not None else Organization.objects.none()


class RescheduleForm(forms.Form):
    scheduled_date = DateField(label=_("Ngày họp mới"))
    scheduled_time = forms.TimeField(label=_("Giờ họp mới"), widget=TIME_WIDGET)
    place = forms.CharField(label=_("Địa điểm"), max_length=255, required=False)
    reason = forms.CharField(label=_("Lý do dời lịch"), max_length=255)


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Lý do hủy"), max_length=255, widget=forms.Textarea(attrs={"rows": 3}))


class GuestForm(forms.Form):
    name = forms.CharField(label=_("Họ và tên"), max_length=120)
    affiliation = forms.CharField(label=_("Chức vụ, đơn vị"), max_length=200, required=False)
    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    phone = forms.CharField(label=_("Điện thoại"), max_length=20, required=False)


class GenerateForm(forms.Form):
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100)
    month = forms.IntegerField(
        label=_("Tháng"), min_value=1, max_value=12, required=False, help_text=_("Để trống: cả năm.")
    )
