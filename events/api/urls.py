from django.urls import path

from events.api import views

urlpatterns = [
    path("evenements/", views.EventList.as_view(), name="ess_event_list"),
    path("evenements/<int:pk>/", views.EventDetail.as_view(), name="ess_event_detail"),
]
