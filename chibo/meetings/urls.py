from django.urls import path

from chibo.meetings import views

app_name = "meetings"
urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("readiness/", views.readiness, name="readiness"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/documents/<int:attachment_pk>/", views.attachment_download, name="attachment"),
    # Preparation (C5)
    path("<int:pk>/prepare/", views.prepare, name="prepare"),
    path("<int:pk>/agenda/template/", views.agenda_template, name="agenda_template"),
    path("<int:pk>/agenda/add/", views.agenda_add, name="agenda_add"),
    path("<int:pk>/agenda/<int:item_pk>/", views.agenda_item, name="agenda_item"),
    path("<int:pk>/agenda/<int:item_pk>/move/", views.agenda_move, name="agenda_move"),
    path("<int:pk>/agenda/<int:item_pk>/delete/", views.agenda_delete, name="agenda_delete"),
    path("<int:pk>/draft/", views.draft_save, name="draft_save"),
    path("<int:pk>/documents/add/", views.attachment_add, name="attachment_add"),
    path("<int:pk>/documents/<int:attachment_pk>/delete/", views.attachment_delete, name="attachment_delete"),
    # The live meeting (C6)
    path("<int:pk>/live/", views.live, name="live"),
    path("<int:pk>/live/panel/", views.live_panel, name="live_panel"),
    path("<int:pk>/live/speakers/", views.live_speakers, name="live_speakers"),
    path("<int:pk>/open/", views.meeting_open, name="open"),
    path("<int:pk>/officers/", views.officers, name="officers"),
    path("<int:pk>/attendance/all-present/", views.attendance_all_present, name="attendance_all"),
    path("<int:pk>/attendance/<int:member_pk>/", views.attendance, name="attendance"),
    path("<int:pk>/guests/", views.guest_add, name="guest_add"),
    path("<int:pk>/guests/<int:guest_pk>/delete/", views.guest_remove, name="guest_remove"),
    path("<int:pk>/checkin/", views.checkin, name="checkin"),
    path("<int:pk>/agenda/advance/", views.agenda_advance, name="agenda_advance"),
    path("<int:pk>/speakers/", views.speaker_add, name="speaker_add"),
    path("<int:pk>/speakers/request/", views.speaker_request, name="speaker_request"),
    path("<int:pk>/turns/<int:turn_pk>/", views.turn_save, name="turn_save"),
    path("<int:pk>/turns/<int:turn_pk>/start/", views.turn_start, name="turn_start"),
    path("<int:pk>/turns/<int:turn_pk>/finish/", views.turn_finish, name="turn_finish"),
    path("<int:pk>/turns/<int:turn_pk>/withdraw/", views.turn_withdraw, name="turn_withdraw"),
    path("<int:pk>/vote/", views.vote, name="vote"),
    path("<int:pk>/remark/", views.remark_save, name="remark"),
    path("<int:pk>/close/", views.meeting_close, name="close"),
]
