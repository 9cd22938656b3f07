"""Forms of the review pages. They only validate input; chibo.reviews.services decides and writes."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from chibo.core.forms import DateField, ServiceForm
from chibo.reviews.criteria import GRADES, criteria_for
from chibo.reviews.models import Level

LEVEL_CHOICES = [("", _("— Chọn —")), *Level.choices]


class SelfAssessmentForm(ServiceForm):
    """One grade (radio buttons, easy on a phone) and one note per criterion of the member's form."""

    strengths = forms.CharField(label=_("Ưu điểm"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    weaknesses = forms.CharField(
        label=_("Hạn chế, khuyết điểm và nguyên nhân"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    self_level = forms.ChoiceField(label=_("Tự nhận mức xếp loại"), choices=LEVEL_CHOICES, required=False)

    def __init__(self, *args: Any, form_code: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria_for(form_code)
        fields: dict[str, forms.Field] = {}
        for c in self.criteria:
            fields[c.key] = forms.ChoiceField(
                label=c.label, choices=GRADES, widget=forms.RadioSelect(attrs={"class": "grade"}), required=False
            )
            fields[f"{c.key}_note"] = forms.CharField(
                label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2})
            )
        self.fields = fields | dict(self.fields)

    def grades(self) -> dict[str, dict[str, str]]:
        data = self.cleaned_data
        return {c.key: {"grade": data.get(c.key) or "", "note": data.get(f"{c.key}_note") or ""} for c in self.criteria}

    @staticmethod
    def initial_for(grades: dict, **extra: Any) -> dict[str, Any]:
        initial: dict[str, Any] = dict(extra)
        for key, value in grades.items():
            initial[key], initial[f"{key}_note"] = value.get("grade", ""), value.get("note", "")
        return initial


class MeetingForm(ServiceForm):
    meeting_date = DateField(label=_("Ngày họp kiểm điểm"))
    present = forms.IntegerField(label=_("Số đảng viên có mặt"), min_value=0)
    place = forms.CharField(label=_("Địa điểm"), max_length=255, required=False)


class AppraiseForm(ServiceForm):
    committee_level = forms.ChoiceField(label=_("Chi ủy đề xuất"), choices=LEVEL_CHOICES)
    opinions = forms.CharField(
        label=_("Ý kiến của đảng viên"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    votes_for = forms.IntegerField(label=_("Tán thành"), min_value=0)
    votes_against = forms.IntegerField(label=_("Không tán thành"), min_value=0, initial=0)
    discipline_exception = forms.CharField(
        label=_("Ngoại lệ khi bị kỷ luật (nếu có)"),
        required=False,
        help_text=_("Tự phát hiện và khắc phục vi phạm (QĐ 124, QĐ 366); để trống nếu không có."),
    )


class SendForm(ServiceForm):
    quota_exception = forms.CharField(
        label=_("Lý do vượt tỷ lệ HTXSNV (nếu có)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class DecideForm(ServiceForm):
    level = forms.ChoiceField(label=_("Mức xếp loại"), choices=LEVEL_CHOICES)
    reason = forms.CharField(label=_("Lý do"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ImportForm(ServiceForm):
    file = forms.FileField(label=_("Tệp Excel (.xlsx)"))
    dry_run = forms.BooleanField(label=_("Chạy thử (chỉ kiểm tra, không nhập)"), required=False, initial=True)
