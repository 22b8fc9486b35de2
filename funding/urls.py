"""Funding URLs, mounted at /financements/. Three parts, each with its own views module in funding/views/.

Each section imports its own views module, so the sections can be edited independently.
"""

from django.urls import path

app_name = "funding"

urlpatterns = []

# --- Instruction & budget (funding/views/instruction.py, sessions.py, budget.py) ---
# --- end of instruction & budget ---

# --- Applicant (funding/views/schemes.py, applicant.py) ---
from funding.views import applicant, schemes  # noqa: E402

urlpatterns += [
    path("dispositifs/", schemes.scheme_list, name="scheme_list"),
    path("dispositifs/gestion/", schemes.scheme_manage_list, name="scheme_manage_list"),
    path("dispositifs/gestion/nouveau/", schemes.scheme_create, name="scheme_create"),
    path("dispositifs/gestion/<int:pk>/modifier/", schemes.scheme_update, name="scheme_update"),
    path("dispositifs/<slug:slug>/", schemes.scheme_detail, name="scheme_detail"),
    path("mes-dossiers/", applicant.application_list, name="applicant_application_list"),
    path("mes-dossiers/nouveau/", applicant.application_start, name="application_start"),
    path("mes-dossiers/<int:pk>/", applicant.application_detail, name="applicant_application_detail"),
    path("mes-dossiers/<int:pk>/etape/<int:step>/", applicant.application_step, name="application_step"),
    path(
        "mes-dossiers/<int:pk>/pieces/<int:document_pk>/retirer/",
        applicant.application_document_delete,
        name="application_document_delete",
    ),
    path(
        "mes-dossiers/<int:pk>/complements/<int:request_pk>/",
        applicant.information_request_answer,
        name="information_request_answer",
    ),
    path("mes-dossiers/<int:pk>/retrait/", applicant.application_withdraw, name="application_withdraw"),
    path("mes-dossiers/<int:pk>/bilan/", applicant.final_report_upload, name="final_report_upload"),
    path("documents/<int:pk>/", applicant.document_download, name="document_download"),
]
# --- end of applicant ---

# --- Queue, open data (funding/views/queue.py; the open-data pages are in funding/opendata_urls.py) ---
from funding.views import queue  # noqa: E402

urlpatterns += [
    path("instruction/", queue.application_queue, name="queue"),
    path("instruction/attribuer/", queue.bulk_assign, name="queue_bulk_assign"),
    path("instruction/<int:pk>/pieces.zip", queue.application_zip, name="application_zip"),
]
# --- end of queue, open data ---
