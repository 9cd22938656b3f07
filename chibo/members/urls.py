from django.urls import path

from chibo.members import import_views, views

app_name = "members"
urlpatterns = [
    path("", views.member_list, name="list"),
    path("new/", views.member_create, name="create"),
    path("<int:pk>/", views.member_detail, name="detail"),
    path("<int:pk>/edit/", views.member_edit, name="edit"),
    path("<int:pk>/transfer/", views.member_transfer, name="transfer"),
    path("<int:pk>/exempt/", views.member_exempt, name="exempt"),
    path("<int:pk>/exemptions/<int:exemption_pk>/end/", views.member_end_exemption, name="end_exemption"),
    path("<int:pk>/position/", views.member_assign_position, name="assign_position"),
    path("<int:pk>/leave/", views.member_leave, name="leave"),
    path("<int:pk>/decisions/<slug:kind>/", views.member_decision, name="decision"),
    path("export.xlsx", import_views.member_export, name="export"),
    path("import/", import_views.member_import, name="import"),
    path("import/template.xlsx", import_views.import_template, name="import_template"),
    path("import/<int:pk>/", import_views.import_job_detail, name="import_job"),
    path("import/<int:pk>/commit/", import_views.import_job_commit_view, name="import_commit"),
]
