from django.urls import path

from chibo.quality import views

app_name = "quality"
urlpatterns = [
    path("meetings/<int:pk>/", views.score_page, name="score"),
    path("meetings/<int:pk>/propose/", views.propose, name="propose"),
    path("meetings/<int:pk>/adjust/", views.adjust, name="adjust"),
    path("meetings/<int:pk>/vote/", views.vote, name="vote"),
    path("meetings/<int:pk>/confirm/", views.confirm, name="confirm"),
    path("cells/<int:org_pk>/", views.cell_levels, name="cell"),
]
