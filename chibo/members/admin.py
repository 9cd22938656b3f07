from django.contrib import admin

from chibo.members.models import Exemption, LifeEvent, Member, Membership, Position


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    list_display = ["full_name", "status", "org", "card_number"]
    search_fields = ["search_text"]
    raw_id_fields = ["org"]


admin.site.register(Membership, raw_id_fields=["member", "org"])
admin.site.register(Position, raw_id_fields=["member", "org"])
admin.site.register(Exemption, raw_id_fields=["member"])
admin.site.register(LifeEvent, raw_id_fields=["member", "recorded_by"])
