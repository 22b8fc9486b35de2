from django.urls import path

from quadripartite.api import views

urlpatterns = [
    path("partenaires/", views.PartnerList.as_view(), name="partner_list"),
    path("quadripartite/reunions/", views.MeetingList.as_view(), name="quadripartite_meeting_list"),
    path("quadripartite/decisions/", views.DecisionList.as_view(), name="quadripartite_decision_list"),
]
