from django.urls import path

from ess_portal.jobs import views

app_name = "jobs"

urlpatterns = [
    path("", views.job_list, name="job_list"),
    path("statut/", views.job_status, name="job_status"),
    path("export-donnees-de-reference/", views.request_reference_export, name="request_reference_export"),
    path("<int:pk>/", views.job_detail, name="job_detail"),
    path("<int:pk>/telecharger/", views.job_download, name="job_download"),
    path("<int:pk>/relancer/", views.job_retry, name="job_retry"),
]
