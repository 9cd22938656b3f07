from django.urls import path

from chibo.dashboards import views

app_name = "dashboards"
urlpatterns = [
    path("<int:pk>/", views.org_dashboard, name="org"),
    path("<int:pk>/export.xlsx", views.org_export, name="export"),
    path("<int:pk>/warnings/", views.org_warnings, name="warnings"),
    path("<int:pk>/warnings/acknowledge/", views.acknowledge, name="acknowledge"),
]
