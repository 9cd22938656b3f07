from django.urls import path

from chibo.tasks import views

app_name = "tasks"
urlpatterns = [
    path("", views.my_tasks, name="mine"),
    path("<int:pk>/", views.task_detail, name="detail"),
    path("<int:pk>/delete/", views.task_delete, name="delete"),
    path("<int:pk>/report/<int:member_pk>/", views.report, name="report"),
    path("meetings/<int:pk>/", views.meeting_tasks, name="meeting"),
    path("meetings/<int:pk>/add/", views.task_create, name="create"),
    path("meetings/<int:pk>/suggest/", views.suggest, name="suggest"),
    path("meetings/<int:pk>/review/", views.review, name="review"),
    path("meetings/<int:pk>/review/<int:assignment_pk>/", views.review_save, name="review_save"),
    path("members/<int:pk>/record/", views.member_record_page, name="record"),
]
