from django.urls import path

from chibo.members import import_views, views

app_name = "members"
urlpatterns = [
    path("", views.member_list, name="list"),
    path("<int:pk>/", views.member_detail, name="detail"),
    path("export.xlsx", import_views.member_export, name="export"),
    path("import/", import_views.member_import, name="import"),
    path("import/template.xlsx", import_views.import_template, name="import_template"),
    path("import/<int:pk>/", import_views.import_job_detail, name="import_job"),
    path("import/<int:pk>/commit/", import_views.import_job_commit_view, name="import_commit"),
]
