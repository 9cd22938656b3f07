from django.urls import path

from chibo.supervision import views

app_name = "supervision"
urlpatterns = [
    path("", views.coverage, name="coverage"),
    path("assignments/", views.assignments, name="assignments"),
    path("assignments/<int:pk>/end/", views.assignment_end, name="assignment_end"),
    path("rota/", views.rota_list, name="rota_list"),
    path("rota/<int:pk>/", views.rota, name="rota"),
    path("rota/<int:pk>/accept/", views.rota_accept, name="rota_accept"),
    path("rota/visits/<int:pk>/remove/", views.rota_visit_remove, name="rota_visit_remove"),
    path("meetings/<int:pk>/remark-flag/", views.remark_flag, name="remark_flag"),
    path("remarks/<int:pk>/answer/", views.remark_answer, name="remark_answer"),
]
