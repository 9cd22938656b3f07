"""Form pieces every page shares: the one date field, "— Chọn … —" for empty choices, and service refusals
shown beside their field."""

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from chibo.core.dates import DATE_INPUT_FORMATS, BadDate, parse_day
from chibo.core.errors import ChiboError

__all__ = ["DATE_INPUT_FORMATS", "DateField", "DateInput", "ServiceForm", "day_filter", "label_empty_choices"]


class DateInput(forms.DateInput):
    """The one date field: a text box showing dd/mm/yyyy (typed as the house writes dates, whatever the phone's
    language) beside the phone's own date picker (static/core/dates.js keeps the two in step; without script
    the text box alone works)."""

    input_type = "text"
    template_name = "core/widgets/date.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        base = {
            "placeholder": "dd/mm/yyyy",
            "autocomplete": "off",
            "class": "date",
            "maxlength": "10",
            "inputmode": "numeric",
        }
        super().__init__(attrs=base | (attrs or {}), format="%d/%m/%Y")

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        day = value if isinstance(value, datetime.date) else None
        if day is None and isinstance(value, str):
            try:
                day = parse_day(value)
            except BadDate:
                day = None
        context["widget"]["iso"] = day.isoformat() if day else ""
        return context


class DateField(forms.DateField):
    """dd/mm/yyyy (and the picker's yyyy-mm-dd); an impossible day says that it does not exist."""

    widget = DateInput
    default_error_messages = {"invalid": _("Nhập ngày theo dạng dd/mm/yyyy, ví dụ 05/04/2021.")}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("input_formats", DATE_INPUT_FORMATS)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> datetime.date | None:  # type: ignore[override]
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        try:
            return parse_day(str(value))
        except BadDate as err:
            raise ValidationError(str(err), code="invalid") from err


def day_filter(
    request: HttpRequest, name: str, label: str, default: datetime.date
) -> tuple[forms.Form, datetime.date, bool]:
    """A date in a page's query string (a filter such as the tree's "as of"): the form to show it in, the day
    to use (`default` when absent or bad) and whether it was bad; a bad date is reported beside the field
    (render the form's field and its errors), never silently replaced."""
    field = DateField(label=label, required=False, initial=default)
    if not (request.GET.get(name) or "").strip():
        form = forms.Form()
        form.fields[name] = field
        return form, default, False
    form = forms.Form(request.GET)
    form.fields[name] = field
    if form.is_valid():
        return form, form.cleaned_data[name], False
    return form, default, True


def label_empty_choices(form: forms.BaseForm) -> forms.BaseForm:
    """Empty choices read "— Chọn <field> —" instead of Django's "---------"."""
    for name, field in form.fields.items():
        label = gettext("— Chọn %(what)s —") % {"what": str(field.label or name).lower()}
        if isinstance(field, forms.ModelChoiceField):
            if field.empty_label is not None:
                field.empty_label = label
        elif isinstance(field, forms.ChoiceField):
            # A ChoiceField's choices are normalised to a list of pairs by the time a form is built.
            choices = list(field.choices)  # type: ignore[arg-type]
            if any(value == "" and text == "---------" for value, text in choices):
                field.choices = [(v, label if (v == "" and t == "---------") else t) for v, t in choices]
    return form


class ServiceForm(forms.Form):
    """A form whose data a service checks again: a refusal is shown beside the field it names."""

    def add_service_error(self, err: ChiboError) -> None:
        self.add_error(err.field if err.field in self.fields else None, err.message)
