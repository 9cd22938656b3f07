from django import forms
from django.utils.translation import gettext_lazy as _

from chibo.commitments.models import Commitment
from chibo.core.forms import ServiceForm


class RegisterForm(ServiceForm):
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100)
    content = forms.CharField(
        label=_("Nội dung đăng ký"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Mỗi dòng một việc cụ thể, đo được."),
    )


class NoteForm(ServiceForm):
    text = forms.CharField(label=_("Kết quả đã thực hiện"), widget=forms.Textarea(attrs={"rows": 3}))


class ReviewForm(ServiceForm):
    level = forms.ChoiceField(label=_("Mức đánh giá"), choices=Commitment.Level.choices)
    comment = forms.CharField(label=_("Nhận xét của chi ủy"), widget=forms.Textarea(attrs={"rows": 3}))
