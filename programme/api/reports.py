"""API of the indicator reports: list them, request one for a period (staff and admins), follow its job and
download its files. The same service as the /plan/rapports/ pages (`programme.reports.request_indicator_report`)."""

from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, OpenApiTypes, extend_schema
from rest_framework import generics, permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from ess_portal.jobs.models import Job
from programme.models import IndicatorReport
from programme.permissions import can_request_reports, can_view_reports
from programme.report_views import report_file_response
from programme.reports import period_between, period_errors, request_indicator_report


class CanViewReports(permissions.BasePermission):
    message = "Les rapports d’indicateurs sont réservés aux élus et aux agents du service ESS."

    def has_permission(self, request, view):
        if not can_view_reports(request.user):
            return False
        if request.method in permissions.SAFE_METHODS:
            return True
        self.message = "Seuls les agents du service ESS demandent un rapport d’indicateurs."
        return can_request_reports(request.user)


class ReportJobSerializer(serializers.ModelSerializer):
    """The background job producing the report: follow `status` and `progress` until `done` (or `failed`)."""

    class Meta:
        model = Job
        fields = ["id", "status", "progress", "progress_message", "error_message", "attempts", "finished_at"]


class IndicatorReportSerializer(serializers.ModelSerializer):
    is_automatic = serializers.SerializerMethodField(help_text="Produit par la tâche trimestrielle ou annuelle.")
    job = ReportJobSerializer(read_only=True, allow_null=True)
    pdf_url = serializers.SerializerMethodField(help_text="Lien de téléchargement du PDF, quand il est produit.")
    xlsx_url = serializers.SerializerMethodField(help_text="Lien de téléchargement du tableur, quand il est produit.")

    class Meta:
        model = IndicatorReport
        fields = [
            "id",
            "title",
            "period_kind",
            "starts_on",
            "ends_on",
            "is_automatic",
            "created_at",
            "generated_at",
            "emailed_at",
            "job",
            "pdf_url",
            "xlsx_url",
        ]

    def get_is_automatic(self, report) -> bool:
        return report.requested_by_id is None

    def _url(self, report, file_format: str) -> str | None:
        if report.file(file_format) is None:
            return None
        url = reverse("api:indicator_report_download", args=[report.pk, file_format])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url

    def get_pdf_url(self, report) -> str | None:
        return self._url(report, "pdf")

    def get_xlsx_url(self, report) -> str | None:
        return self._url(report, "xlsx")


class ReportRequestSerializer(serializers.Serializer):
    starts_on = serializers.DateField(help_text="Premier jour de la période (au plus tôt le 2022-01-01).")
    ends_on = serializers.DateField(help_text="Dernier jour de la période (au plus tard aujourd’hui).")

    def validate(self, attrs):
        errors = {}
        for name, message in period_errors(attrs["starts_on"], attrs["ends_on"], today=timezone.localdate()):
            errors.setdefault(name, []).append(message)
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class ReportList(generics.ListAPIView):
    """Indicator reports, the most recent period first. POST a period to request one: a quarter or a year given by
    its exact dates is the quarterly or annual report; the same period twice gives back the same report."""

    queryset = IndicatorReport.objects.select_related("job")
    serializer_class = IndicatorReportSerializer
    permission_classes = [CanViewReports]

    @extend_schema(
        request=ReportRequestSerializer,
        responses={
            202: OpenApiResponse(IndicatorReportSerializer, description="Rapport demandé, en cours de production."),
            200: OpenApiResponse(IndicatorReportSerializer, description="Rapport déjà demandé pour cette période."),
        },
    )
    def post(self, request):
        data = ReportRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        period = period_between(data.validated_data["starts_on"], data.validated_data["ends_on"])
        existed = IndicatorReport.objects.filter(starts_on=period.starts_on, ends_on=period.ends_on).exists()
        report = request_indicator_report(
            starts_on=period.starts_on, ends_on=period.ends_on, period_kind=period.kind, by=request.user
        )
        body = IndicatorReportSerializer(report, context={"request": request}).data
        return Response(body, status=status.HTTP_200_OK if existed else status.HTTP_202_ACCEPTED)


class ReportDetail(generics.RetrieveAPIView):
    """One report with its job's status and progress, and its download links once produced."""

    queryset = IndicatorReport.objects.select_related("job")
    serializer_class = IndicatorReportSerializer
    permission_classes = [CanViewReports]


class ReportDownload(APIView):
    """The report's PDF (`pdf`) or spreadsheet (`xlsx`)."""

    permission_classes = [CanViewReports]

    @extend_schema(
        operation_id="rapports_indicateurs_download",
        parameters=[OpenApiParameter("file_format", OpenApiTypes.STR, OpenApiParameter.PATH, enum=["pdf", "xlsx"])],
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
    )
    def get(self, request, pk: int, file_format: str):
        return report_file_response(IndicatorReport.objects.filter(pk=pk).first(), file_format)
