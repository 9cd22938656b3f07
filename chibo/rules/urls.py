from django.urls import path

from chibo.rules import views

app_name = "rules"
urlpatterns = [
    path("<int:org_pk>/", views.rules_of_org, name="org"),
    path("<int:org_pk>/new/", views.version_create, name="create"),
]
