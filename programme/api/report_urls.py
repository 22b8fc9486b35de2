"""API URL patterns added by the app's api/urls.py: the indicator reports."""

from django.urls import path

from programme.api import reports

urlpatterns = [
    path("rapports-indicateurs/", reports.ReportList.as_view(), name="indicator_report_list"),
    path("rapports-indicateurs/<int:pk>/", reports.ReportDetail.as_view(), name="indicator_report_detail"),
    path(
        "rapports-indicateurs/<int:pk>/<str:file_format>/",
        reports.ReportDownload.as_view(),
        name="indicator_report_download",
    ),
]
