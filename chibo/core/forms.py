"""Form pieces every page shares: dd/mm/yyyy dates and service refusals shown beside their field."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from chibo.core.errors import ChiboError

# dd/mm/yyyy first (the house format); the others forgive what people type on a phone keyboard.
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"]


class DateInput(forms.DateInput):
    """A plain text box showing dd/mm/yyyy: the browser's own date picker would show the OS locale's order."""

    input_type = "text"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        base = {"placeholder": "dd/mm/yyyy", "autocomplete": "off", "class": "date", "maxlength": "10"}
        super().__init__(attrs=base | (attrs or {}), format="%d/%m/%Y")


class DateField(forms.DateField):
    widget = DateInput
    default_error_messages = {"invalid": _("Nhập ngày theo dạng dd/mm/yyyy, ví dụ 05/04/2021.")}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("input_formats", DATE_INPUT_FORMATS)
        super().__init__(**kwargs)


class ServiceForm(forms.Form):
    """A form whose data a service checks again: a refusal is shown beside the field it names."""

    def add_service_error(self, err: ChiboError) -> None:
        self.add_error(err.field if err.field in self.fields else None, err.message)
