from django.urls import path

from chibo.households import views

app_name = "households"

urlpatterns = [
    path("", views.household_list, name="list"),
    path("new/", views.household_create, name="create"),
    path("<int:pk>/", views.household_detail, name="detail"),
    path("<int:pk>/edit/", views.household_edit, name="edit"),
    path("<int:pk>/assign/", views.household_assign, name="assign"),
    path("<int:pk>/log/", views.event_add, name="event_add"),
    path("events/<int:pk>/notified/", views.event_notified, name="event_notified"),
    path("events/<int:pk>/done/", views.event_done, name="event_done"),
    path("area/", views.area_edit, name="area"),
    path("homes/", views.homes, name="homes"),
    path("plans/new/", views.plan_new, name="plan_new"),
    path("plans/<int:pk>/", views.plan_detail, name="plan"),
    path("plans/<int:pk>/apply/", views.plan_apply, name="plan_apply"),
    path("map/", views.household_map, name="map"),
    path("import/", views.import_page, name="import"),
    path("template/", views.template_download, name="template"),
    path("export/", views.export, name="export"),
    path("health/", views.health_page, name="health"),
    path("health/export/", views.health_export, name="health_export"),
]
