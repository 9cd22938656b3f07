from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from chibo.accounts.models import ApiToken, RoleGrant, User


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    fk_name = "user"
    raw_id_fields = ["org"]
    extra = 0


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [RoleGrantInline]
    raw_id_fields = ["member"]
    fieldsets = (*BaseUserAdmin.fieldsets, ("Chi bộ số", {"fields": ("member",)}))  # type: ignore[misc]


admin.site.register(ApiToken, list_display=["user", "label", "created_at", "revoked_at"], exclude=["key_hash"])
