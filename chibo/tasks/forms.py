"""Forms of the task pages: they validate what was typed; the services decide."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from chibo.core.forms import DateField, ServiceForm
from chibo.members.forms import MembersChoiceField
from chibo.members.models import Member
from chibo.tasks.models import TaskAssignment, TaskReview


class TaskForm(ServiceForm):
    description = forms.CharField(
        label=_("Nội dung nhiệm vụ"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Việc cụ thể, đo được; hệ thống gợi ý người có sở trường phù hợp."),
    )
    assignees = MembersChoiceField(
        label=_("Đảng viên thực hiện"), queryset=Member.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    due_on = DateField(label=_("Hạn hoàn thành"))

    def __init__(self, *args: Any, members: QuerySet[Member], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignees"].queryset = members  # type: ignore[attr-defined]


class ProgressForm(ServiceForm):
    status = forms.ChoiceField(
        label=_("Tiến độ"),
        choices=[
            (TaskAssignment.Status.IN_PROGRESS.value, TaskAssignment.Status.IN_PROGRESS.label),
            (TaskAssignment.Status.DONE.value, TaskAssignment.Status.DONE.label),
        ],  # fmt: skip
        widget=forms.RadioSelect,
    )
    done_on = DateField(label=_("Ngày hoàn thành"), required=False, help_text=_("Để trống: hôm nay."))
    note = forms.CharField(label=_("Kết quả, khó khăn"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ReviewForm(ServiceForm):
    outcome = forms.ChoiceField(label=_("Kết quả"), choices=TaskReview.Outcome.choices)
    evaluation = forms.ChoiceField(label=_("Đánh giá của chi bộ"), choices=TaskReview.Evaluation.choices)
    comment = forms.CharField(label=_("Nhận xét"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    cause = forms.CharField(
        label=_("Nguyên nhân (nếu chưa hoàn thành)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    support_measure = forms.CharField(
        label=_("Biện pháp giúp đỡ"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    reminder = forms.CharField(label=_("Nội dung nhắc nhở"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    carry_over_due_on = DateField(
        label=_("Hạn mới nếu chuyển tiếp"), required=False, help_text=_("Để trống: hệ thống tự tính.")
    )
    amendment_reason = forms.CharField(
        label=_("Lý do đính chính (biên bản đã khóa)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, locked: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not locked:
            del self.fields["amendment_reason"]

    @classmethod
    def initial_for(cls, review: TaskReview | None) -> dict[str, Any]:
        if review is None:
            return {}
        fields = ("outcome", "evaluation", "comment", "cause", "support_measure", "reminder")
        return {f: getattr(review, f) for f in fields}
