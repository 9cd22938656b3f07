from django import forms
from django.utils.translation import gettext_lazy as _

from chibo.rules.models import RULE_FIELDS, RuleSetVersion


class RuleSetVersionForm(forms.ModelForm):
    """Validates a new version's settings; `ruleset_create_version` checks the rules between them."""

    class Meta:
        model = RuleSetVersion
        fields = ("effective_from", "note", *RULE_FIELDS)
        widgets = {
            "effective_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "default_start_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "scoring": forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
            "classification": forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
            "households": forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
        }
        help_texts = {
            "meeting_day": _("Chi bộ có ngày sinh hoạt cố định riêng thì theo ngày của chi bộ."),
            "scoring": _("Trọng số (tổng 100) và mức điểm Tốt/Khá/Trung bình, dạng JSON."),
            "classification": _(
                "Xếp loại đảng viên cuối năm: mức điểm HTXSNV/HTTNV/HTNV, điều kiện, trọng số chứng cứ, dạng JSON."
            ),
            "households": _(
                "Đảng viên được miễn: exclude (không phân) hoặc lighter (nhẹ hơn); old_age: tuổi được phân nhẹ; "
                "lighter_pct: % mức tối đa; apart_pct: % cộng thêm khi phân hộ khác khu vực. Dạng JSON."
            ),
        }

    def _post_clean(self) -> None:
        # The service validates the whole version (with what it inherits); no model.full_clean() here.
        pass
