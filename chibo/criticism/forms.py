from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from chibo.core.forms import DateField, ServiceForm
from chibo.criticism.models import CriticismRecord, FollowUp
from chibo.meetings.models import Meeting, SpeakingTurn
from chibo.members.forms import MemberChoiceField
from chibo.members.models import Member


class RecordForm(ServiceForm):
    member = MemberChoiceField(label=_("Đảng viên"), queryset=Member.objects.none())
    kind = forms.ChoiceField(label=_("Hình thức"), choices=CriticismRecord.Kind.choices)
    turn = forms.ModelChoiceField(
        label=_("Lượt phát biểu"), queryset=SpeakingTurn.objects.none(), required=False,
        help_text=_("Lượt phê bình, tự phê bình đã ghi trong buổi họp (nếu có)."),
    )  # fmt: skip
    content = forms.CharField(label=_("Khuyết điểm, hạn chế được nêu"), widget=forms.Textarea(attrs={"rows": 3}))
    commitment = forms.CharField(label=_("Đảng viên hứa khắc phục"), widget=forms.Textarea(attrs={"rows": 3}))
    fix_by = DateField(label=_("Hạn khắc phục"), required=False)

    def __init__(self, *args: Any, members: QuerySet[Member], turns: QuerySet[SpeakingTurn], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members  # type: ignore[attr-defined]
        self.fields["turn"].queryset = turns  # type: ignore[attr-defined]
        self.fields["turn"].label_from_instance = lambda t: f"{t.position}. {t.member} ({t.get_kind_display()})"  # type: ignore[attr-defined]


class FollowUpForm(ServiceForm):
    meeting = forms.ModelChoiceField(label=_("Tại buổi sinh hoạt"), queryset=Meeting.objects.none())
    progress = forms.ChoiceField(label=_("Kết quả khắc phục"), choices=FollowUp.Progress.choices)
    note = forms.CharField(label=_("Nhận xét của chi bộ"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, meetings: QuerySet[Meeting], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings  # type: ignore[attr-defined]
