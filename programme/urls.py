from django.urls import path

from programme import dashboard_urls, indicator_urls, report_urls, views

app_name = "programme"

urlpatterns = [
    path("", views.plan, name="plan"),
    path("actions/<str:code>/", views.action_detail, name="action_detail"),
    path("actions/<str:code>/suivi/", views.action_update, name="action_update"),
    path("actions/<str:code>/jalons/", views.milestone_create, name="milestone_create"),
    path("actions/<str:code>/jalons/<int:pk>/realise/", views.milestone_mark_done, name="milestone_mark_done"),
    path("actions/<str:code>/realisations/", views.realisation_create, name="realisation_create"),
    path("actions/<str:code>/realisations/<int:pk>/supprimer/", views.realisation_delete, name="realisation_delete"),
]

# Indicators, dashboards and indicator reports live in their own URL modules.
urlpatterns += indicator_urls.urlpatterns + dashboard_urls.urlpatterns + report_urls.urlpatterns
