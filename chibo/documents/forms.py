"""Forms of the document pages. They only validate input; chibo.documents.services decides and writes."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from chibo.documents.models import RECIPIENTS, MeetingDocument, Signature
from chibo.documents.services import amendable_fields
from chibo.organizations.forms import DateField, ServiceForm

# The labels of the sections on the edit form (the headings the document prints are its own words).
SECTION_LABELS = {
    "opening": _("Thời gian, địa điểm, thành phần"),
    "attendance": _("Tình hình đảng viên dự họp"),
    "agenda": _("Nội dung cuộc họp"),
    "discussion": _("Ý kiến thảo luận"),
    "conclusion": _("Kết luận và biểu quyết"),
    "score": _("Kết quả chấm điểm"),
    "closing": _("Kết thúc cuộc họp"),
    "grounds": _("Căn cứ (mỗi căn cứ một dòng)"),
    "results": _("Kết quả tháng trước"),
    "implementation": _("Tổ chức thực hiện"),
    RECIPIENTS: _("Nơi nhận (mỗi nơi một dòng)"),
}


def _text(label: Any, rows: int = 6, required: bool = False) -> forms.CharField:
    return forms.CharField(label=label, required=required, strip=False, widget=forms.Textarea(attrs={"rows": rows}))


class DocumentForm(ServiceForm):
    """The draft: header fields, then one text box per section (one paragraph a line), then the clauses."""

    number = forms.IntegerField(label=_("Số"), min_value=1)
    place = forms.CharField(label=_("Địa danh"), max_length=100, help_text=_("Ví dụ: Bình Thạnh"))
    issued_on = DateField(label=_("Ngày ban hành"))
    subtitle = forms.CharField(label=_("Trích yếu"), max_length=255)

    def __init__(self, *args: Any, document: MeetingDocument, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.document = document
        for key, _title in document.section_spec:
            self.fields[f"section_{key}"] = _text(SECTION_LABELS[key], rows=3 if key == "closing" else 8)
        if not document.is_minutes:
            self.fields["clauses"] = _text(_("Quyết nghị (mỗi điều một dòng)"), rows=8)
        self.fields[f"section_{RECIPIENTS}"] = _text(SECTION_LABELS[RECIPIENTS], rows=3)

    @classmethod
    def initial_for(cls, document: MeetingDocument) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "number": document.number,
            "place": document.place,
            "issued_on": document.issued_on,
            "subtitle": document.subtitle,
            "clauses": "\n".join(c.text for c in document.clauses.all()),
        }
        initial |= {f"section_{key}": text for key, text in document.sections.items()}
        return initial

    def sections(self) -> dict[str, str]:
        return {
            name.removeprefix("section_"): value or ""
            for name, value in self.cleaned_data.items()
            if name.startswith("section_")
        }

    def clauses(self) -> list[str] | None:
        if "clauses" not in self.cleaned_data:
            return None
        return [line for line in (self.cleaned_data["clauses"] or "").splitlines() if line.strip()]


class SignForm(forms.Form):
    role = forms.ChoiceField(choices=Signature.Role.choices)


class AmendForm(ServiceForm):
    field = forms.ChoiceField(label=_("Mục cần đính chính"))
    new_value = forms.CharField(
        label=_("Nội dung sau khi đính chính"),
        strip=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Ngày theo dạng dd/mm/yyyy; số văn bản là một số."),
    )
    reason = forms.CharField(label=_("Lý do đính chính"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, document: MeetingDocument, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice = self.fields["field"]
        assert isinstance(choice, forms.ChoiceField)
        choice.choices = [("", "—"), *amendable_fields(document).items()]
