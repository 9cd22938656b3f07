from django import template

register = template.Library()


@register.filter
def pct(value: float | None) -> str:
    """85.3 → "85,3%"; no figure → "—"."""
    return "—" if value is None else f"{value:.1f}%".replace(".", ",")
