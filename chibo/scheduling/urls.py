from django.urls import path

from chibo.scheduling import views

app_name = "scheduling"
urlpatterns = [
    path("", views.month, name="month"),
    path("plan/", views.plan, name="plan"),
    path("generate/", views.generate, name="generate"),
    path("meetings/<int:pk>/reschedule/", views.reschedule, name="reschedule"),
    path("meetings/<int:pk>/cancel/", views.cancel, name="cancel"),
    path("meetings/<int:pk>/guests/", views.guests, name="guests"),
    path("meetings/<int:pk>/guests/<int:guest_pk>/remove/", views.guest_remove, name="guest_remove"),
    path("feed/", views.feed_settings, name="feed_settings"),
    path("feed/<str:token>.ics", views.feed, name="feed"),
]
