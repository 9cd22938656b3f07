from django import forms, template

from chibo.core.forms import label_empty_choices

register = template.Library()


@register.simple_tag
def empty_choices(form: forms.BaseForm) -> str:
    """In _form.html, before the fields render: empty choices read "— Chọn <field> —"."""
    if isinstance(form, forms.BaseForm):
        label_empty_choices(form)
    return ""
