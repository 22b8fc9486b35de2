"""The quadripartite space, mounted at /quadripartite/."""

from django.urls import path

from quadripartite import views

app_name = "quadripartite"

urlpatterns = [
    path("", views.space, name="space"),
    path("reunions/", views.meeting_list, name="meeting_list"),
    path("reunions/nouvelle/", views.meeting_create, name="meeting_create"),
    path("reunions/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("reunions/<int:pk>/modifier/", views.meeting_update, name="meeting_update"),
    path("reunions/<int:pk>/compte-rendu/", views.meeting_minutes_download, name="meeting_minutes_download"),
    path("reunions/<int:pk>/decisions/", views.decision_create, name="decision_create"),
    path("decisions/", views.decision_list, name="decision_list"),
    path("decisions/<int:pk>/realisee/", views.decision_done, name="decision_done"),
    path("organisation/", views.organiser_override, name="organiser_override"),
    path("organisation/<int:year>/annuler/", views.organiser_override_cancel, name="organiser_override_cancel"),
    path("convention/", views.convention_document_create, name="convention_document_create"),
    path("convention/<int:pk>/fichier/", views.convention_document_download, name="convention_document_download"),
]
