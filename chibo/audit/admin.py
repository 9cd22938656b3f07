from django.contrib import admin

from chibo.audit.models import AccessLog


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    """Read only: the access log is evidence, written by the application alone."""

    list_display = ["at", "user", "action", "member", "org", "row_count"]
    list_filter = ["action"]
    raw_id_fields = ["user", "member", "org"]
    date_hierarchy = "at"

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
