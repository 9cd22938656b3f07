"""Forms validate only; the views hand the cleaned values to chibo.meetings.services."""

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from chibo.core.forms import DateField
from chibo.meetings.models import Attachment, Attendance, SpeakingTurn
from chibo.members.forms import MemberChoiceField, MembersChoiceField
from chibo.members.models import Member


class PreparationForm(forms.Form):
    held_on = DateField(label=_("Ngày họp chi ủy"))
    attendees = MembersChoiceField(
        label=_("Thành phần dự"), queryset=Member.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    preparer = MemberChoiceField(
        label=_("Phân công chuẩn bị nội dung, dự thảo nghị quyết"), queryset=Member.objects.none(), required=False
    )
    decisions = forms.CharField(
        label=_("Nội dung thống nhất"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Kết quả tháng trước, nhiệm vụ tháng tới, những vấn đề cần thảo luận và biểu quyết."),
    )

    def __init__(self, *args: object, members: QuerySet[Member], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["attendees"].queryset = members  # type: ignore[attr-defined]
        self.fields["preparer"].queryset = members  # type: ignore[attr-defined]


class AgendaAddForm(forms.Form):
    title = forms.CharField(label=_("Thêm nội dung"), max_length=255)


class AgendaItemForm(forms.Form):
    title = forms.CharField(label=_("Nội dung"), max_length=255)
    notes = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    presenter = MemberChoiceField(label=_("Người trình bày"), queryset=Member.objects.none(), required=False)
    approved_on = DateField(label=_("Chi ủy duyệt ngày"), required=False)

    def __init__(self, *args: object, members: QuerySet[Member], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["presenter"].queryset = members  # type: ignore[attr-defined]


class DraftForm(forms.Form):
    text = forms.CharField(label=_("Dự thảo nghị quyết"), required=False, widget=forms.Textarea(attrs={"rows": 10}))


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("Tệp (PDF, DOCX, XLSX, JPG, PNG; tối đa 10 MB)"))
    title = forms.CharField(label=_("Tên tài liệu"), max_length=255, required=False)
    kind = forms.ChoiceField(label=_("Loại"), choices=Attachment.Kind.choices, initial=Attachment.Kind.DRAFT_REPORT)


class OpenForm(forms.Form):
    """Chair and recorder, both required (the service checks they are two different members)."""

    chair = MemberChoiceField(
        label=_("Chủ trì"), queryset=Member.objects.none(), error_messages={"required": _("Chọn đồng chí chủ trì.")}
    )
    recorder = MemberChoiceField(
        label=_("Thư ký"), queryset=Member.objects.none(), error_messages={"required": _("Chọn đồng chí thư ký.")}
    )

    def __init__(self, *args: object, members: QuerySet[Member], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["chair"].queryset = members  # type: ignore[attr-defined]
        self.fields["recorder"].queryset = members  # type: ignore[attr-defined]


class AttendanceForm(forms.Form):
    status = forms.ChoiceField(choices=Attendance.Status.choices)
    reason = forms.CharField(max_length=255, required=False)
    arrived_at = forms.TimeField(required=False)


class GuestForm(forms.Form):
    name = forms.CharField(label=_("Họ và tên"), max_length=120)
    role = forms.CharField(label=_("Chức vụ, đơn vị"), max_length=255, required=False)
    is_supervisor = forms.BooleanField(label=_("Cán bộ cấp trên dự sinh hoạt"), required=False)


class SpeakerForm(forms.Form):
    member = MemberChoiceField(label=_("Đảng viên"), queryset=Member.objects.none())
    kind = forms.ChoiceField(
        label=_("Loại ý kiến"), choices=SpeakingTurn.Kind.choices, initial=SpeakingTurn.Kind.OPINION
    )

    def __init__(self, *args: object, members: QuerySet[Member], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["member"].queryset = members  # type: ignore[attr-defined]


class TurnForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại ý kiến"), choices=SpeakingTurn.Kind.choices, required=False)
    summary = forms.CharField(label=_("Tóm tắt"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class VoteForm(forms.Form):
    votes_for = forms.IntegerField(label=_("Tán thành"), min_value=0)
    votes_against = forms.IntegerField(label=_("Không tán thành"), min_value=0, initial=0)
    votes_abstain = forms.IntegerField(label=_("Không biểu quyết"), min_value=0, initial=0)


class RemarkForm(forms.Form):
    text = forms.CharField(label=_("Ý kiến chỉ đạo"), widget=forms.Textarea(attrs={"rows": 4}))


class ReadinessForm(forms.Form):
    days = forms.IntegerField(label=_("Trong số ngày tới"), min_value=1, max_value=90, initial=7, required=False)
