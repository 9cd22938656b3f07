from django.urls import path

from chibo.notices import views

app_name = "notices"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:pk>/read/", views.mark_read, name="read"),
    path("read-all/", views.mark_all_read, name="read_all"),
    path("badge/", views.badge, name="badge"),
]
