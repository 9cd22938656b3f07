"""Forms validate only; the views hand the cleaned values to chibo.quality.services."""

from django import forms
from django.utils.translation import gettext_lazy as _


class AdjustForm(forms.Form):
    key = forms.CharField(max_length=40, widget=forms.HiddenInput)
    points = forms.IntegerField(label=_("Điểm"), min_value=0)
    reason = forms.CharField(label=_("Lý do"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ScoreVoteForm(forms.Form):
    votes_for = forms.IntegerField(label=_("Tán thành"), min_value=0)
    votes_against = forms.IntegerField(label=_("Không tán thành"), min_value=0, initial=0)
    votes_abstain = forms.IntegerField(label=_("Không biểu quyết"), min_value=0, initial=0)


class YearForm(forms.Form):
    year = forms.IntegerField(min_value=2000, max_value=2100, required=False)
