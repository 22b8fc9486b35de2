"""API of the ASR directory: the published listings, read like the buyer directory, and their export."""

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, OpenApiTypes, extend_schema
from rest_framework import generics, permissions, serializers, status
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.response import Response
from rest_framework.views import APIView

from actors.api.serializers import ActorCommuneSerializer, AgrementSerializer
from actors.models import Actor
from ess_portal.jobs.api import JobSerializer
from ess_portal.jobs.models import Job
from procurement.asr.exports import COLUMNS, COLUMNS_BY_KEY, chosen_columns
from procurement.asr.filters import AsrListingFilter, directory_filters
from procurement.asr.models import AsrListing
from procurement.asr.services import export_listings
from procurement.cpv.models import CpvCode
from procurement.enums import ExportFormat
from procurement.permissions import can_use_buyer_directory


class CpvCodeSerializer(serializers.ModelSerializer):
    class Meta:
        model = CpvCode
        fields = ["code", "full_code", "label"]


class ListingActorSerializer(serializers.ModelSerializer):
    legal_form_label = serializers.CharField(source="get_legal_form_display", read_only=True)
    commune = ActorCommuneSerializer(read_only=True)
    agrements = AgrementSerializer(source="agrements_in_force", many=True, read_only=True)

    class Meta:
        model = Actor
        fields = ["id", "name", "siret", "legal_form", "legal_form_label", "commune", "fte", "website", "agrements"]


class AsrListingSerializer(serializers.ModelSerializer):
    """A published ASR listing; `reserved_articles` are derived from the actor's legal form and agréments."""

    actor = ListingActorSerializer(read_only=True)
    cpv_codes = CpvCodeSerializer(many=True, read_only=True)
    communes = ActorCommuneSerializer(many=True, read_only=True)
    reserved_articles = serializers.SerializerMethodField()
    revenue_band_label = serializers.CharField(source="get_revenue_band_display", read_only=True)

    class Meta:
        model = AsrListing
        fields = [
            "id",
            "actor",
            "offers",
            "cpv_codes",
            "serves_whole_metropole",
            "communes",
            "revenue_band",
            "revenue_band_label",
            "public_contract_references",
            "reserved_articles",
            "last_verified_on",
        ]

    def get_reserved_articles(self, listing) -> list[str]:
        return listing.reserved_articles()


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
