from django.urls import path

from chibo.criticism import views

app_name = "criticism"
urlpatterns = [
    path("", views.record_list, name="list"),
    path("meetings/<int:pk>/new/", views.record_create, name="create"),
    path("<int:pk>/", views.record_detail, name="detail"),
    path("<int:pk>/follow-up/", views.follow_up, name="follow_up"),
]
