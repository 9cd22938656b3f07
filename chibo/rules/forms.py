from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from chibo.core.forms import DateField
from chibo.rules.models import RULE_FIELDS, RuleSetVersion
from chibo.rules.scoring import scheme_named

SCHEME_CHOICES = (
    ("", _("Giữ cách chấm điểm như trong ô dưới")),
    ("phu_tho", _("Theo mẫu Phú Thọ (mặc định)")),
    ("binh_thuan", _("Theo mẫu Bình Thuận")),
)


def _with_scheme_picker(names: tuple[str, ...]) -> tuple[str, ...]:
    """The rule fields with the scheme picker just before the scoring JSON it replaces."""
    at = names.index("scoring")
    return (*names[:at], "scoring_scheme", *names[at:])


class RuleSetVersionForm(forms.ModelForm):
    """Validates a new version's settings; `ruleset_create_version` checks the rules between them."""

    scoring_scheme = forms.ChoiceField(label=_("Mẫu chấm điểm buổi sinh hoạt"), choices=SCHEME_CHOICES, required=False)

    class Meta:
        model = RuleSetVersion
        fields = ("effective_from", "note", *_with_scheme_picker(RULE_FIELDS))
        field_classes = {"effective_from": DateField}
        widgets = {
            "default_start_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "note": forms.Textarea(attrs={"rows": 3}),
            "scoring": forms.Textarea(attrs={"rows": 12, "spellcheck": "false"}),
            "classification": forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
            "households": forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
        }
        help_texts = {
            "meeting_day": _("Chi bộ có ngày sinh hoạt cố định riêng thì theo ngày của chi bộ."),
            "scoring": _(
                "Các nhóm tiêu chí (groups) với điểm từng tiêu chí, cộng lại bằng tổng điểm (total); các mức "
                "Tốt/Khá/Trung bình (levels), dạng JSON. Chọn một mẫu ở trên để thay cả cách chấm."
            ),
            "classification": _(
                "Xếp loại đảng viên cuối năm: mức điểm HTXSNV/HTTNV/HTNV, điều kiện, trọng số chứng cứ, dạng JSON."
            ),
            "households": _(
                "Đảng viên được miễn: exclude (không phân) hoặc lighter (nhẹ hơn); old_age: tuổi được phân nhẹ; "
                "lighter_pct: % mức tối đa; apart_pct: % cộng thêm khi phân hộ khác khu vực. Dạng JSON."
            ),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen = data.pop("scoring_scheme", "")
        if chosen:
            data["scoring"] = scheme_named(chosen)
            self.errors.pop("scoring", None)
        return data

    def _post_clean(self) -> None:
        # The service validates the whole version (with what it inherits); no model.full_clean() here.
        pass
