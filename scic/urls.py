from django.urls import path

from scic import views

app_name = "scic"

urlpatterns = [
    path("", views.register, name="register"),
    path("export.csv", views.register_export, name="register_export"),
    path("export.xlsx", views.register_export, {"export_format": "xlsx"}, name="register_export_xlsx"),
    path("export.ods", views.register_export, {"export_format": "ods"}, name="register_export_ods"),
    path("nouvelle/", views.scic_create, name="create"),
    path("<int:pk>/", views.scic_detail, name="detail"),
    path("<int:pk>/capital/", views.capital_create, name="capital_create"),
    path("<int:pk>/participations-publiques/", views.holding_create, name="holding_create"),
    path("<int:pk>/souscription/", views.subscribe, name="subscribe"),
    path("<int:pk>/mouvements/", views.movement_create, name="movement_create"),
    path("<int:pk>/representants/", views.representative_create, name="representative_create"),
    path("<int:pk>/comites-de-liaison/", views.liaison_meeting_create, name="liaison_meeting_create"),
    path("souscriptions/<int:pk>/dossier-de-deliberation/", views.stake_dossier_request, name="stake_dossier_request"),
    path("fonds/<int:year>/", views.fund, name="fund"),
    path("<int:pk>/modifier/", views.scic_update, name="update"),
    path("<int:pk>/capital/<int:record_pk>/modifier/", views.capital_update, name="capital_update"),
    path("<int:pk>/participations-publiques/<int:holding_pk>/modifier/", views.holding_update, name="holding_update"),
    path(
        "<int:pk>/representants/<int:representative_pk>/modifier/",
        views.representative_update,
        name="representative_update",
    ),
    path("<int:pk>/representants/<int:representative_pk>/fin-de-mandat/", views.mandate_end, name="mandate_end"),
]
