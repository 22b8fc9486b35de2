from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("home.urls")),
    path("", include("ess_portal.pages_urls")),
    path("comptes/", include("accounts.urls")),
    path("", include("actors.urls")),
    path("filieres/", include("filieres.urls")),
    path("financements/", include("funding.urls")),
    path("achats/", include("procurement.urls")),
    path("plan/", include("programme.urls")),
    path("scic/", include("scic.urls")),
    path("fonciere/", include("fonciere.urls")),
    path("quadripartite/", include("quadripartite.urls")),
    path("", include("events.urls")),
    path("donnees-ouvertes/", include("funding.opendata_urls")),
    path("taches/", include("ess_portal.jobs.urls")),
    path("api/v1/", include("ess_portal.api_urls")),
    path("gestion/", admin.site.urls),
]

handler403 = "ess_portal.views.permission_denied"
handler404 = "ess_portal.views.page_not_found"
handler500 = "ess_portal.views.server_error"
