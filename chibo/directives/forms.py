"""Forms of the directives pages: they only validate input; chibo.directives.services decides and writes."""

from django import forms
from django.utils.translation import gettext_lazy as _

from chibo.core.forms import DateField, ServiceForm
from chibo.directives.models import Directive


class DirectiveForm(ServiceForm):
    kind = forms.ChoiceField(label=_("Loại văn bản"), choices=Directive.Kind.choices)
    number = forms.CharField(label=_("Số và ký hiệu"), max_length=40, help_text=_("Ví dụ: 45-CT/TW"))
    issued_on = DateField(label=_("Ngày ban hành"))
    issuer = forms.CharField(label=_("Cơ quan ban hành"), max_length=255)
    summary = forms.CharField(label=_("Trích yếu"), widget=forms.Textarea(attrs={"rows": 3}))
    deadline = DateField(label=_("Hạn quán triệt"))
    upload = forms.FileField(label=_("Tệp văn bản"), required=False)


class DisseminationForm(ServiceForm):
    directive = forms.IntegerField()
    presenter = forms.IntegerField(required=False)
