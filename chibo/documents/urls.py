from django.urls import path

from chibo.documents import views

app_name = "documents"
urlpatterns = [
    path("meeting/<int:meeting_pk>/", views.meeting_documents, name="meeting"),
    path("meeting/<int:meeting_pk>/<str:kind>/compose/", views.document_compose, name="compose"),
    path("<int:pk>/", views.document_detail, name="detail"),
    path("<int:pk>/edit/", views.document_edit, name="edit"),
    path("<int:pk>/sign/", views.document_sign, name="sign"),
    path("<int:pk>/unsign/", views.document_unsign, name="unsign"),
    path("<int:pk>/amend/", views.document_amend, name="amend"),
    path("<int:pk>/docx/", views.document_docx, name="docx"),
    path("<int:pk>/print/", views.document_print, name="print"),
    path("book/<int:org_pk>/<int:year>/", views.minutes_book, name="book"),
    path("book/<int:org_pk>/<int:year>/docx/", views.minutes_book_docx, name="book_docx"),
    path("book/<int:org_pk>/<int:year>/print/", views.minutes_book_print, name="book_print"),
]
