"""Each app adds its read-only endpoints here (its views live in `<app>/api/`)."""

from django.urls import include, path

urlpatterns = [
    path("", include("actors.api.urls")),
    path("", include("filieres.api.urls")),
    path("", include("funding.api.urls")),
    path("", include("quadripartite.api.urls")),
    path("", include("programme.api.urls")),
    path("", include("procurement.api.urls")),
    path("", include("scic.api.urls")),
    path("", include("fonciere.api.urls")),
    path("", include("events.api.urls")),
    path("", include("ess_portal.jobs.api_urls")),
]
