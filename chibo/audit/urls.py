from django.urls import path

from chibo.audit import views

app_name = "audit"
urlpatterns = [
    path("audit/members/<int:pk>/history/", views.member_history, name="member_history"),
    path("audit/members/<int:pk>/views/", views.member_views, name="member_views"),
    path("audit/access/", views.access_log, name="access_log"),
    path("privacy/", views.privacy, name="privacy"),
    path("privacy/my-data", views.my_data, name="my_data"),
    path("privacy/my-data.xlsx", views.my_data_xlsx, name="my_data_xlsx"),
]
