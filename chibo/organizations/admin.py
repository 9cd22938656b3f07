from django.contrib import admin
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from chibo.organizations.models import AdministrativeUnit, Organization, OrgVersion, RestructuringEvent


@admin.register(Organization)
class OrganizationAdmin(TreeAdmin):
    form = movenodeform_factory(Organization)
    list_display = ["name", "kind", "code", "dissolved_on"]
    search_fields = ["name", "code"]


admin.site.register(AdministrativeUnit, search_fields=["name", "code"], list_display=["code", "name", "level"])
admin.site.register(OrgVersion, list_display=["org", "name", "valid_from", "valid_to", "parent"])
admin.site.register(RestructuringEvent, list_display=["effective_on", "kind", "org", "related_org"])
