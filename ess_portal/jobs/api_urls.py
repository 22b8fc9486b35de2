from django.urls import path

from ess_portal.jobs import api

urlpatterns = [
    path("taches/<int:pk>/", api.JobDetail.as_view(), name="job_detail"),
    path("taches/<int:pk>/fichier/", api.JobDownload.as_view(), name="job_download"),
]
