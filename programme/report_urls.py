"""URL patterns added to the programme namespace by programme/urls.py: the indicator reports under /plan/rapports/."""

from django.urls import path

from programme import report_views

urlpatterns = [
    path("rapports/", report_views.report_list, name="report_list"),
    path("rapports/demander/", report_views.report_request, name="report_request"),
    path("rapports/<int:pk>/", report_views.report_detail, name="report_detail"),
    path("rapports/<int:pk>/relancer/", report_views.report_retry, name="report_retry"),
    path("rapports/<int:pk>/<str:file_format>/", report_views.report_download, name="report_download"),
]
