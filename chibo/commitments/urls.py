from django.urls import path

from chibo.commitments import views

app_name = "commitments"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/note/", views.note, name="note"),
    path("<int:pk>/review/", views.review, name="review"),
    path("members/<int:pk>/register/", views.register, name="register"),
    path("cells/<int:org_pk>/", views.summary, name="summary"),
]
