"""Forms of the household pages: they only validate input; chibo.households.services decides and writes."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from chibo.core.forms import DateField, ServiceForm
from chibo.households.models import LiaisonEvent
from chibo.meetings.models import Meeting
from chibo.members.models import Member

COORD = {"max_digits": 9, "decimal_places": 6, "required": False}


class HouseholdForm(ServiceForm):
    head_name = forms.CharField(label=_("Chủ hộ"), max_length=120)
    street = forms.CharField(label=_("Số nhà, đường"), max_length=160, required=False)
    hamlet = forms.CharField(label=_("Khu vực, ấp"), max_length=80)
    people = forms.IntegerField(label=_("Số nhân khẩu"), min_value=1, max_value=99, initial=1)
    phone = forms.CharField(label=_("Điện thoại"), max_length=20, required=False)
    lat = forms.DecimalField(label=_("Vĩ độ"), **COORD)  # type: ignore[arg-type]
    lon = forms.DecimalField(label=_("Kinh độ"), **COORD)  # type: ignore[arg-type]
    notes = forms.CharField(label=_("Ghi chú"), max_length=255, required=False)


class AreaForm(ServiceForm):
    ward = forms.CharField(label=_("Phường, xã"), max_length=120)
    hamlets = forms.CharField(
        label=_("Khu vực, ấp, tổ"), help_text=_("Mỗi dòng một tên."), widget=forms.Textarea(attrs={"rows": 3})
    )
    centre_lat = forms.DecimalField(label=_("Vĩ độ tâm"), **COORD)  # type: ignore[arg-type]
    centre_lon = forms.DecimalField(label=_("Kinh độ tâm"), **COORD)  # type: ignore[arg-type]
    radius_m = forms.IntegerField(label=_("Bán kính (m)"), min_value=100, max_value=50_000, initial=3000)


class HomeForm(ServiceForm):
    hamlet = forms.CharField(label=_("Khu vực, ấp nơi ở"), max_length=80, required=False)
    lat = forms.DecimalField(label=_("Vĩ độ nhà"), **COORD)  # type: ignore[arg-type]
    lon = forms.DecimalField(label=_("Kinh độ nhà"), **COORD)  # type: ignore[arg-type]


class PlanForm(ServiceForm):
    min_load = forms.IntegerField(label=_("Mỗi đảng viên ít nhất (hộ)"), min_value=0, max_value=2000)
    max_load = forms.IntegerField(label=_("Mỗi đảng viên nhiều nhất (hộ)"), min_value=1, max_value=2000)


class ApplyForm(ServiceForm):
    valid_from = DateField(label=_("Áp dụng từ ngày"))
    meeting: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Ghi vào nghị quyết buổi họp"), queryset=Meeting.objects.none(), required=False
    )

    def __init__(self, *args: Any, meetings: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings  # type: ignore[attr-defined]


class AssignForm(ServiceForm):
    member = forms.ModelChoiceField(label=_("Đảng viên phụ trách"), queryset=Member.objects.none())
    valid_from = DateField(label=_("Từ ngày"))

    def __init__(self, *args: Any, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members  # type: ignore[attr-defined]


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M")


class EventForm(ServiceForm):
    kind = forms.ChoiceField(label=_("Việc ghi"), choices=LiaisonEvent.Kind.choices)
    occurred_on = DateField(label=_("Ngày"))
    person_name = forms.CharField(label=_("Người về"), max_length=120, required=False)
    arrived_from = forms.CharField(label=_("Về từ (tỉnh, thành phố)"), max_length=120, required=False)
    arrived_on = DateField(label=_("Ngày về"), required=False)
    notified = forms.ChoiceField(
        label=_("Đã báo"), choices=[("", _("Chưa báo")), *LiaisonEvent.Notified.choices], required=False
    )
    notified_contact = forms.CharField(label=_("Người nhận tin"), max_length=120, required=False)
    notified_at = forms.DateTimeField(
        label=_("Lúc báo"), required=False, widget=DateTimeLocalInput(), input_formats=["%Y-%m-%dT%H:%M"]
    )
    text = forms.CharField(label=_("Nội dung"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    follow_up_on = DateField(label=_("Ngày theo dõi tiếp (nhắc đồng chí)"), required=False)

    def event_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in self.fields if name not in ("kind", "occurred_on")}


class NotifiedForm(ServiceForm):
    notified = forms.ChoiceField(label=_("Đã báo"), choices=LiaisonEvent.Notified.choices)
    notified_contact = forms.CharField(label=_("Người nhận tin"), max_length=120, required=False)
    notified_at = forms.DateTimeField(label=_("Lúc báo"), widget=DateTimeLocalInput(), input_formats=["%Y-%m-%dT%H:%M"])


class ImportForm(ServiceForm):
    file = forms.FileField(label=_("Tệp Excel (.xlsx)"))
    dry_run = forms.BooleanField(label=_("Chạy thử (chỉ kiểm tra, chưa nhập)"), required=False, initial=True)
