from django.urls import path

from chibo.directives import views

app_name = "directives"
urlpatterns = [
    path("", views.directive_list, name="list"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/file/", views.file, name="file"),
    path("meetings/<int:pk>/disseminate/", views.disseminate, name="disseminate"),
]
