from django.contrib import admin

from chibo.tasks.models import Task, TaskAssignment, TaskReview


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ["description", "org", "due_on"]
    raw_id_fields = ["org", "meeting", "carried_from"]


admin.site.register(TaskAssignment, raw_id_fields=["task", "member"])
admin.site.register(TaskReview, raw_id_fields=["assignment", "meeting", "carried_to"])
