from django import template

from chibo.members.models import Member
from chibo.members.selectors import member_label

register = template.Library()


@register.simple_tag
def member_name(member: Member, namesakes: set[str] | None = None) -> str:
    """The member's name, with the year of birth when a namesake is in the same list."""
    return member_label(member, namesakes or set())
