"""`{% top_years org %}`: an organization's consecutive years at the top level (C15), for pages of other
apps (the organization's page) that include reviews/_org_years.html."""

from django import template

from chibo.organizations.models import Organization
from chibo.reviews.models import OrgRating
from chibo.reviews.selectors import consecutive_top_years

register = template.Library()


@register.simple_tag
def top_years(org: Organization) -> int:
    return consecutive_top_years(list(OrgRating.objects.filter(org=org).only("year", "level")))
