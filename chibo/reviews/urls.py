from django.urls import path

from chibo.reviews import views

app_name = "reviews"
urlpatterns = [
    path("", views.review_index, name="index"),
    path("start/", views.review_start, name="start"),
    path("summary/", views.summary_page, name="summary"),
    path("summary.xlsx", views.summary_xlsx, name="summary_xlsx"),
    path("import/", views.import_levels, name="import"),
    path("import/template.xlsx", views.import_template, name="import_template"),
    path("cells/<int:pk>/", views.cell_review_page, name="cell"),
    path("cells/<int:pk>/meeting/", views.cell_meeting, name="meeting"),
    path("cells/<int:pk>/refresh/", views.cell_refresh, name="refresh"),
    path("cells/<int:pk>/send/", views.cell_send, name="send"),
    path("cells/<int:pk>/lock/", views.cell_lock, name="lock"),
    path("cells/<int:pk>/minutes.docx", views.minutes_docx, name="minutes_docx"),
    path("members/<int:pk>/", views.member_review_page, name="member"),
    path("members/<int:pk>/self/", views.self_assessment, name="self"),
    path("members/<int:pk>/appraise/", views.member_appraise, name="appraise"),
    path("members/<int:pk>/decide/", views.member_decide, name="decide"),
    path("members/<int:pk>/self.docx", views.self_docx, name="self_docx"),
    path("orgs/<int:pk>/", views.org_page, name="org"),
    path("orgs/<int:pk>/decide/", views.org_decide, name="org_decide"),
    path("orgs/<int:pk>/run/", views.run_start, name="run_start"),
    path("runs/<int:pk>/", views.run_page, name="run"),
]
