from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, OpenApiTypes, extend_schema
from rest_framework import generics, permissions, status
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.response import Response
from rest_framework.views import APIView

from ess_portal.jobs.api import JobSerializer
from ess_portal.jobs.models import Job
from procurement.api.serializers import AsrListingSerializer
from procurement.asr.models import AsrListing
from procurement.enums import ExportFormat
from procurement.exports import COLUMNS, COLUMNS_BY_KEY, chosen_columns
from procurement.filters import AsrListingFilter, directory_filters
from procurement.permissions import can_use_buyer_directory
from procurement.services import export_listings


class CanUseBuyerDirectory(permissions.BasePermission):
    message = "L’annuaire ASR est réservé à la direction des achats et au service ESS."

    def has_permission(self, request, view):
        return can_use_buyer_directory(request.user)


class AsrListingViewMixin:
    serializer_class = AsrListingSerializer
    permission_classes = [permissions.IsAuthenticated, CanUseBuyerDirectory]

    def get_queryset(self):
        today = timezone.localdate()
        return AsrListing.objects.published(today).with_card_data(today).order_by("actor__name", "pk")


class AsrListingList(AsrListingViewMixin, generics.ListAPIView):
    """Published ASR listings (verified within 12 months), filtered like the buyer directory
    (q, cpv, filiere, commune, article, forme, agrement, etp_min)."""

    filterset_class = AsrListingFilter


class AsrListingDetail(AsrListingViewMixin, generics.RetrieveAPIView):
    """One published ASR listing (404 when it is not published or expired)."""


EXPORT_PARAMETERS = [
    OpenApiParameter(
        "format", OpenApiTypes.STR, enum=ExportFormat.values, description="csv (par défaut), xlsx ou ods."
    ),
    OpenApiParameter(
        "colonnes",
        OpenApiTypes.STR,
        many=True,
        enum=[column.key for column in COLUMNS],
        description="Colonnes voulues, dans l’ordre documenté ; toutes quand aucune n’est donnée.",
    ),
]


class ExportFormatNegotiation(DefaultContentNegotiation):
    """Here `format` names the exported file's format (as on the directory's page), not the API response's:
    errors and jobs are answered in JSON."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class AsrExport(APIView):
    """Export of exactly the listings the filters select (the directory's filters: q, cpv, filiere, commune,
    article, forme, agrement, etp_min), logged like the directory's exports. CSV is streamed; an XLSX or ODS file
    of more than `ASR_EXPORT_INLINE_MAX_ROWS` rows is written by a background job: the answer is then 202 with the
    job, to follow at /api/v1/taches/<id>/ until its `download_url`."""

    permission_classes = [permissions.IsAuthenticated, CanUseBuyerDirectory]
    content_negotiation_class = ExportFormatNegotiation

    @extend_schema(
        parameters=EXPORT_PARAMETERS,
        responses={
            (200, "application/octet-stream"): OpenApiTypes.BINARY,
            202: OpenApiResponse(JobSerializer, description="Export volumineux préparé en arrière-plan."),
            400: OpenApiResponse(description="Format, colonne ou filtre invalide."),
        },
    )
    def get(self, request):
        params = request.query_params
        file_format = params.get("format") or ExportFormat.CSV
        errors = {}
        if file_format not in ExportFormat.values:
            errors["format"] = [f"Format inconnu : « {file_format} ». Formats possibles : csv, xlsx, ods."]
        unknown = [key for key in params.getlist("colonnes") if key not in COLUMNS_BY_KEY]
        if unknown:
            errors["colonnes"] = [
                f"Colonne inconnue : {', '.join(unknown)}. Colonnes possibles : "
                + ", ".join(column.key for column in COLUMNS)
                + "."
            ]
        today = timezone.localdate()
        filterset = AsrListingFilter(params, queryset=AsrListing.objects.published(today))
        if not filterset.is_valid():
            errors.update(filterset.errors)
        if errors:
            return Response(errors, status=status.HTTP_400_BAD_REQUEST)
        listings = filterset.qs.order_by("actor__name", "pk")
        filters = directory_filters(params)
        columns = chosen_columns(params.getlist("colonnes"))
        result = export_listings(
            listings=listings, columns=columns, file_format=file_format, user=request.user, filters=filters
        )
        if isinstance(result, Job):
            return Response(JobSerializer(result, context={"request": request}).data, status=status.HTTP_202_ACCEPTED)
        return result
