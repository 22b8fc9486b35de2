"""ESS events URLs, mounted at the root: the register under /evenements/, the public agenda at /agenda/, a user's
private iCalendar feed under /agenda/calendrier/."""

from django.urls import path

from events import calendar_views, gsef_views, prize_views, views

app_name = "events"

urlpatterns = [
    path("evenements/", views.event_list, name="event_list"),
    path("evenements/export.csv", views.event_export, name="event_export"),
    path("evenements/export.xlsx", views.event_export, {"export_format": "xlsx"}, name="event_export_xlsx"),
    path("evenements/export.ods", views.event_export, {"export_format": "ods"}, name="event_export_ods"),
    path("evenements/nouveau/", views.event_create, name="event_create"),
    path("evenements/<int:pk>/", views.event_detail, name="event_detail"),
    path("evenements/<int:pk>/modifier/", views.event_update, name="event_update"),
    path("evenements/<int:pk>/participation/", views.event_attendance, name="event_attendance"),
    path("evenements/prix-coup-de-coeur/", prize_views.prize_edition_list, name="prize_edition_list"),
    path(
        "evenements/prix-coup-de-coeur/nouvelle-edition/",
        prize_views.prize_edition_create,
        name="prize_edition_create",
    ),
    path("evenements/prix-coup-de-coeur/<int:year>/", prize_views.prize_edition_detail, name="prize_edition_detail"),
    path(
        "evenements/prix-coup-de-coeur/<int:year>/categories/",
        prize_views.prize_category_add,
        name="prize_category_add",
    ),
    path(
        "evenements/prix-coup-de-coeur/<int:year>/candidats/",
        prize_views.prize_candidate_add,
        name="prize_candidate_add",
    ),
    path("evenements/prix-coup-de-coeur/<int:year>/jury/", prize_views.jury_member_add, name="jury_member_add"),
    path("evenements/prix-coup-de-coeur/<int:year>/laureats/", prize_views.laureate_award, name="laureate_award"),
    path("evenements/prix-coup-de-coeur/<int:year>/versements/", prize_views.laureate_pay, name="laureate_pay"),
    path("evenements/gsef/", gsef_views.gsef_list, name="gsef_list"),
    path("evenements/gsef/nouvelle-participation/", gsef_views.gsef_create, name="gsef_create"),
    path("evenements/gsef/<int:pk>/", gsef_views.gsef_detail, name="gsef_detail"),
    path("evenements/gsef/<int:pk>/modifier/", gsef_views.gsef_update, name="gsef_update"),
    path("evenements/gsef/<int:pk>/documents/", gsef_views.gsef_document_add, name="gsef_document_add"),
    path("evenements/gsef/documents/<int:pk>/", gsef_views.gsef_document_download, name="gsef_document_download"),
    path("agenda/", views.agenda, name="agenda"),
    path("agenda/calendrier/<slug:token>.ics", calendar_views.calendar_feed, name="calendar_feed"),
    path("agenda/mon-calendrier/", calendar_views.calendar_subscription, name="calendar_subscription"),
]
