"""API of the background jobs: follow a job one asked for (an export, a report…) and download its file.

The same rules as the « Mes tâches » pages: a job is seen by its requester and by admins only (404 otherwise).
"""

from django.http import Http404
from django.urls import reverse
from drf_spectacular.utils import OpenApiTypes, extend_schema
from rest_framework import generics, serializers
from rest_framework.views import APIView

from ess_portal.jobs.models import Job
from ess_portal.jobs.views import result_file_response


class JobSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    download_url = serializers.SerializerMethodField(
        help_text="Lien de téléchargement du fichier produit, quand la tâche est terminée (`done`)."
    )

    class Meta:
        model = Job
        fields = [
            "id",
            "kind",
            "kind_display",
            "status",
            "status_display",
            "progress",
            "progress_message",
            "error_message",
            "created_at",
            "finished_at",
            "download_url",
        ]

    def get_download_url(self, job) -> str | None:
        if not (job.is_done and job.result_file):
            return None
        url = reverse("api:job_download", args=[job.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class JobDetail(generics.RetrieveAPIView):
    """One of my jobs: follow `status` and `progress` until `done` (then `download_url`) or `failed`."""

    serializer_class = JobSerializer

    def get_queryset(self):
        return Job.objects.visible_to(self.request.user)


class JobDownload(APIView):
    """The file a finished job produced."""

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    def get(self, request, pk: int):
        job = Job.objects.visible_to(request.user).filter(pk=pk).first()
        if job is None:
            raise Http404("Aucun fichier pour cette tâche.")
        return result_file_response(request.user, job)
