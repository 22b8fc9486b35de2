from django.urls import path

from ess_portal.jobs import views

app_name = "jobs"

urlpatterns = [
    path("", views.job_list, name="job_list"),
]
